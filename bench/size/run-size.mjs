// Browser bundle sizes as an app bundler sees them, measured the way
// packages/browser/scripts/size-check.mjs does: esbuild (bundle, minify, ESM, es2020) of an entry
// that imports init + captureException, and one that adds browserTracingIntegration, then gzip -9.
// @faultline/browser is measured from its built dist, @sentry/browser from node_modules.
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { markdownTable } from '../lib/markdown-table.mjs';

const root = fileURLToPath(new URL('../../', import.meta.url));
const SDKS = [
  {
    label: '@faultline/browser',
    specifier: '@faultline/browser',
    alias: {
      '@faultline/browser': `${root}packages/browser/dist/index.js`,
      '@faultline/core': `${root}packages/core/dist/index.js`,
    },
  },
  { label: '@sentry/browser', specifier: '@sentry/browser', alias: {} },
];
const ENTRIES = [
  { label: 'errors only (init, captureException)', names: ['init', 'captureException'] },
  {
    label: 'with tracing (+ browserTracingIntegration)',
    names: ['init', 'captureException', 'browserTracingIntegration'],
  },
];

export async function runSizeBench() {
  const results = [];
  for (const entry of ENTRIES) {
    for (const sdk of SDKS) {
      const code = `import { ${entry.names.join(', ')} } from '${sdk.specifier}';\nwindow.__use = [${entry.names.join(', ')}];`;
      const output = await build({
        stdin: { contents: code, resolveDir: root, loader: 'js' },
        bundle: true,
        minify: true,
        write: false,
        format: 'esm',
        platform: 'browser',
        target: 'es2020',
        alias: sdk.alias,
        logLevel: 'error',
      });
      const bytes = output.outputFiles[0].contents;
      results.push({
        entry: entry.label,
        sdk: sdk.label,
        minified: bytes.length,
        gzipped: gzipSync(bytes, { level: 9 }).length,
      });
    }
  }
  return results;
}

export function sizeReport(results) {
  const kb = (bytes) => `${(bytes / 1024).toFixed(2)} KB`;
  const rows = results.map((r) => {
    const faultline = results.find((f) => f.entry === r.entry && f.sdk === '@faultline/browser');
    return [r.entry, r.sdk, kb(r.minified), kb(r.gzipped), `${(r.gzipped / faultline.gzipped).toFixed(2)}×`];
  });
  return [
    '## Browser bundle size',
    '',
    'esbuild bundle + minify (ESM, es2020, platform browser), then gzip -9; KB = 1024 bytes. ' +
      'Same entries and settings for both SDKs (no SDK-specific tree-shaking flags).',
    '',
    markdownTable(['entry', 'SDK', 'minified', 'gzip -9', 'gzip vs Faultline'], rows),
  ].join('\n');
}
