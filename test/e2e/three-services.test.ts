/**
 * Acceptance (issue 5): Express gateway → Fastify payments → Express notifications, three real
 * processes on the built packages. One trace id across the three transactions, each parent being
 * the caller's http.client span, and the payments error attached to that trace.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { Event } from '@faultline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { transactionProblems } from '../support/trace-checks';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/${name}.mjs`, import.meta.url));
const children: ChildProcess[] = [];
let ingest: TestIngest;
let gateway: string;

function startService(name: string, env: Record<string, string>): Promise<string> {
  const child = spawn(process.execPath, [fixture(name)], {
    cwd: fileURLToPath(new URL('.', import.meta.url)),
    env: { PATH: process.env.PATH, FAULTLINE_DSN: ingest.dsn, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    let output = '';
    child.stdout!.on('data', (chunk) => {
      output += chunk;
      const port = /listening (\d+)/.exec(output)?.[1];
      if (port) resolve(`http://127.0.0.1:${port}`);
    });
    child.on('exit', (code) => reject(new Error(`${name} exited with ${code} before listening`)));
  });
}

beforeAll(async () => {
  for (const pkg of ['express', 'fastify', 'node', 'core']) {
    if (!existsSync(fileURLToPath(new URL(`../../packages/${pkg}/dist/index.js`, import.meta.url)))) {
      throw new Error('These services run the built packages: run `pnpm build` first.');
    }
  }
  ingest = await startIngest();
  const notifications = await startService('notifications', {});
  const payments = await startService('payments', { NOTIFICATIONS_URL: notifications });
  gateway = await startService('gateway', { PAYMENTS_URL: payments });
}, 30_000);

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  await ingest.close();
});

function transactionOf(service: string, events: Event[]): Event {
  const found = events.find((t) => t.server_name === service);
  if (!found)
    throw new Error(`no transaction from ${service}: ${events.map((t) => t.server_name).join(', ')}`);
  return found;
}

describe('gateway → payments → notifications', () => {
  it('one trace across three processes, parented by each caller’s http.client span, with the error attached', async () => {
    const response = await fetch(`${gateway}/checkout/bug-17`, { method: 'POST' });
    expect(response.status).toBe(500);
    await ingest.waitFor(() => ingest.transactions().length >= 3 && ingest.events().length >= 1, {
      timeout: 10_000,
    });

    const transactions = ingest.transactions();
    const gatewayTx = transactionOf('gateway', transactions);
    const paymentsTx = transactionOf('payments', transactions);
    const notificationsTx = transactionOf('notifications', transactions);
    for (const transaction of transactions) expect(transactionProblems(transaction)).toEqual([]);
    expect(ingest.schemaErrors()).toEqual([]);

    expect(gatewayTx.transaction).toBe('POST /checkout/:cartId');
    expect(paymentsTx.transaction).toBe('POST /charge/:cartId');
    expect(notificationsTx.transaction).toBe('POST /notify/:cartId');
    const traceId = gatewayTx.contexts!.trace!.trace_id;
    expect(paymentsTx.contexts!.trace!.trace_id).toBe(traceId);
    expect(notificationsTx.contexts!.trace!.trace_id).toBe(traceId);

    const clientSpan = (transaction: Event) => transaction.spans!.find((span) => span.op === 'http.client')!;
    expect(paymentsTx.contexts!.trace!.parent_span_id).toBe(clientSpan(gatewayTx).span_id);
    expect(notificationsTx.contexts!.trace!.parent_span_id).toBe(clientSpan(paymentsTx).span_id);

    const [error] = ingest.events();
    expect(error!.server_name).toBe('payments');
    expect(error!.exception!.values!.at(-1)).toMatchObject({
      type: 'TypeError',
      value: 'cannot price cart bug-17',
    });
    expect(error!.contexts!.trace!.trace_id).toBe(traceId);
    expect(error!.contexts!.trace!.span_id).toBe(paymentsTx.contexts!.trace!.span_id);
    expect(error!.transaction).toBe('POST /charge/:cartId');
    expect(paymentsTx.contexts!.trace!.status).toBe('internal_error');
  });
});
