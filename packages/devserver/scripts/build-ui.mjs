#!/usr/bin/env node
// Bundles the web UI (Preact, from ui/) into dist/ui: app.js, app.css and index.html. Everything is
// served by the dev server itself: no CDN, nothing fetched at run time.
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

const INDEX_HTML = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <title>Faultline dev server</title>
    <link rel="icon" href="data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 16 16'%3E%3Cpath d='M8 1l7 7-7 7-7-7z' fill='%235b4bdb'/%3E%3C/svg%3E">
    <link rel="stylesheet" href="/ui/app.css">
  </head>
  <body>
    <div id="app"></div>
    <script type="module" src="/ui/app.js"></script>
  </body>
</html>
`;

export async function buildUi(outDir = join(packageDir, 'dist', 'ui')) {
  mkdirSync(outDir, { recursive: true });
  await build({
    entryPoints: { app: join(packageDir, 'ui', 'main.tsx') },
    outdir: outDir,
    bundle: true,
    minify: true,
    format: 'esm',
    target: 'es2020',
    jsx: 'automatic',
    jsxImportSource: 'preact',
    legalComments: 'none',
    logLevel: 'warning',
  });
  writeFileSync(join(outDir, 'index.html'), INDEX_HTML);
  return outDir;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const outDir = await buildUi(process.argv[2]);
  console.log(`UI built into ${outDir}`);
}
