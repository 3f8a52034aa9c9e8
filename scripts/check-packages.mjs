#!/usr/bin/env node
// Runs publint and @arethetypeswrong/cli on every built package: the exports map, ESM + CJS and
// types must resolve for every consumer (node10, node16 CJS and ESM, bundlers).
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const packagesDir = join(import.meta.dirname, '..', 'packages');
let failed = false;
for (const name of readdirSync(packagesDir)) {
  const dir = join(packagesDir, name);
  if (!existsSync(join(dir, 'package.json'))) continue;
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  if (manifest.private) continue;
  for (const [command, args] of [
    ['publint', ['--strict', '--pack', 'npm']],
    ['attw', ['--pack', '.', '--format', 'table-flipped']],
  ]) {
    console.log(`\n${manifest.name}: ${command} ${args.join(' ')}`);
    const result = spawnSync(join(import.meta.dirname, '..', 'node_modules', '.bin', command), args, {
      cwd: dir,
      stdio: 'inherit',
    });
    if (result.status !== 0) failed = true;
  }
}
process.exit(failed ? 1 : 0);
