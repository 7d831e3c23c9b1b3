// Measured figures of a resilience test, for docs/reliability.md: one JSON file per test file.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export function writeFigures(name: string, figures: unknown): string | undefined {
  const dir = process.env.CONVENE_TEST_OUT_DIR;
  if (!dir) return undefined;
  mkdirSync(join(dir, 'figures'), { recursive: true });
  const file = join(dir, 'figures', `${name}.json`);
  writeFileSync(file, `${JSON.stringify(figures, null, 2)}\n`);
  return file;
}
