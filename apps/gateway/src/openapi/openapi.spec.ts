import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { generateOpenApiJson } from './openapi.generate';

describe('committed OpenAPI spec', () => {
  it('matches what the gateway serves (run `npm run openapi` after changing the API)', async () => {
    const committed = readFileSync(join(__dirname, '../../../../openapi/openapi.json'), 'utf8');
    const generated = await generateOpenApiJson();
    expect(JSON.parse(generated)).toEqual(JSON.parse(committed));
    expect(generated).toBe(committed);
  });
});
