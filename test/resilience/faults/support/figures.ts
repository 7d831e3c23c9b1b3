// Every fault test prints its measured figures on one line and writes them as JSON to
// ${CONVENE_TEST_OUT_DIR}/figures/<name>.json, where docs/reliability.md takes them from.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a fault test writes logs and artifacts: the runner's output directory, else .convene/test. */
export function testOutDir(...parts: string[]): string {
  const dir = join(
    process.env.CONVENE_TEST_OUT_DIR ?? join(__dirname, '..', '..', '..', '..', '.convene', 'test'),
    ...parts,
  );
  mkdirSync(dir, { recursive: true });
  return dir;
}

export function reportFigures(name: string, line: string, figures: Record<string, unknown>): void {
  console.log(`${name}: ${line}`);
  writeFileSync(
    join(testOutDir('figures'), `${name}.json`),
    `${JSON.stringify({ name, summary: line, measuredAt: new Date().toISOString(), ...figures }, null, 2)}\n`,
  );
}

/** Seconds with one decimal, for the printed line. */
export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
