/**
 * The web UI: a bundle built into `dist/ui` (index.html, app.js, app.css) and held in memory. Every path
 * that is not the API or an asset answers with index.html, so the UI's own routes (`/issues/3`) load directly.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { dirname, extname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.map': 'application/json; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
};

const MISSING_UI = `<!doctype html><meta charset="utf-8"><title>Faultline</title>
<p>The Faultline UI is not built. Run <code>pnpm build</code> in packages/devserver; the JSON API works without it.</p>`;

export const UI_ASSET_PREFIX = '/ui/';

/** `dist/ui` beside the bundle, or the package's `dist/ui` when running from source. */
export function defaultUiDir(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'ui'), join(here, '..', 'dist', 'ui')];
  return candidates.find((dir) => existsSync(join(dir, 'index.html'))) ?? candidates[0]!;
}

export class UiAssets {
  private readonly files = new Map<string, Buffer>();

  constructor(dir: string) {
    if (!existsSync(dir)) return;
    for (const name of readdirSync(dir)) {
      if (CONTENT_TYPES[extname(name)]) this.files.set(name, readFileSync(join(dir, name)));
    }
  }

  /** Answers `/ui/<file>`; false when there is no such asset. */
  serveAsset(pathname: string, res: ServerResponse): boolean {
    const name = pathname.slice(UI_ASSET_PREFIX.length);
    const body = this.files.get(name);
    if (!body || name === 'index.html') return false;
    this.send(res, body, CONTENT_TYPES[extname(name)]!);
    return true;
  }

  serveIndex(res: ServerResponse): void {
    this.send(res, this.files.get('index.html') ?? Buffer.from(MISSING_UI), CONTENT_TYPES['.html']!);
  }

  private send(res: ServerResponse, body: Buffer, contentType: string): void {
    res.writeHead(200, {
      'content-type': contentType,
      'content-length': body.length,
      'cache-control': 'no-cache',
      'x-content-type-options': 'nosniff',
    });
    res.end(body);
  }
}
