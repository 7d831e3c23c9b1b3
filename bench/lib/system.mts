// Runs a benchmark against the whole system (both emulators, every service from its build) and stops
// everything afterwards, whatever happens.
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator, type RunningEmulator } from '../../scripts/lib/emulators.mts';
import { startMailCatcher, type RunningMailCatcher } from '../../scripts/lib/mail-catcher.mts';
import { provisionPubSub } from '../../scripts/lib/provision.mts';
import { ROOT, startSystem, type RunningSystem } from '../../scripts/lib/system.mts';

export interface Emulators {
  firestoreHost: string;
  pubsubHost: string;
}

export async function withSystem(
  projectId: string,
  run: (system: RunningSystem, emulators: Emulators) => Promise<void>,
): Promise<void> {
  process.env.METADATA_SERVER_DETECTION ??= 'none';
  execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'ignore' });
  const emulators: RunningEmulator[] = [];
  let system: RunningSystem | undefined;
  let catcher: RunningMailCatcher | undefined;
  try {
    const [firestore, pubsub] = await Promise.all([startEmulator('firestore'), startEmulator('pubsub', { projectId })]);
    emulators.push(firestore, pubsub);
    // Emails really go out (to a catcher): an unreachable SMTP server would have the sender retrying
    // every email in the background of the measurement.
    catcher = await startMailCatcher();
    await provisionPubSub(projectId, pubsub.host);
    system = await startSystem({
      firestoreHost: firestore.host,
      pubsubHost: pubsub.host,
      projectId,
      smtp: { host: catcher.smtpHost, port: catcher.smtpPort },
      freePorts: true,
      logDir: mkdtempSync(join(tmpdir(), 'convene-bench-')),
      extraEnv: { LOG_LEVEL: 'warn' },
    });
    await run(system, { firestoreHost: firestore.host, pubsubHost: pubsub.host });
  } finally {
    await system?.stop();
    await Promise.all([...emulators.map((e) => e.stop()), catcher?.stop()]);
  }
}

/** POSTs JSON through the gateway and returns the parsed answer; throws on an unexpected status. */
export async function postJson<T>(url: string, body: unknown, token?: string, expected = [200, 201]): Promise<T> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: JSON.stringify(body ?? {}),
  });
  if (!expected.includes(response.status)) throw new Error(`POST ${url} → ${response.status} ${await response.text()}`);
  return (await response.json()) as T;
}
