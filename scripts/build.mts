// Builds every app and lib into dist/ (CommonJS), the way each container image does.
//   tsc (type-checks and emits) → tsc-alias (rewrites @convene/* imports to relative paths) → copy protos.
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
console.log('built into dist/');
