// `npm run bench:gateway-overhead`: requests/s of the gateway's /healthz versus a bare Fastify
// hello-world, same machine, same load, one run; prints both and their ratio.
// The gateway runs from its build with its full HTTP stack (helmet, CORS, correlation ids, metrics,
// problem+json filter); /healthz touches no backend, so this measures the framework layer only.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { freePort } from '../../scripts/lib/emulators.mts';
import { ROOT } from '../../scripts/lib/system.mts';
import { load, waitForHttp, type LoadResult } from '../lib/load.mts';

const connections = Number(process.env.BENCH_CONNECTIONS ?? 50);
const durationSeconds = Number(process.env.BENCH_SECONDS ?? 10);

function startProcess(args: string[], env: Record<string, string> = {}): ChildProcess {
  return spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
}

async function measure(name: string, url: string): Promise<LoadResult> {
  await waitForHttp(url);
  await load(url, { connections, durationSeconds: 2 }); // warm-up: JIT, connection pools
  const result = await load(url, { connections, durationSeconds });
  console.log(
    `${name.padEnd(22)} ${result.requestsPerSecond.toFixed(0).padStart(7)} req/s   p50 ${result.p50Ms} ms   p99 ${result.p99Ms} ms   non-2xx ${result.non2xx}   errors ${result.errors}`,
  );
  return result;
}

execFileSync(process.execPath, [join(ROOT, 'scripts/build.mts')], { stdio: 'ignore' });
const [gatewayPort, helloPort] = [await freePort(), await freePort()];
const children: ChildProcess[] = [];
try {
  console.log(
    `node ${process.version}, ${connections} connections, ${durationSeconds} s per target, after a 2 s warm-up`,
  );
  const hello = startProcess([join(ROOT, 'bench/gateway-overhead/hello-fastify.mjs'), String(helloPort)]);
  children.push(hello);
  const baseline = await measure('bare Fastify /healthz', `http://127.0.0.1:${helloPort}/healthz`);
  hello.kill();

  const gateway = startProcess([join(ROOT, 'dist/apps/gateway/src/main.js')], {
    HTTP_PORT: String(gatewayPort),
    HTTP_HOST: '127.0.0.1',
    LOG_LEVEL: 'warn',
  });
  children.push(gateway);
  const convene = await measure('gateway /healthz', `http://127.0.0.1:${gatewayPort}/healthz`);
  console.log(`ratio gateway/bare: ${(convene.requestsPerSecond / baseline.requestsPerSecond).toFixed(2)}`);
} finally {
  for (const child of children) child.kill('SIGKILL');
}
