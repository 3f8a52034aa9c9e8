/** The read side of the JSON API (documented in the README), plus `DELETE /api/data` to start over. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Stats } from './api-types';
import { sendError, sendJson } from './http-responses';
import type { LiveStream } from './live-stream';
import type { DevStore } from './storage/dev-store';
import type { IssueSort } from './storage/issue-queries';

export interface ApiContext {
  store: DevStore;
  live: LiveStream;
  itemsReceived: Map<string, number>;
  startedAt: Date;
}

type ApiAnswer = { status: 200; body: unknown } | { status: 400 | 404; detail: string } | 'stream';

const SORTS = new Set<IssueSort>(['last_seen', 'first_seen', 'count', 'users']);

export function handleApi(req: IncomingMessage, res: ServerResponse, url: URL, context: ApiContext): void {
  const answer = answerApi(req.method ?? 'GET', url, context);
  if (answer === 'stream') context.live.connect(res);
  else if (answer.status === 200) sendJson(res, 200, answer.body);
  else sendError(res, answer.status, answer.detail);
}

function answerApi(method: string, url: URL, context: ApiContext): ApiAnswer {
  const { store } = context;
  const parts = url.pathname.split('/').filter(Boolean).slice(1);
  const params = url.searchParams;
  const text = (name: string) => params.get(name)?.trim() || undefined;
  const page = {
    limit: bounded(params.get('limit'), 100, 1, 500),
    offset: bounded(params.get('offset'), 0, 0, 1e9),
  };
  const found = (body: unknown, what: string): ApiAnswer =>
    body ? { status: 200, body } : { status: 404, detail: `no ${what} ${parts[1]}` };
  const route = `${method} ${parts[0] ?? ''}${parts.length > 1 ? '/:id' : ''}${parts[2] ? `/${parts[2]}` : ''}`;

  switch (route) {
    case 'GET health':
      return { status: 200, body: { ok: true } };
    case 'GET stats':
      return { status: 200, body: stats(context) };
    case 'GET stream':
      return 'stream';
    case 'GET issues': {
      const sort = text('sort') as IssueSort | undefined;
      if (sort && !SORTS.has(sort)) {
        return { status: 400, detail: `sort must be one of ${[...SORTS].join(', ')}` };
      }
      const filter = {
        query: text('query'),
        release: text('release'),
        environment: text('environment'),
        user: text('user'),
        project: text('project'),
      };
      return { status: 200, body: store.issues.list({ ...filter, sort, ...page }) };
    }
    case 'GET issues/:id':
      return found(store.issues.get(Number(parts[1])), 'issue');
    case 'GET issues/:id/events':
      return { status: 200, body: store.issues.events(Number(parts[1]), page.limit, page.offset) };
    case 'GET events/:id':
      return found(store.issues.event(parts[1]!), 'event');
    case 'GET traces': {
      const filter = {
        query: text('query'),
        service: text('service'),
        user: text('user'),
        release: text('release'),
        withErrors: params.get('errors') === 'true',
      };
      return { status: 200, body: store.traces.list({ ...filter, ...page }) };
    }
    case 'GET traces/:id':
      return found(store.traces.get(parts[1]!), 'trace');
    case 'GET search':
      return { status: 200, body: store.search.run(params.get('q') ?? '', page.limit) };
    case 'DELETE data':
      store.writer.clear();
      return { status: 200, body: { ok: true } };
    default:
      return { status: 404, detail: `no API route ${method} ${url.pathname}` };
  }
}

function stats(context: ApiContext): Stats {
  return {
    ...context.store.counts(),
    storage: context.store.driver,
    itemsReceived: Object.fromEntries(context.itemsReceived),
    startedAt: context.startedAt.toISOString(),
  };
}

function bounded(value: string | null, fallback: number, min: number, max: number): number {
  const number = Number(value ?? Number.NaN);
  return Number.isInteger(number) ? Math.min(max, Math.max(min, number)) : fallback;
}
