#!/usr/bin/env node
// Size budgets of @faultline/browser as an app bundler sees it: esbuild (bundle, minify) on an entry
// importing `init` and `captureException`, with and without `browserTracingIntegration`, then gzip -9.
// Prints both sizes and the modules that weigh most; exits non-zero when a budget is exceeded.
//
// `--ratchet` (what CI runs while a budget is still missed): a bundle may not grow past the larger of
// its budget and its size recorded in size-ratchet.json, so the size only goes down until the budget
// holds, and from then on the budget rules. `--record` lowers the recorded sizes to the current ones.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const KB = 1024;
const ENTRIES = [
  {
    id: 'errorsOnly',
    label: 'errors only (init, captureException)',
    budget: 12 * KB,
    code: `import { init, captureException } from '@faultline/browser';\nwindow.__use = [init, captureException];`,
  },
  {
    id: 'withTracing',
    label: 'with tracing (+ browserTracingIntegration)',
    budget: 20 * KB,
    code: `import { init, captureException, browserTracingIntegration } from '@faultline/browser';\nwindow.__use = [init, captureException, browserTracingIntegration];`,
  },
];

/** Sources by default; `--dist` measures the built packages (`dist/index.js` of browser and core). */
const fromDist = process.argv.includes('--dist');
const alias = fromDist
  ? {
      '@faultline/browser': join(packageDir, 'dist', 'index.js'),
      '@faultline/core': join(packageDir, '..', 'core', 'dist', 'index.js'),
    }
  : {
      '@faultline/browser': join(packageDir, 'src', 'index.ts'),
      '@faultline/core': join(packageDir, '..', 'core', 'src', 'index.ts'),
    };

const ratchetFile = join(packageDir, 'size-ratchet.json');
const ratchet = process.argv.includes('--ratchet') || process.argv.includes('--record');
const recorded = ratchet ? JSON.parse(readFileSync(ratchetFile, 'utf8')) : {};
/** Room for a few bytes of gzip noise when a change moves code around without adding any. */
const RATCHET_SLACK = 64;

let failed = false;
const measured = {};
for (const entry of ENTRIES) {
  const result = await build({
    stdin: { contents: entry.code, resolveDir: packageDir, loader: 'js' },
    bundle: true,
    minify: true,
    write: false,
    metafile: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2020',
    alias,
    logLevel: 'error',
  });
  const bytes = result.outputFiles[0].contents;
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  measured[entry.id] = gzipped;
  const withinBudget = gzipped <= entry.budget;
  const limit = ratchet ? Math.max(entry.budget, recorded[entry.id] + RATCHET_SLACK) : entry.budget;
  const ok = gzipped <= limit;
  if (!ok) failed = true;
  const ratchetNote =
    ratchet && !withinBudget ? `; over budget, may not grow past ${(limit / KB).toFixed(2)} KB` : '';
  console.log(
    `${withinBudget ? 'ok  ' : 'OVER'} ${entry.label}: ${(gzipped / KB).toFixed(2)} KB gzip (${(bytes.length / KB).toFixed(1)} KB minified), budget ${(entry.budget / KB).toFixed(0)} KB${ratchetNote}${ok || !ratchet ? '' : ' ✖ GREW'}`,
  );
  if (!ok || process.argv.includes('--verbose')) {
    const inputs = Object.values(result.metafile.outputs)[0].inputs;
    const heaviest = Object.entries(inputs)
      .sort((a, b) => b[1].bytesInOutput - a[1].bytesInOutput)
      .slice(0, process.argv.includes('--verbose') ? undefined : 15);
    for (const [file, { bytesInOutput }] of heaviest)
      console.log(`       ${String(bytesInOutput).padStart(6)} B  ${file}`);
  }
}
if (process.argv.includes('--record')) {
  const lowered = Object.fromEntries(
    ENTRIES.map(({ id }) => [id, Math.min(recorded[id] ?? Number.POSITIVE_INFINITY, measured[id])]),
  );
  writeFileSync(ratchetFile, `${JSON.stringify(lowered, null, 2)}\n`);
  console.log(`recorded in ${ratchetFile}: ${JSON.stringify(lowered)}`);
}
process.exit(failed ? 1 : 0);
