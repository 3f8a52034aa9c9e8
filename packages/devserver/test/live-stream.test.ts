import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorEnvelope, startTestServer, type TestServer } from './helpers';

let server: TestServer;
beforeAll(async () => {
  server = await startTestServer();
});
afterAll(() => server.stop());

/** Collects Server-Sent Events until `until` says enough. */
function collectEvents(until: (events: Array<{ event: string; data: any }>) => boolean) {
  const events: Array<{ event: string; data: any }> = [];
  let resolveConnected: () => void;
  const connected = new Promise<void>((resolve) => {
    resolveConnected = resolve;
  });
  const done = new Promise<{ contentType: string | undefined; events: typeof events }>((resolve, reject) => {
    const req = request(`${server.url}/api/stream`, (res) => {
      let buffer = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => {
        buffer += chunk;
        if (buffer.includes(': connected')) resolveConnected();
        let boundary = buffer.indexOf('\n\n');
        while (boundary !== -1) {
          const block = buffer.slice(0, boundary);
          buffer = buffer.slice(boundary + 2);
          const event = /^event: (.+)$/m.exec(block)?.[1];
          const data = /^data: (.+)$/m.exec(block)?.[1];
          if (event && data) events.push({ event, data: JSON.parse(data) });
          boundary = buffer.indexOf('\n\n');
        }
        if (until(events)) {
          req.destroy();
          resolve({ contentType: res.headers['content-type'], events });
        }
      });
    });
    req.on('error', reject);
    req.end();
  });
  return { connected, done };
}

describe('live stream', () => {
  it('pushes event, issue and trace notifications when an event arrives', async () => {
    const stream = collectEvents((events) => events.some((event) => event.event === 'issue'));
    await stream.connected;
    const { envelope, eventId } = errorEnvelope({
      errorType: 'LiveError',
      contexts: { trace: { trace_id: 'c'.repeat(32), span_id: 'd'.repeat(16) } },
    });
    await server.send(envelope);
    const { contentType, events } = await stream.done;
    expect(contentType).toBe('text/event-stream; charset=utf-8');
    expect(events.find((event) => event.event === 'event')?.data).toMatchObject({
      eventId,
      kind: 'error',
      traceId: 'c'.repeat(32),
    });
    expect(events.find((event) => event.event === 'issue')?.data).toMatchObject({
      title: 'LiveError: cart.total is undefined',
      count: 1,
      isNew: true,
    });
  });

  it('announces updated traces', async () => {
    const stream = collectEvents((events) => events.some((event) => event.event === 'trace'));
    await stream.connected;
    await server.send(
      errorEnvelope({ contexts: { trace: { trace_id: 'e'.repeat(32), span_id: 'f'.repeat(16) } } }).envelope,
    );
    const { events } = await stream.done;
    expect(events.find((event) => event.event === 'trace')?.data).toMatchObject({
      traceId: 'e'.repeat(32),
      errorCount: 1,
    });
  });
});
