#!/usr/bin/env node
// The whole test suite from a fresh clone with only Node and npm: installs (pnpm via npx), builds,
// checks (lint, types, package exports) and runs every test run, then prints one summary line
// `N passed, N failed, N skipped` summed over all runs. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const PNPM = ['npx', '-y', 'pnpm@12.4.2'];
const totals = { passed: 0, failed: 0, skipped: 0 };
const failures = [];

function run(label, command, args, env = {}) {
  console.log(`\n▶ ${label}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const result = spawnSync(command, args, { cwd: root, stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = result.status === 0;
  console.log(`${ok ? '✔' : '✖'} ${label} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  return ok;
}

/** A step that is not a test runner counts as one failed check when it fails. */
function step(label, command, args) {
  if (!run(label, command, args)) {
    failures.push(label);
    totals.failed += 1;
    return false;
  }
  return true;
}

/** Runs vitest with a JSON report and adds its counts to the totals. */
function vitestRun(label, args = [], env = {}) {
  const report = join(root, 'test-results', `${label.replace(/\W+/g, '-')}.json`);
  rmSync(report, { force: true });
  const ok = run(
    label,
    PNPM[0],
    [
      ...PNPM.slice(1),
      'exec',
      'vitest',
      'run',
      '--reporter=default',
      '--reporter=json',
      `--outputFile.json=${report}`,
      ...args,
    ],
    env,
  );
  if (!existsSync(report)) {
    failures.push(`${label} (no report)`);
    totals.failed += 1;
    return;
  }
  const json = JSON.parse(readFileSync(report, 'utf8'));
  totals.passed += json.numPassedTests;
  totals.failed += json.numFailedTests;
  totals.skipped += json.numPendingTests + (json.numTodoTests ?? 0);
  if (!ok || json.numFailedTests > 0 || json.numTotalTests === 0) {
    failures.push(label);
    if (ok && json.numFailedTests === 0) totals.failed += 1;
  }
}

mkdirSync(join(root, 'test-results'), { recursive: true });
const installArgs = process.env.CI ? ['install', '--frozen-lockfile'] : ['install'];
if (
  step('install', PNPM[0], [...PNPM.slice(1), ...installArgs]) &&
  step('build', PNPM[0], [...PNPM.slice(1), 'build'])
) {
  step('lint', PNPM[0], [...PNPM.slice(1), 'lint']);
  step('typecheck', PNPM[0], [...PNPM.slice(1), 'typecheck']);
  step('package exports (publint, attw)', PNPM[0], [...PNPM.slice(1), 'check:packages']);
  vitestRun(`vitest (node ${process.versions.node})`);
}

if (failures.length) console.log(`\nFailed: ${failures.join(', ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
