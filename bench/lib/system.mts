// Runs a benchmark against the whole system (both emulators, every service from its build) and stops
// everything afterwards, whatever happens.
import { execFileSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
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

/** Runs `task` over `items` with at most `limit` in flight; results in the items' order. */
export async function pool<T, R>(
  items: T[],
  limit: number,
  task: (item: T, index: number) => Promise<R>,
): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await task(items[i], i);
      }
    }),
  );
  return results;
}

/** Signs up `count` people (`<label>-<i>-…@example.com`, "<Label> <i>"), 8 at a time; their access tokens. */
export async function signUp(gateway: string, count: number, label: string, password: string): Promise<string[]> {
  const name = label[0].toUpperCase() + label.slice(1);
  return pool(
    Array.from({ length: count }, (_, i) => i),
    8,
    async (i) =>
      (
        await postJson<{ accessToken: string }>(`${gateway}/v1/auth/register`, {
          email: `${label}-${i}-${randomUUID().slice(0, 8)}@example.com`,
          password,
          displayName: `${name} ${i}`,
        })
      ).accessToken,
  );
}
