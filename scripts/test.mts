// `npm test`: builds, starts the Firestore and Pub/Sub emulators and the mail catcher, runs the three
// tiers in order (unit, integration against the emulators, e2e through the gateway of a running
// system), stops everything it started, and prints one summary line.
//
//   npm test                         all three tiers
//   npm test -- unit e2e             chosen tiers
//   npm test -- e2e -- -t publish    extra Jest arguments after a second `--`
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from './lib/emulators.mts';
import { startMailCatcher, type RunningMailCatcher } from './lib/mail-catcher.mts';
import { provisionPubSub } from './lib/provision.mts';
import { ROOT, startSystem, type RunningSystem } from './lib/system.mts';

// No GCE metadata server here: don't let Google's clients probe for one.
process.env.METADATA_SERVER_DETECTION ??= 'none';
const TIERS = ['unit', 'integration', 'e2e'] as const;
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
const E2E_ADMIN_EMAIL = 'admin@convene.test';
const emulators: RunningEmulator[] = [];
let mailCatcher: RunningMailCatcher | undefined;
let system: RunningSystem | undefined;

async function stopAll(): Promise<void> {
  await system?.stop();
  system = undefined;
  const catcher = mailCatcher;
  mailCatcher = undefined;
  await Promise.all([...emulators.splice(0).map((e) => e.stop()), catcher?.stop()]);
}
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => void stopAll().then(() => process.exit(130)));
}

interface TierResult {
  tier: Tier | 'setup' | Check;
  passed: number;
  failed: number;
  skipped: number;
  ok: boolean;
}

function runJest(tier: Tier, env: Record<string, string>): TierResult {
  const resultFile = join(outDir, `${tier}.json`);
  const args = ['--selectProjects', tier, '--json', `--outputFile=${resultFile}`, ...jestArgs];
  // Separate worker processes: a file that kills an emulator cannot leave its clients in another file.
  if (tier === 'integration') args.push('--maxWorkers=2');
  if (tier === 'e2e') args.push('--maxWorkers=2');
  console.log(`\n── ${tier} tests ──`);
  const run = spawnSync(join(ROOT, 'node_modules', '.bin', 'jest'), args, {
    cwd: ROOT,
    stdio: 'inherit',
    env: {
      ...process.env,
      ...env,
      // Lets Jest's module system require() ESM-only packages (NestJS 12 and its Fastify plugins) on Node 24.
      NODE_OPTIONS:
        `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --disable-warning=ExperimentalWarning`.trim(),
    },
  });
  try {
    const summary = JSON.parse(readFileSync(resultFile, 'utf8'));
    return {
      tier,
      passed: summary.numPassedTests,
      failed: summary.numFailedTests + summary.numRuntimeErrorTestSuites,
      skipped: summary.numPendingTests + summary.numTodoTests,
      ok: run.status === 0 && summary.numTotalTests > 0,
    };
  } catch {
    return { tier, passed: 0, failed: 1, skipped: 0, ok: false };
  }
}

/** Checks that run with the e2e tier besides Jest: a script whose exit status is the verdict. */
const CHECKS = ['build-output', 'loadtest'] as const;
type Check = (typeof CHECKS)[number];

function runCheck(name: Check, title: string, args: string[], env: Record<string, string>): TierResult {
  console.log(`\n── ${name}: ${title} ──`);
  const run = spawnSync(
    process.execPath,
    args.map((arg, i) => (i === 0 ? join(ROOT, arg) : arg)),
    {
      stdio: 'inherit',
      env: { ...process.env, ...env },
    },
  );
  const ok = run.status === 0;
  return { tier: name, passed: ok ? 1 : 0, failed: ok ? 0 : 1, skipped: 0, ok };
}

const results: TierResult[] = [];
try {
  console.log('building (type-checks every app and lib)…');
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
  const needsEmulators = tiers.some((t) => t !== 'unit');
  const env: Record<string, string> = { METADATA_SERVER_DETECTION: 'none', GCP_PROJECT_ID: projectId };
  if (needsEmulators) {
    const [firestore, pubsub, catcher] = await Promise.all([
      startEmulator('firestore').then((e) => (emulators.push(e), e)),
      startEmulator('pubsub', { projectId }).then((e) => (emulators.push(e), e)),
      startMailCatcher({ logFile: join(outDir, 'mail-catcher.log') }).then((c) => (mailCatcher = c)),
    ]);
    env.FIRESTORE_EMULATOR_HOST = firestore.host;
    env.PUBSUB_EMULATOR_HOST = pubsub.host;
    // Tests send to the catcher and read what it received back through its API.
    env.SMTP_HOST = catcher.smtpHost;
    env.SMTP_PORT = String(catcher.smtpPort);
    env.CONVENE_MAIL_CATCHER_URL = catcher.url;
    console.log(
      `emulators: Firestore ${firestore.host}, Pub/Sub ${pubsub.host}; mail catcher: SMTP ${catcher.smtpHost}:${catcher.smtpPort}, ${catcher.url}`,
    );
  }
  for (const tier of tiers) {
    if (tier === 'e2e') {
      // What each image holds (its app's build, dist/libs, production packages) starts on its own.
      results.push(runCheck('build-output', "each app from its image's files", ['scripts/k8s-build-output.mts'], env));
      await provisionPubSub(projectId, env.PUBSUB_EMULATOR_HOST);
      system = await startSystem({
        firestoreHost: env.FIRESTORE_EMULATOR_HOST,
        pubsubHost: env.PUBSUB_EMULATOR_HOST,
        smtp: { host: env.SMTP_HOST, port: Number(env.SMTP_PORT) },
        projectId,
        freePorts: true,
        logDir: join(outDir, 'logs'),
        // Accounts registered with this address are admins (auth's bootstrap path), for e2e tests of admin
        // routes; one trusted proxy hop lets tests act from distinct client addresses via X-Forwarded-For.
        extraEnv: {
          ADMIN_EMAILS: E2E_ADMIN_EMAIL,
          TRUST_PROXY_HOPS: '1',
          // A key rotation takes effect within the suite: gateways refetch keys every 10 s, a new key signs after 12 s.
          JWKS_CACHE_SECONDS: '10',
          SIGNING_KEY_ACTIVATION_DELAY_SECONDS: '12',
          // Webhook receivers in e2e tests listen on 127.0.0.1.
          WEBHOOK_ALLOW_PRIVATE_TARGETS: 'true',
        },
      });
      env.CONVENE_E2E_ADMIN_EMAIL = E2E_ADMIN_EMAIL;
      env.CONVENE_GATEWAY_URL = system.gatewayUrl;
      env.CONVENE_APP_URLS = JSON.stringify(Object.fromEntries(system.apps.map((a) => [a.name, a.url])));
    }
    results.push(runJest(tier, env));
    if (tier === 'e2e' && system) {
      // The README's load test (`npm run loadtest`), short profile, against the system the e2e tier used.
      results.push(
        runCheck(
          'loadtest',
          'the load-test scenario, short profile',
          ['loadtest/run.mts', '--url', system.gatewayUrl],
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

const total = results.reduce(
  (sum, r) => ({ passed: sum.passed + r.passed, failed: sum.failed + r.failed, skipped: sum.skipped + r.skipped }),
  {
    passed: 0,
    failed: 0,
    skipped: 0,
  },
);
console.log('');
for (const r of results) console.log(`${r.tier}: ${r.passed} passed, ${r.failed} failed, ${r.skipped} skipped`);
console.log(`${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
process.exit(
  results.filter((r) => !CHECKS.includes(r.tier as Check)).length === tiers.length && results.every((r) => r.ok)
    ? 0
    : 1,
);
