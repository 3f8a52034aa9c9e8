// The benches load the built packages (what users install), so a fresh clone builds them once first.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));
const PACKAGES = ['core', 'node', 'express', 'fastify', 'browser'];

export function ensureBuilt() {
  const missing = PACKAGES.filter((name) => !existsSync(`${root}packages/${name}/dist/index.js`));
  if (missing.length === 0) return;
  console.error(`bench: building the packages first (dist missing in ${missing.join(', ')})`);
  const result = spawnSync('npx', ['-y', 'pnpm@12.4.2', 'build'], { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) throw new Error('bench: `pnpm build` failed');
}
