/** `startDevServer()`: the ingest, the JSON API, the live stream and the UI on one loopback HTTP server. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { type ApiContext, handleApi } from './api-handler';
import { sendError, sendPreflight } from './http-responses';
import { handleIngest, type IngestContext, type IngestRoute } from './ingest-handler';
import { DEFAULT_INGEST_LIMITS, type IngestLimits } from './limits';
import { LiveStream } from './live-stream';
import { DevStore } from './storage/dev-store';
import { DEFAULT_RETENTION, type RetentionOptions } from './storage/retention';
import { defaultUiDir, UI_ASSET_PREFIX, UiAssets } from './ui-assets';

export interface DevServerOptions {
  /** Default 8969 (Spotlight's port, so SDKs' `spotlight: true` finds it); 0 picks a free port. */
  port?: number;
  /** Default 127.0.0.1: the dev server is for this machine only. */
  host?: string;
  /** SQLite file; default `.faultline/devserver.sqlite` in the working directory. `:memory:` keeps nothing. */
  dbPath?: string;
  retention?: Partial<RetentionOptions>;
  limits?: Partial<IngestLimits>;
  /** Accept only these DSN public keys (default: any key). */
  publicKeys?: string[];
  /** Directory of the built UI; default the package's `dist/ui`. */
  uiDir?: string;
  /** Receives one line per rejected request or internal failure; default silent. */
  log?: (line: string) => void;
}

export interface DevServer {
  /** `http://127.0.0.1:8969` */
  url: string;
  port: number;
  host: string;
  /** A DSN pointing at this server: `http://faultline@127.0.0.1:8969/<projectId>`. */
  dsn(projectId?: number | string): string;
  close(): Promise<void>;
}

/** Marks the server so that a Faultline SDK in the same process never traces its own dev server. */
const INSTRUMENTED_MARK = Symbol.for('faultline.node.httpServerInstrumented');
/** Retention also runs without traffic, so that age limits apply to an idle server. */
const PRUNE_INTERVAL_MS = 60_000;

export async function startDevServer(options: DevServerOptions = {}): Promise<DevServer> {
  const host = options.host ?? '127.0.0.1';
  const retention = { ...DEFAULT_RETENTION, ...options.retention };
  const store = DevStore.open(
    options.dbPath ?? join(process.cwd(), '.faultline', 'devserver.sqlite'),
    retention,
  );
  const live = new LiveStream();
  const log = options.log ?? (() => {});
  const itemsReceived = new Map<string, number>();
  const ingest: IngestContext = {
    store,
    live,
    limits: { ...DEFAULT_INGEST_LIMITS, ...options.limits },
    allowedKeys: options.publicKeys ? new Set(options.publicKeys) : undefined,
    itemsReceived,
    log,
  };
  const api: ApiContext = { store, live, itemsReceived, startedAt: new Date() };
  const ui = new UiAssets(options.uiDir ?? defaultUiDir());

  const server = createServer((req, res) => {
    try {
      route(req, res, ingest, api, ui);
    } catch (error) {
      log(`failed ${req.method} ${req.url}: ${(error as Error).stack ?? String(error)}`);
      if (!res.headersSent) sendError(res, 500, `internal error: ${(error as Error).message}`);
      else res.destroy();
    }
  });
  (server as Server & Record<symbol, unknown>)[INSTRUMENTED_MARK] = true;
  server.on('clientError', (_error, socket) => socket.destroy());
  try {
    await listen(server, options.port ?? 8969, host);
  } catch (error) {
    live.close();
    store.close();
    throw error;
  }
  const pruneTimer = setInterval(() => {
    try {
      store.writer.prune();
    } catch (error) {
      log(`pruning failed: ${(error as Error).message}`);
    }
  }, PRUNE_INTERVAL_MS);
  pruneTimer.unref();

  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const url = `http://${urlHost}:${port}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port,
    host,
    dsn: (projectId = 1) => `http://faultline@${urlHost}:${port}/${projectId}`,
    close: () => {
      closing ??= new Promise<void>((resolve) => {
        clearInterval(pruneTimer);
        live.close();
        server.close(() => {
          store.close();
          resolve();
        });
        server.closeAllConnections();
      });
      return closing;
    },
  };
}

function route(
  req: IncomingMessage,
  res: ServerResponse,
  ingest: IngestContext,
  api: ApiContext,
  ui: UiAssets,
): void {
  const url = new URL(req.url ?? '/', 'http://devserver');
  const ingestRoute = ingestRouteOf(url.pathname);
  if (req.method === 'OPTIONS') sendPreflight(req, res);
  else if (ingestRoute) {
    if (req.method === 'POST') void handleIngest(req, res, url, ingestRoute, ingest);
    else sendError(res, 405, `${url.pathname} accepts POST`);
  } else if (url.pathname.startsWith('/api/')) handleApi(req, res, url, api);
  else if (req.method !== 'GET' && req.method !== 'HEAD') sendError(res, 405, `${url.pathname} accepts GET`);
  else if (!url.pathname.startsWith(UI_ASSET_PREFIX)) ui.serveIndex(res);
  else if (!ui.serveAsset(url.pathname, res)) sendError(res, 404, `no asset ${url.pathname}`);
}

function ingestRouteOf(pathname: string): IngestRoute | undefined {
  if (pathname === '/stream' || pathname === '/stream/') return { kind: 'spotlight' };
  const match = /^\/api\/([^/]+)\/(envelope|store)\/?$/.exec(pathname);
  return match ? { kind: match[2] as 'envelope' | 'store', project: safeDecode(match[1]!) } : undefined;
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}
