import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
let uiDir: string;
let server: TestServer;

beforeAll(async () => {
  uiDir = mkdtempSync(join(tmpdir(), 'faultline-ui-'));
  await promisify(execFile)(process.execPath, [join(packageDir, 'scripts/build-ui.mjs'), uiDir], {
    timeout: 60_000,
  });
  server = await startTestServer({ uiDir });
}, 60_000);
afterAll(async () => {
  await server.stop();
  rmSync(uiDir, { recursive: true, force: true });
});

describe('web UI', () => {
  it('serves index.html at / referencing the bundled assets, with no CDN', async () => {
    const response = await fetch(`${server.url}/`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const html = await response.text();
    expect(html).toContain('<script type="module" src="/ui/app.js"></script>');
    expect(html).toContain('<link rel="stylesheet" href="/ui/app.css">');
    expect(html).not.toMatch(/(?:src|href)="(?:https?:)?\/\//);
  });

  it('serves the assets with the right content types', async () => {
    const script = await fetch(`${server.url}/ui/app.js`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    const code = await script.text();
    expect(code).toContain('/api/stream');
    expect(code).not.toMatch(/from\s*["']preact/);
    const css = await fetch(`${server.url}/ui/app.css`);
    expect(css.headers.get('content-type')).toBe('text/css; charset=utf-8');
    expect(await css.text()).toContain('.waterfall');
  });

  it('answers UI routes with index.html and unknown assets with 404', async () => {
    for (const path of ['/issues/1', '/traces/abc', '/search?q=user:ada']) {
      const response = await fetch(`${server.url}${path}`);
      expect(response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    }
    expect((await fetch(`${server.url}/ui/nope.js`)).status).toBe(404);
    expect((await fetch(`${server.url}/ui/..%2f..%2fpackage.json`)).status).toBe(404);
  });

  it('explains itself when the UI was never built, while the API keeps working', async () => {
    const bare = await startTestServer({ uiDir: join(uiDir, 'missing') });
    try {
      expect(await (await fetch(`${bare.url}/`)).text()).toContain('UI is not built');
      expect((await bare.api('/api/health')).ok).toBe(true);
    } finally {
      await bare.stop();
    }
  });
});
