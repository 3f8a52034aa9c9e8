/**
 * The direct sender against scripted loopback servers: what a real ingest, load balancer or proxy
 * may do to a keep-alive connection (close it while idle, reset it, answer chunked, answer garbage),
 * TLS with a private CA, the connection limit and closing.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpsServer, type Server as HttpsServer } from 'node:https';
import { type AddressInfo, createServer, type Server, type Socket } from 'node:net';
import { debug } from '@faultline/core';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createDirectSender } from '../src/direct-sender';

const headers = { 'content-type': 'application/x-sentry-envelope', 'user-agent': 'test' };
const timeouts = { maxConnections: 4, timeout: 2000, keepAliveTimeout: 30_000 };
const OK = 'HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\n{}';

interface Received {
  connection: number;
  head: string;
  body: string;
}

/** A server that parses Content-Length requests and lets each test decide how to answer. */
function scriptedServer(answer: (request: Received, socket: Socket, index: number) => void) {
  const received: Received[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  const server: Server = createServer((socket) => {
    const connection = ++connections;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffered = Buffer.alloc(0);
    socket.on('data', (chunk) => {
      buffered = Buffer.concat([buffered, chunk]);
      for (;;) {
        const end = buffered.indexOf('\r\n\r\n');
        if (end === -1) return;
        const head = buffered.toString('latin1', 0, end);
        const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
        if (buffered.length < end + 4 + length) return;
        const request = { connection, head, body: buffered.toString('utf8', end + 4, end + 4 + length) };
        buffered = buffered.subarray(end + 4 + length);
        received.push(request);
        answer(request, socket, received.length - 1);
      }
    });
  });
  const listening = new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    received,
    connections: () => connections,
    url: async () => {
      await listening;
      return new URL(
        `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/1/envelope/?sentry_key=k`,
      );
    },
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(resolve));
    },
  };
}

const cleanups: Array<() => unknown> = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup();
  vi.restoreAllMocks();
});

async function setUp(answer: Parameters<typeof scriptedServer>[0], options = timeouts) {
  const server = scriptedServer(answer);
  const sender = createDirectSender(await server.url(), options);
  cleanups.push(
    () => sender.close(),
    () => server.close(),
  );
  return { server, sender };
}

