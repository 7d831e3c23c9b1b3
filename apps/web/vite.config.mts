// The web app: a single-page React app that talks only to the gateway's public API (/v1).
// `npm run build` builds it into dist/apps/gateway/web, which the gateway serves; `npm run dev:web` serves it with
// hot reload on :5173 and forwards API calls to a gateway on GATEWAY_URL (default http://127.0.0.1:3000).
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const gateway = process.env.GATEWAY_URL ?? 'http://127.0.0.1:3000';

export default defineConfig({
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
