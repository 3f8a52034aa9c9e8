#!/usr/bin/env node
// The single-file bundle for <script> tags: everything the package exports on the global
// `Faultline`, minified, with its source map. Built from the sources with esbuild.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

await build({
  entryPoints: [join(packageDir, 'src', 'index.ts')],
  outfile: join(packageDir, 'dist', 'faultline.min.js'),
  bundle: true,
  minify: true,
  sourcemap: true,
  format: 'iife',
  globalName: 'Faultline',
  platform: 'browser',
  target: 'es2020',
  alias: { '@faultline/core': join(packageDir, '..', 'core', 'src', 'index.ts') },
  logLevel: 'warning',
});
