// Builds every app and lib into dist/ (CommonJS), the way each container image does, and the web app.
//   tsc (type-checks and emits) → tsc-alias (rewrites @convene/* imports to relative paths) → copy protos
//   → web: API types from the committed spec (openapi-typescript) → tsc (type-check) → vite build → dist/web.
// Usage: npm run build
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const root = join(import.meta.dirname, '..');
const bin = (name: string): string => join(root, 'node_modules', '.bin', name);
const run = (cmd: string, args: string[]): void => {
  execFileSync(cmd, args, { cwd: root, stdio: 'inherit' });
};

rmSync(join(root, 'dist'), { recursive: true, force: true });
run(bin('tsc'), ['-p', 'tsconfig.build.json']);
run(bin('tsc-alias'), ['-p', 'tsconfig.build.json']);
cpSync(join(root, 'libs/contracts/proto'), join(root, 'dist/libs/contracts/proto'), { recursive: true });
run(bin('openapi-typescript'), ['openapi/openapi.json', '--output', 'apps/web/src/api/schema.d.ts', '--silent']);
run(bin('tsc'), ['-p', 'apps/web/tsconfig.json']);
run(bin('vite'), ['build', '--config', 'apps/web/vite.config.mts', '--logLevel', 'warn']);
console.log('built into dist/');
