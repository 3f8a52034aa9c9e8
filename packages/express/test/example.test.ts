/** examples/express-basic as a user runs it: its own process, the BUILT packages, the test ingest. */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import type { IncomingHttpHeaders } from 'node:http';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';
import { listen, type Running } from './express-apps';

const server = fileURLToPath(new URL('../../../examples/express-basic/server.mjs', import.meta.url));
const builtPackages = ['core', 'node', 'express'].map((name) =>
  fileURLToPath(new URL(`../../${name}/dist/index.js`, import.meta.url)),
);

let ingest: TestIngest;
let downstream: Running;
let child: ChildProcess;
let base: string;
const downstreamHeaders: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  const missing = builtPackages.filter((file) => !existsSync(file));
  if (missing.length) throw new Error(`run pnpm build first (missing ${missing.join(', ')})`);
  ingest = await startIngest();
  downstream = await listen((req, res) => {
    downstreamHeaders.push(req.headers);
    res.end('quote 42');
  });
  child = spawn(process.execPath, [server], {
    env: { ...process.env, PORT: '0', FAULTLINE_DSN: ingest.dsn, DOWNSTREAM_URL: downstream.base },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await new Promise<string>((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const match = /listening on (\d+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    child.once('exit', (code) => reject(new Error(`example exited with ${code}: ${output}`)));
  });
  base = `http://127.0.0.1:${port}`;
});
afterAll(async () => {
  if (child && child.exitCode === null) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill('SIGTERM');
    await exited;
  }
  await downstream?.close();
  await ingest?.close();
});

describe('examples/express-basic', () => {
  it('reports the failing route and traces the downstream call', async () => {
    const ok = await fetch(`${base}/orders/7`, { headers: { 'x-user-id': 'buyer-1' } });
    expect(await ok.json()).toEqual({ order: '7', quote: 'quote 42' });
    expect((await fetch(`${base}/orders/8/fail`, { headers: { 'x-user-id': 'buyer-2' } })).status).toBe(500);
    await ingest.waitFor(() => ingest.transactions().length >= 2 && ingest.events().length >= 1, {
      timeout: 10_000,
    });

    const [event] = ingest.events();
    expect(event!.transaction).toBe('GET /orders/:id/fail');
    expect(event!.user).toEqual({ id: 'buyer-2' });
    expect(event!.release).toBe('orders@1.0.0');
    expect(event!.sdk?.name).toBe('faultline.javascript.express');
    const exception = event!.exception!.values!.at(-1)!;
    expect(exception.mechanism).toMatchObject({ type: 'auto.middleware.express', handled: false });
    expect(exception.stacktrace!.frames!.at(-1)!.function).toBe('loadBrokenOrder');

    const byName = Object.fromEntries(ingest.transactions().map((t) => [t.transaction ?? '', t]));
    const order = byName['GET /orders/:id']!;
    expect(order.contexts!.trace!.status).toBe('ok');
    expect(transactionProblems(order)).toEqual([]);
    const client = order.spans!.find((span) => span.op === 'http.client')!;
    expect(client).toBeDefined();
    expect(String(downstreamHeaders[0]!['sentry-trace'])).toBe(
      `${order.contexts!.trace!.trace_id}-${client.span_id}-1`,
    );
    expect(byName['GET /orders/:id/fail']!.contexts!.trace!.trace_id).toBe(event!.contexts!.trace!.trace_id);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});
