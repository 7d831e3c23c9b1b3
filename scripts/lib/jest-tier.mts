// Runs one Jest project of jest.config.js and reads its verdict back from Jest's JSON report.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './system.mts';

export interface TierResult {
  tier: string;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
}

export function runJestProject(
  project: string,
  options: { env: Record<string, string>; outDir: string; jestArgs?: string[]; maxWorkers?: number },
): TierResult {
  const resultFile = join(options.outDir, `${project}.json`);
  const args = ['--selectProjects', project, '--json', `--outputFile=${resultFile}`, ...(options.jestArgs ?? [])];
  if (options.maxWorkers) args.push(`--maxWorkers=${options.maxWorkers}`);
  console.log(`\n── ${project} tests ──`);
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'jest'), args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      ...options.env,
      // Lets Jest's module system require() ESM-only packages (NestJS 12 and its Fastify plugins) on Node 24.
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
    },
  });
  return readJestReport(project, resultFile, run.status === 0);
}

export function readJestReport(tier: string, resultFile: string, exitedOk: boolean): TierResult {
  try {
    const summary = JSON.parse(readFileSync(resultFile, 'utf8'));
    return {
      tier,
      passed: summary.numPassedTests,
      failed: summary.numFailedTests + summary.numRuntimeErrorTestSuites,
      skipped: summary.numPendingTests + summary.numTodoTests,
      ok: exitedOk && summary.numTotalTests > 0,
    };
  } catch {
    return { tier, passed: 0, failed: 1, skipped: 0, ok: false };
  }
}

export function printSummary(results: TierResult[]): void {
  const total = results.reduce(
    (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
    { passed: 0, failed: 0, skipped: 0 },
  );
  console.log('');
  for (const r of results) console.log(`${r.tier}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
  console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
}
