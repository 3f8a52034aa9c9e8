/** `GET /api/stream`: Server-Sent Events announcing new events, issues and traces as they are stored. */
import type { ServerResponse } from 'node:http';
import type { LiveMessage } from './api-types';
import { CORS_HEADERS } from './http-responses';

/** Proxies and browsers drop idle streams; a comment line every so often keeps them open. */
const HEARTBEAT_MS = 15_000;

export class LiveStream {
  private readonly clients = new Set<ServerResponse>();
  private readonly heartbeat: NodeJS.Timeout;

  constructor() {
    this.heartbeat = setInterval(() => this.write(': heartbeat\n\n'), HEARTBEAT_MS);
    this.heartbeat.unref();
  }

  connect(res: ServerResponse): void {
    res.writeHead(200, {
      ...CORS_HEADERS,
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-store',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    res.write('retry: 2000\n: connected\n\n');
    this.clients.add(res);
    res.on('close', () => this.clients.delete(res));
  }

  publish(message: LiveMessage): void {
    if (this.clients.size === 0) return;
    this.write(`event: ${message.type}\ndata: ${JSON.stringify(message.data)}\n\n`);
  }

  get size(): number {
    return this.clients.size;
  }

  close(): void {
    clearInterval(this.heartbeat);
    for (const client of this.clients) client.end();
    this.clients.clear();
  }

  private write(chunk: string): void {
    for (const client of this.clients) client.write(chunk);
  }
}
