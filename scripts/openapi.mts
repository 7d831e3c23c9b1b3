// `npm run openapi`: writes the gateway's OpenAPI document to openapi/openapi.json (deterministic).
// A unit test (apps/gateway/src/openapi/openapi.spec.ts) fails when code and this file differ.
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './lib/system.mts';

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'inherit' });
const require = createRequire(import.meta.url);
const { generateOpenApiJson } = require(join(ROOT, 'dist/apps/gateway/src/openapi/openapi.generate.js'));
const json: string = await generateOpenApiJson();
const target = join(ROOT, 'openapi', 'openapi.json');
writeFileSync(target, json);
console.log(`wrote ${target} (${json.length} bytes)`);
