#!/usr/bin/env node
// `npm run demo`: from a fresh clone with only Node and npm, installs the workspace (pnpm via npx),
// builds the packages, then runs the checkout demo (examples/checkout/demo.mjs) against a local dev
// server. Arguments pass through: `npm run demo -- --ci`, `--checkouts 200`, `--port 8969`.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['-y', 'pnpm@12.4.2'];

function run(label, command, args, cwd = root) {
  console.log(`▶ ${label}`);
  const result = spawnSync(command, args, { cwd, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`✖ ${label} failed`);
    process.exit(result.status ?? 1);
  }
}

const args = process.argv.slice(2);
if (!args.includes('--no-install')) {
  run('install', 'npx', [...PNPM, 'install']);
  run('build', 'npx', [...PNPM, 'build']);
}
run('checkout demo', process.execPath, [
  join(root, 'examples', 'checkout', 'demo.mjs'),
  ...args.filter((a) => a !== '--no-install'),
]);
