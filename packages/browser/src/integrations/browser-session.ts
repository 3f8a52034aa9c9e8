/**
 * Release health: one session per page load (PROTOCOL.md §3.5), only when `release` is set. It is
 * sent at start (`init: true`), updated on the first error and on a crash (an unhandled error) in
 * the same envelope as that error, and ends as `exited` when the page goes away; a crash is final.
 * A page restored from the back/forward cache starts a new session.
 */
import {
  type Client,
  dsnToString,
  type Envelope,
  type Event,
  type Integration,
  uuid4,
} from '@faultline/core';
import { onPageHidden, onPageShown } from '../page-lifecycle';

export interface SessionPayload {
  sid: string;
  init: boolean;
  started: string;
  timestamp: string;
  seq: number;
  status: 'ok' | 'exited' | 'crashed';
  errors: number;
  duration: number;
  attrs: { release: string; environment?: string; user_agent?: string };
}

export function browserSessionIntegration(): Integration {
  return {
    name: 'BrowserSession',
    setup(client) {
      const { release, environment } = client.getOptions();
      if (!release || !globalThis.document) return;
      const attrs = { release, environment, user_agent: globalThis.navigator?.userAgent };
      let session = startSession(attrs);
      let startedAt = Date.now();
      let attachTo: string | undefined;

      const send = (envelope?: Envelope) => {
        session.timestamp = new Date().toISOString();
        session.duration = (Date.now() - startedAt) / 1000;
        const payload = { ...session };
        session.init = false;
        session.seq++;
        const item = { headers: { type: 'session' }, payload };
        if (envelope) envelope.items.push(item);
        else void client.sendEnvelope(standaloneEnvelope(client, item));
      };

      send();
      client.on('beforeSendEvent', (event) => {
        if (session.status !== 'ok' || !countsAsError(event)) return;
        session.errors++;
        const crashed = event.exception!.values!.some((value) => value.mechanism?.handled === false);
        if (crashed) session.status = 'crashed';
        if (crashed || session.errors === 1) attachTo = event.event_id;
      });
      client.on('beforeEnvelope', (envelope) => {
        if (attachTo === undefined || envelope.headers.event_id !== attachTo) return;
        attachTo = undefined;
        send(envelope);
      });
      onPageHidden((cause) => {
        if (cause !== 'pagehide' || session.status !== 'ok') return;
        session.status = 'exited';
        send();
      });
      onPageShown((cause) => {
        if (cause !== 'pageshow') return;
        session = startSession(attrs);
        startedAt = Date.now();
        send();
      });
    },
  };
}

function startSession(attrs: SessionPayload['attrs']): SessionPayload {
  const now = new Date().toISOString();
  return {
    sid: uuid4(),
    init: true,
    started: now,
    timestamp: now,
    seq: 0,
    status: 'ok',
    errors: 0,
    duration: 0,
    attrs,
  };
}

/** Errors captured with level error or fatal count; messages never do (PROTOCOL.md §3.5). */
function countsAsError(event: Event): boolean {
  if (event.type === 'transaction' || !event.exception?.values?.length) return false;
  if (event.logentry || event.message) return false;
  return event.level === undefined || event.level === 'error' || event.level === 'fatal';
}

function standaloneEnvelope(client: Client, item: Envelope['items'][number]): Envelope {
  const dsn = client.getDsn();
  const { sdk } = client.getOptions();
  return {
    headers: {
      sent_at: new Date().toISOString(),
      sdk: { name: sdk.name, version: sdk.version },
      ...(dsn ? { dsn: dsnToString(dsn) } : {}),
    },
    items: [item],
  };
}
