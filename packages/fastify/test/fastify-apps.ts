/** Shared by the Fastify tests: both majors, an SDK started like a user would, apps on loopback. */
import type { FastifyInstance } from 'fastify';
import fastify4 from 'fastify4';
import fastify5 from 'fastify5';
import type { TestIngest } from '../../../test/ingest';
import { close, getDefaultIntegrations, getGlobalScope, init, type NodeOptions } from '../src/index';

type CreateApp = (options?: { logger?: boolean }) => FastifyInstance;

export const FASTIFY_MAJORS: Array<[string, CreateApp]> = [
  ['fastify 4', fastify4 as unknown as CreateApp],
  ['fastify 5', fastify5 as unknown as CreateApp],
];

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);

export function startSdk(ingest: TestIngest, options: Partial<NodeOptions> = {}): void {
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    tracePropagationTargets: [],
    transportOptions: { bufferSize: 1000 },
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
    ...options,
  });
}

export async function stopSdk(): Promise<void> {
  await close(2000);
  getGlobalScope().clear();
}

/** Listens on 127.0.0.1, port 0; returns the base URL. */
export async function listen(app: FastifyInstance): Promise<string> {
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no TCP address');
  return `http://127.0.0.1:${address.port}`;
}
