// The web app: a single-page React app that talks only to the gateway's public API (/v1).
// `npm run build` builds it into dist/apps/gateway/web, which the gateway serves; `npm run dev:web` serves it with
// hot reload on :5173 and forwards API calls to a gateway on GATEWAY_URL (default http://127.0.0.1:3000).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import { defineConfig, type Plugin } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';

/**
 * Writes a Brotli and a gzip copy beside each script, style and wasm file, once at build time: the
 * gateway (@fastify/static preCompressed) sends the smallest one the browser accepts, without
 * compressing per request (the main script: ~390 kB → ~110 kB).
 */
function precompress(): Plugin {
  return {
    name: 'convene-precompress',
    apply: 'build',
    writeBundle(options, bundle) {
      for (const file of Object.keys(bundle).filter((name) => /\.(js|css|wasm|svg)$/.test(name))) {
        const path = join(options.dir!, file);
        const bytes = readFileSync(path);
        writeFileSync(`${path}.br`, brotliCompressSync(bytes, { params: { [constants.BROTLI_PARAM_QUALITY]: 9 } }));
        writeFileSync(`${path}.gz`, gzipSync(bytes, { level: 9 }));
      }
    },
  };
}

export default defineConfig({
  plugins: [precompress()],
  root: fileURLToPath(new URL('.', import.meta.url)),
  build: {
    // Inside the gateway's build, so its image (dist/apps/gateway) carries the app it serves.
    outDir: fileURLToPath(new URL('../../dist/apps/gateway/web', import.meta.url)),
    emptyOutDir: true,
    sourcemap: true,
    rolldownOptions: {
      // React Router marks its modules "use client" (for server components); meaningless in this bundle.
      onLog(level, log, handler) {
        if (log.code === 'MODULE_LEVEL_DIRECTIVE') return;
        handler(level, log);
      },
    },
  },
  server: {
    port: 5173,
    proxy: { '/v1': { target: gateway, changeOrigin: true }, '/.well-known': gateway },
  },
});