describe('createDirectSender', () => {
  it('writes one well-formed request and reads status and rate-limit headers', async () => {
    const { server, sender } = await setUp((_request, socket) =>
      socket.write(
        'HTTP/1.1 200 OK\r\nX-Sentry-Rate-Limits: 60:error:key\r\nRetry-After: 7\r\nContent-Length: 2\r\n\r\n{}',
      ),
    );
    const body = '{"event_id":"a"}\n{"type":"event","length":7}\n{"é":1}';
    const response = await sender.send(body, headers);
    expect(response).toEqual({
      statusCode: 200,
      headers: { 'x-sentry-rate-limits': '60:error:key', 'retry-after': '7' },
    });
    const [request] = server.received;
    const port = (await server.url()).port;
    expect(request!.head.split('\r\n')).toEqual([
      'POST /api/1/envelope/?sentry_key=k HTTP/1.1',
      `Host: 127.0.0.1:${port}`,
      'content-type: application/x-sentry-envelope',
      'user-agent: test',
      `Content-Length: ${Buffer.byteLength(body)}`,
    ]);
    expect(request!.body).toBe(body);
  });

  it('sends binary bodies as they are', async () => {
    const { server, sender } = await setUp((_request, socket) => socket.write(OK));
    const body = new Uint8Array([0x1f, 0x8b, 0, 255, 10, 13]);
    expect((await sender.send(body, headers)).statusCode).toBe(200);
    expect(Buffer.from(server.received[0]!.body, 'utf8').length).toBeGreaterThan(0);
    expect(server.received[0]!.head).toContain('Content-Length: 6');
  });

  it('retries once on a new connection when a reused one was closed by the ingest', async () => {
    // The second request arrives on a connection the server has decided to drop (its keep-alive
    // timeout raced our send): it resets it without answering.
    const { server, sender } = await setUp((_request, socket, index) => {
      if (index === 1) socket.destroy();
      else socket.write(OK);
    });
    expect((await sender.send('first', headers)).statusCode).toBe(200);
    expect((await sender.send('second', headers)).statusCode).toBe(200);
    expect(server.received.map((request) => [request.body, request.connection])).toEqual([
      ['first', 1],
      ['second', 1],
      ['second', 2],
    ]);
  });

  it('does not retry on a new connection that fails, nor twice', async () => {
    const { server, sender } = await setUp((_request, socket) => socket.destroy());
    await expect(sender.send('lost', headers)).rejects.toThrow(/closed the connection|failed/);
    expect(server.received).toHaveLength(1);
  });

  it('notices an idle connection the ingest closed and opens a new one', async () => {
    const { server, sender } = await setUp((_request, socket) => {
      socket.write(OK);
      setTimeout(() => socket.end(), 10);
    });
    expect((await sender.send('one', headers)).statusCode).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect((await sender.send('two', headers)).statusCode).toBe(200);
    expect(server.received.map((request) => request.connection)).toEqual([1, 2]);
  });

  it('reads chunked and close-delimited answers, and honours Connection: close', async () => {
    const answers = [
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\n{}\r\n0\r\n\r\n',
      'HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 2\r\n\r\n{}',
      'HTTP/1.1 200 OK\r\n\r\n{"id":"close-delimited"}',
    ];
    const { server, sender } = await setUp((_request, socket, index) => {
      socket.write(answers[index] ?? OK);
      if (index === 2) socket.end();
    });
    for (const body of ['a', 'b', 'c', 'd']) expect((await sender.send(body, headers)).statusCode).toBe(200);
    expect(server.received.map((request) => request.connection)).toEqual([1, 1, 2, 3]);
  });

  it('fails a request answered with something other than HTTP', async () => {
    const { sender } = await setUp((_request, socket) => socket.write('SSH-2.0-OpenSSH_9.2\r\n\r\n'));
    await expect(sender.send('x', headers)).rejects.toThrow(/other than HTTP\/1\.x/);
  });

  it('times out a request the ingest never answers', async () => {
    const { sender } = await setUp(() => undefined, { ...timeouts, timeout: 200 });
    const started = Date.now();
    await expect(sender.send('x', headers)).rejects.toThrow('The ingest did not answer in time.');
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('times out a request on a reused connection by the request timeout, not the keep-alive one', async () => {
    const { server, sender } = await setUp(
      (_request, socket, index) => {
        if (index === 0) socket.write(OK);
      },
      { ...timeouts, timeout: 200 },
    );
    await expect(sender.send('first', headers)).resolves.toMatchObject({ statusCode: 200 });
    const started = Date.now();
    await expect(sender.send('second', headers)).rejects.toThrow('The ingest did not answer in time.');
    expect(Date.now() - started).toBeLessThan(2000);
    expect(server.received.map((request) => request.connection)).toEqual([1, 1]);
  });

  it('queues beyond maxConnections, in order, and close() rejects what still waits', async () => {
    const pending: Socket[] = [];
    const { server, sender } = await setUp((_request, socket) => pending.push(socket), {
      ...timeouts,
      maxConnections: 1,
    });
    const first = sender.send('first', headers);
    const second = sender.send('second', headers);
    const third = sender.send('third', headers);
    await vi.waitFor(() => expect(server.received).toHaveLength(1));
    pending.shift()!.write(OK);
    expect((await first).statusCode).toBe(200);
    await vi.waitFor(() => expect(server.received).toHaveLength(2));
    expect(server.received.map((request) => [request.body, request.connection])).toEqual([
      ['first', 1],
      ['second', 1],
    ]);
    await sender.close();
    await expect(second).rejects.toThrow('The transport was closed.');
    await expect(third).rejects.toThrow('The transport was closed.');
    await expect(sender.send('after', headers)).rejects.toThrow('The transport was closed.');
  });

  it('leaves out headers that could break the request, with one warning', async () => {
    const warn = vi.spyOn(debug, 'warnOnce');
    const { server, sender } = await setUp((_request, socket) => socket.write(OK));
    await sender.send('x', { ...headers, 'x-bad': 'a\r\nInjected: yes', Host: 'elsewhere', 'x-good': 'yes' });
    const lines = server.received[0]!.head.split('\r\n');
    expect(lines).toContain('x-good: yes');
    expect(lines.some((line) => /^injected/i.test(line) || line === 'Host: elsewhere')).toBe(false);
    expect(warn.mock.calls.map(([message]) => message)).toEqual([
      expect.stringContaining('"x-bad"'),
      expect.stringContaining('"Host"'),
    ]);
  });
});

describe('createDirectSender over TLS', () => {
  const key = readFileSync(new URL('./fixtures/ingest-tls-key.pem', import.meta.url));
  const cert = readFileSync(new URL('./fixtures/ingest-tls-cert.pem', import.meta.url));

  async function httpsIngest() {
    const serverNames: Array<string | false> = [];
    const bodies: string[] = [];
    const server: HttpsServer = createHttpsServer({ key, cert }, (request, response) => {
      serverNames.push((request.socket as unknown as { servername: string | false }).servername);
      let body = '';
      request.on('data', (chunk) => {
        body += chunk;
      });
      request.on('end', () => {
        bodies.push(body);
        response.end('{}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    cleanups.push(() => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(resolve));
    });
    return { port: (server.address() as AddressInfo).port, serverNames, bodies };
  }

  it('verifies the ingest against caCerts and names it by SNI', async () => {
    const ingest = await httpsIngest();
    const sender = createDirectSender(new URL(`https://localhost:${ingest.port}/api/1/envelope/`), {
      ...timeouts,
      caCerts: cert,
    });
    cleanups.push(() => sender.close());
    expect((await sender.send('secret', headers)).statusCode).toBe(200);
    expect((await sender.send('again', headers)).statusCode).toBe(200);
    expect(ingest.bodies).toEqual(['secret', 'again']);
    expect(ingest.serverNames).toEqual(['localhost', 'localhost']);
  });

  it('refuses a certificate it cannot verify, and sends no SNI for an IP address', async () => {
    const ingest = await httpsIngest();
    const untrusted = createDirectSender(
      new URL(`https://localhost:${ingest.port}/api/1/envelope/`),
      timeouts,
    );
    cleanups.push(() => untrusted.close());
    await expect(untrusted.send('secret', headers)).rejects.toThrow(/self[- ]signed|certificate/i);
    expect(ingest.bodies).toEqual([]);

    const byAddress = createDirectSender(new URL(`https://127.0.0.1:${ingest.port}/api/1/envelope/`), {
      ...timeouts,
      caCerts: cert,
    });
    cleanups.push(() => byAddress.close());
    expect((await byAddress.send('by address', headers)).statusCode).toBe(200);
    expect(ingest.serverNames).toEqual([false]);
  });
});
