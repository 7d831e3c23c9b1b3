// `npm test`: builds, starts the Firestore and Pub/Sub emulators and the mail catcher, runs the four
// tiers in order (unit, integration against the emulators, e2e through the gateway of a running
// system and in a real browser, then `npm run test:resilience` on a stack of its own), stops everything
// it started, and prints one summary line.
//
//   npm test                         all four tiers
//   npm test -- unit e2e             chosen tiers
//   npm test -- e2e -- -t publish    extra Jest arguments after a second `--`
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { printSummary, readJestReport, runJestProject, type TierResult } from './lib/jest-tier.mts';
import { ROOT } from './lib/system.mts';
import { startTestStack, type TestStack } from './lib/test-stack.mts';

// No GCE metadata server here: don't let Google's clients probe for one.
process.env.METADATA_SERVER_DETECTION ??= 'none';
const TIERS = ['unit', 'integration', 'e2e', 'resilience'] as const;
type Tier = (typeof TIERS)[number];

const separator = process.argv.indexOf('--', 2);
const ownArgs = separator === -1 ? process.argv.slice(2) : process.argv.slice(2, separator);
const jestArgs = separator === -1 ? [] : process.argv.slice(separator + 1);
const tiers: Tier[] = ownArgs.length ? (ownArgs as Tier[]) : [...TIERS];
const unknown = tiers.filter((t) => !TIERS.includes(t));
if (unknown.length) {
  console.error(`unknown tier(s): ${unknown.join(', ')}; use ${TIERS.join(', ')}`);
  process.exit(2);
}

const outDir = join(ROOT, '.convene', 'test');
rmSync(outDir, { recursive: true, force: true });
mkdirSync(outDir, { recursive: true });
const projectId = 'convene-test';
let stack: TestStack | undefined;

async function stopAll(): Promise<void> {
  const running = stack;
  stack = undefined;
  await running?.stop();
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

/** Checks that run with the e2e tier besides Jest: a script whose exit status is the verdict. */
const CHECKS = ['build-output', 'loadtest'] as const;

function runCheck(name: string, title: string, command: string[], env: Record<string, string>): TierResult {
  console.log(`\n── ${name}: ${title} ──`);
  const run = spawnSync(command[0]!, command.slice(1), {
    cwd: ROOT,
    stdio: 'inherit',
    env: { ...process.env, ...env },
  });
  const ok = run.status === 0;
  return { tier: name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ok };
}

/** `npm run test:resilience`: its own emulators and system, since its tests kill and restart them. */
function runResilience(): TierResult {
  const run = spawnSync('npm', ['run', '--silent', 'test:resilience', '--', '--no-build', ...jestArgs], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  return readJestReport('resilience', join(outDir, 'resilience', 'resilience.json'), run.status === 0);
}

const results: TierResult[] = [];
try {
  console.log('building (type-checks every app and lib, builds the web app)…');
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'inherit' });
  if (tiers.length === TIERS.length) {
    console.log('linting and checking formatting…');
    execFileSync(join(ROOT, 'node_modules/.bin/eslint'), ['.'], { cwd: ROOT, stdio: 'inherit' });
    execFileSync(join(ROOT, 'node_modules/.bin/prettier'), ['--check', '--log-level=warn', '.'], {
      cwd: ROOT,
      stdio: 'inherit',
    });
    execFileSync(join(ROOT, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json'], { cwd: ROOT, stdio: 'inherit' });
  }
  const env: Record<string, string> = { METADATA_SERVER_DETECTION: 'none', GCP_PROJECT_ID: projectId };
  if (tiers.some((t) => t === 'integration' || t === 'e2e')) {
    stack = await startTestStack({ projectId, outDir });
    Object.assign(env, stack.env);
  }
  for (const tier of tiers) {
    if (tier === 'resilience') {
      await stopAll();
      results.push(runResilience());
      continue;
    }
    if (tier === 'e2e' && stack) {
      // What each image holds (its app's build, dist/libs, production packages) starts on its own.
      results.push(
        runCheck(
          'build-output',
          "each app from its image's files",
          [process.execPath, join(ROOT, 'scripts/k8s-build-output.mts')],
          env,
        ),
      );
      await stack.startSystem();
      Object.assign(env, stack.env);
    }
    results.push(runJestProject(tier, { env, outDir, jestArgs, maxWorkers: tier === 'unit' ? undefined : 2 }));
    if (tier === 'e2e' && stack?.system) {
      // The README's load test, as the README runs it, short profile, against the system the e2e tier used.
      results.push(
        runCheck(
          'loadtest',
          'the load-test scenario, short profile',
          ['npm', 'run', '--silent', 'loadtest', '--', '--url', stack.system.gatewayUrl],
          env,
        ),
      );
    }
  }
} catch (error) {
  console.error(`npm test stopped: ${(error as Error).message}`);
  results.push({ tier: 'setup', passed: 0, failed: 1, skipped: 0, ok: false });
} finally {
  await stopAll();
}

printSummary(results);
const tierResults = results.filter((r) => !(CHECKS as readonly string[]).includes(r.tier));
process.exit(tierResults.length === tiers.length && results.every((r) => r.ok) ? 0 : 1);
