/**
 * Release health: one session per page load (PROTOCOL.md §3.5), only when `release` is set. It is
 * sent at start (`init: true`), updated on the first error and on a crash (an unhandled error) in
 * the same envelope as that error, and ends as `exited` when the page goes away; a crash is final.
 * A page restored from the back/forward cache starts a new session.
 */
import { dsnToString, type Envelope, type Event, type Integration, uuid4 } from '@faultline/core';
import { onPageChange } from '../page-lifecycle';

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
      const { release, environment, sdk } = client.getOptions();
      if (!release || !globalThis.document) return;
      const attrs = { release, environment, user_agent: globalThis.navigator?.userAgent };
      let session: SessionPayload;
      let startedAt: number;

      const send = (envelope?: Envelope) => {
        const now = Date.now();
        session.timestamp = new Date(now).toISOString();
        session.duration = (now - startedAt) / 1000;
        const item = { headers: { type: 'session' }, payload: { ...session } };
        session.init = false;
        session.seq++;
        if (envelope) envelope.items.push(item);
        else {
          const dsn = client.getDsn();
          void client.sendEnvelope({
            headers: {
              sent_at: new Date(now).toISOString(),
              sdk: { name: sdk.name, version: sdk.version },
              ...(dsn && { dsn: dsnToString(dsn) }),
            },
            items: [item],
          });
        }
      };
      const start = () => {
        startedAt = Date.now();
        // `timestamp` and `duration` are set by send().
        const started = new Date(startedAt).toISOString();
        session = {
          sid: uuid4(),
          init: true,
          started,
          seq: 0,
          status: 'ok',
          errors: 0,
          attrs,
        } as SessionPayload;
        send();
      };

      start();
      // The first error and a crash travel in the envelope of the event that caused them.
      client.on('beforeEnvelope', (envelope) => {
        const event = envelope.items[0]?.payload as Event | undefined;
        if (session.status !== 'ok' || !countsAsError(event)) return;
        session.errors++;
        const crashed = event!.exception!.values!.some((value) => value.mechanism?.handled === false);
        if (crashed) session.status = 'crashed';
        if (crashed || session.errors === 1) send(envelope);
      });
      onPageChange((change) => {
        if (change === 'pagehide' && session.status === 'ok') {
          session.status = 'exited';
          send();
        }
        if (change === 'pageshow') start();
      });
    },
  };
}

/**
 * Errors captured with level error or fatal count; messages never do (PROTOCOL.md §3.5). `event` is
 * the first item of an envelope: for sessions and client reports, an object without `exception`.
 */
function countsAsError(event: Event | undefined): boolean {
  return (
    !!event &&
    event.type !== 'transaction' &&
    !!event.exception?.values?.length &&
    !event.logentry &&
    !event.message &&
    [undefined, 'error', 'fatal'].includes(event.level)
  );
}
