/**
 * What the browser tests share: Debian's Chromium driven by playwright-core (a fresh profile per
 * launch), the SDK bundled from its sources as the IIFE pages load, and loopback page servers.
 * A missing Chromium fails the tests with the command that installs it.
 */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { type BrowserContext, chromium } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface Browser {
  context: BrowserContext;
  close(): Promise<void>;
}

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium is missing at ${CHROMIUM}; the browser tests need it: apt-get update && apt-get install -y chromium`,
    );
  }
  const profile = mkdtempSync(join(tmpdir(), 'faultline-chromium-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
  });
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

let bundle: Promise<string> | undefined;

/** The SDK as `<script src>` pages load it: the IIFE (global `Faultline`) built from the sources. */
export function sdkBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../src/index.ts', import.meta.url))],
    bundle: true,
    write: false,
    format: 'iife',
    globalName: 'Faultline',
    platform: 'browser',
    target: 'es2020',
    alias: { '@faultline/core': fileURLToPath(new URL('../../core/src/index.ts', import.meta.url)) },
    logLevel: 'error',
  }).then((result) => result.outputFiles[0]!.text);
  return bundle;
}

export interface RecordedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}

type Route = string | ((req: IncomingMessage, res: ServerResponse) => void | Promise<void>);

export interface PageServer {
  url: string;
  requests: RecordedRequest[];
  route(path: string, route: Route): void;
  close(): Promise<void>;
}

/**
 * A loopback server: `/faultline.js` is the SDK bundle, other paths are routes (a string is served
 * as HTML, or JavaScript for `.js` paths). Every request is recorded with its headers.
 */
export async function startPageServer(): Promise<PageServer> {
  const routes = new Map<string, Route>();
  const requests: RecordedRequest[] = [];
  const server = createServer(async (req, res) => {
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    requests.push({ method: req.method ?? '', path, headers: req.headers });
    try {
      if (path === '/faultline.js') return send(res, 'text/javascript', await sdkBundle());
      const route = routes.get(path);
      if (route === undefined) {
        res.writeHead(404).end();
        return;
      }
      if (typeof route === 'function') return await route(req, res);
      send(res, path.endsWith('.js') ? 'text/javascript' : 'text/html', route);
    } catch (error) {
      res.writeHead(500).end(String(error));
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    route: (path, route) => routes.set(path, route),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, type: string, body: string): void {
  res.writeHead(200, { 'content-type': `${type}; charset=utf-8`, 'cache-control': 'no-store' });
  res.end(body);
}

export interface PageOptions {
  /** JavaScript source of the options object given to `Faultline.init`. */
  init: string;
  head?: string;
  body?: string;
  /** Runs at the end of the body. */
  script?: string;
}

/** An HTML page that loads the SDK in its head and initialises it before anything else runs. */
export function page({ init, head = '', body = '', script = '' }: PageOptions): string {
  return `<!doctype html>
<html><head><meta charset="utf-8"><title>test</title>${head}
<script src="/faultline.js"></script>
<script>Faultline.init(${init});</script>
</head><body>${body}<script>${script}</script></body></html>`;
}
