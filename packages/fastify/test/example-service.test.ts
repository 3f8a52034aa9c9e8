/**
 * examples/fastify-basic run as a user would (its own process, the built packages) against the test
 * ingest, with a loopback downstream service.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http, { type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { transactionProblems } from '../../../test/support/trace-checks';

const exampleDir = fileURLToPath(new URL('../../../examples/fastify-basic/', import.meta.url));
const builtEntries = ['core', 'node', 'fastify'].map((pkg) =>
  fileURLToPath(new URL(`../../${pkg}/dist/index.js`, import.meta.url)),
);

let ingest: TestIngest;
let downstream: http.Server;
let service: ChildProcess;
let base: string;
const downstreamHeaders: IncomingHttpHeaders[] = [];

beforeAll(async () => {
  const missing = builtEntries.filter((entry) => !existsSync(entry));
  if (missing.length) throw new Error(`run pnpm build first (missing ${missing.join(', ')})`);
  ingest = await startIngest();
  downstream = http.createServer((request, response) => {
    downstreamHeaders.push(request.headers);
    request.resume().on('end', () => response.end('{"sent":true}'));
  });
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve));
  service = spawn(process.execPath, ['server.mjs'], {
    cwd: exampleDir,
    env: {
      ...process.env,
      PORT: '0',
      FAULTLINE_DSN: ingest.dsn,
      DOWNSTREAM_URL: `http://127.0.0.1:${(downstream.address() as AddressInfo).port}/notifications`,
    },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  base = await new Promise<string>((resolve, reject) => {
    let output = '';
    service.stdout!.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) resolve(match[1]!);
    });
    service.once('exit', (code) => reject(new Error(`example exited with ${code}: ${output}`)));
  });
});
afterAll(async () => {
  if (service.exitCode === null) service.kill('SIGKILL');
  await new Promise((resolve) => downstream.close(resolve));
  await ingest.close();
});

describe('examples/fastify-basic', () => {
  it('sends the route error and the transactions, and traces its downstream call', async () => {
    const charged = await fetch(`${base}/payments/77`, { method: 'POST', headers: { 'x-user-id': 'u-1' } });
    expect(charged.status).toBe(200);
    const failed = await fetch(`${base}/payments/5/fail`, { headers: { 'x-user-id': 'u-2' } });
    expect(failed.status).toBe(500);
    const exited = new Promise((resolve) => service.once('exit', resolve));
    service.kill('SIGTERM');
    await exited;
    await ingest.waitFor(() => ingest.transactions().length === 2 && ingest.events().length === 1, {
      timeout: 10_000,
    });

    const [event] = ingest.events();
    expect(event!.transaction).toBe('GET /payments/:paymentId/fail');
    expect(event!.sdk?.name).toBe('faultline.javascript.fastify');
    expect(event!.user?.id).toBe('u-2');
    const exception = event!.exception!.values!.at(-1)!;
    expect(exception.value).toBe('card processor rejected payment 5');
    expect(exception.mechanism).toMatchObject({ type: 'auto.http.fastify', handled: false });

    const names = ingest.transactions().map((t) => t.transaction);
    expect(names.sort()).toEqual(['GET /payments/:paymentId/fail', 'POST /payments/:orderId']);
    const payment = ingest.transactions().find((t) => t.transaction === 'POST /payments/:orderId')!;
    expect(transactionProblems(payment)).toEqual([]);
    const clientSpan = payment.spans!.find((span) => span.op === 'http.client')!;
    expect(downstreamHeaders).toHaveLength(1);
    expect(downstreamHeaders[0]!['sentry-trace']).toBe(
      `${payment.contexts!.trace!.trace_id}-${clientSpan.span_id}-1`,
    );
    expect(event!.contexts!.trace!.trace_id).not.toBe(payment.contexts!.trace!.trace_id);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});
