// `npm run test:resilience`: the resilience and security suite (test/resilience) against a whole local
// system of its own — emulators, mail catcher and every app from dist/ — because its fault-injection
// tests kill and restart emulators and services. `npm test` runs it last, after stopping its own stack.
//
//   npm run test:resilience                          builds, then runs every resilience test
//   npm run test:resilience -- --no-build            uses the existing dist/ (npm test has just built)
//   npm run test:resilience -- -- -t fuzz            extra Jest arguments after a second `--`
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { printSummary, runJestProject, type TierResult } from './lib/jest-tier.mts';
import { ROOT } from './lib/system.mts';
import { startTestStack, type TestStack } from './lib/test-stack.mts';

process.env.METADATA_SERVER_DETECTION ??= 'none';
const args = process.argv.slice(2);
const separator = args.indexOf('--');
const ownArgs = separator === -1 ? args : args.slice(0, separator);
const jestArgs = separator === -1 ? [] : args.slice(separator + 1);
const unknown = ownArgs.filter((a) => a !== '--no-build');
if (unknown.length) {
  console.error(`unknown argument(s): ${unknown.join(' ')}; use --no-build, and Jest's after a second --`);
  process.exit(2);
}

const outDir = join(ROOT, '.convene', 'test', 'resilience');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
let stack: TestStack | undefined;
const stop = async (): Promise<void> => {
  const running = stack;
  stack = undefined;
  await running?.stop();
};
for (const signal of ['SIGINT', 'SIGTERM'] as const)
  process.on(signal, () => void stop().then(() => process.exit(130)));

let result: TierResult = { tier: 'resilience', passed: 0, failed: 1, skipped: 0, ok: false };
try {
  if (!ownArgs.includes('--no-build'))
    execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'inherit' });
  stack = await startTestStack({ projectId: 'convene-resilience', outDir });
  await stack.startSystem();
  // One file at a time: fault tests stop and start processes that other files would be using.
  result = runJestProject('resilience', {
    env: { ...stack.env, CONVENE_TEST_OUT_DIR: outDir },
    outDir,
    jestArgs,
    maxWorkers: 1,
  });
} catch (error) {
  console.error(`test:resilience stopped: ${(error as Error).message}`);
} finally {
  await stop();
}
printSummary([result]);
process.exit(result.ok ? 0 : 1);
