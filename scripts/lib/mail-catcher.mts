// Starts and stops MailDev (npm `maildev`): a real SMTP server that keeps every email it receives and
// shows them in a web UI, with a REST API tests read them back through (test/support/mail-catcher.ts).
// It runs in its own process group, logs to a file, and keeps mails in a temporary directory removed
// on stop. Used by `npm start`, `npm test` and tests that need an SMTP server of their own.
import { spawn } from 'node:child_process';
import { closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort, sleep, stopGroup } from './emulators.mts';

const MAILDEV = join(import.meta.dirname, '..', '..', 'node_modules', 'maildev', 'bin', 'maildev');

export interface RunningMailCatcher {
  /** Where apps send: SMTP_HOST and SMTP_PORT. */
  readonly smtpHost: string;
  readonly smtpPort: number;
  /** The web UI and its REST API (GET /email, /email/:id/source, ...): CONVENE_MAIL_CATCHER_URL. */
  readonly url: string;
  readonly pid: number;
  stop(): Promise<void>;
}

export interface MailCatcherOptions {
  /** 0 or absent: a free port. */
  smtpPort?: number;
  webPort?: number;
  logFile?: string;
  readyTimeoutMs?: number;
}

export async function startMailCatcher(options: MailCatcherOptions = {}): Promise<RunningMailCatcher> {
  const smtpPort = options.smtpPort || (await freePort());
  const webPort = options.webPort || (await freePort());
  const dir = mkdtempSync(join(tmpdir(), 'convene-maildev-'));
  const logFile = options.logFile ?? join(dir, 'maildev.log');
  // Output to a file, never a pipe: a parent that blocks (npm test waits for Jest synchronously) would
  // stop draining it, and the catcher would then stall on a full pipe.
  mkdirSync(dirname(logFile), { recursive: true });
  const log = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [
      MAILDEV,
      `--smtp=${smtpPort}`,
      `--web=${webPort}`,
      '--ip=127.0.0.1',
      `--mail-directory=${join(dir, 'mail')}`,
      // No outgoing relay, no auth: everything sent to it stays here.
    ],
    { detached: true, stdio: ['ignore', log, log] },
  );
  closeSync(log);
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const catcher: RunningMailCatcher = {
    smtpHost: '127.0.0.1',
    smtpPort,
    url: `http://127.0.0.1:${webPort}`,
    pid: child.pid ?? -1,
    stop: async () => {
      await stopGroup(child, exited);
      rmSync(dir, { recursive: true, force: true });
    },
  };
  try {
    await waitUntilServing(catcher, exited, options.readyTimeoutMs ?? 30_000);
  } catch (error) {
    const output = readFileSync(logFile, 'utf8').slice(-10_000);
    await catcher.stop();
    throw new Error(`the mail catcher did not start: ${(error as Error).message}\n${output}`, { cause: error });
  }
  return catcher;
}

async function waitUntilServing(
  catcher: RunningMailCatcher,
  exited: Promise<number | null>,
  timeoutMs: number,
): Promise<void> {
  let gone = false;
  void exited.then(() => (gone = true));
  const deadline = Date.now() + timeoutMs;
  let web = false;
  let smtp = false;
  while (Date.now() < deadline) {
    if (gone) throw new Error('the maildev process exited');
    web ||= await answersHealth(catcher.url);
    smtp ||= await greetsSmtp(catcher.smtpHost, catcher.smtpPort);
    if (web && smtp) return;
    await sleep(100);
  }
  throw new Error(`not serving after ${timeoutMs} ms (web ${web ? 'up' : 'down'}, SMTP ${smtp ? 'up' : 'down'})`);
}

async function answersHealth(url: string): Promise<boolean> {
  try {
    const response = await fetch(`${url}/healthz`, { signal: AbortSignal.timeout(1000) });
    return response.ok;
  } catch {
    return false;
  }
}

/** True once the server sends its 220 greeting: accepting a TCP connection alone is not serving. */
function greetsSmtp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('data', (chunk: Buffer) => {
      socket.write('QUIT\r\n');
      done(chunk.toString('latin1').startsWith('220'));
    });
  });
}
