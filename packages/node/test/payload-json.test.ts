/**
 * Payload JSON with reused parts: the output must always mean what `JSON.stringify(payload)` means,
 * whatever processors and hooks did to the reused parts; and the SDK's own events must reach a real
 * ingest through the Node transport with their machine contexts and edits intact.
 */
import { captureMessage, type Event } from '@faultline/core';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startIngest, type TestIngest, validateEvent } from '../../../test/ingest';
import { shutdown } from '../../../test/support/sdk';
import { init } from '../src/index';
import { createPayloadStringifier } from '../src/payload-json';

const SDK = {
  name: 'faultline.javascript.node',
  version: '1.2.3',
  packages: [{ name: 'npm:@faultline/node', version: '1.2.3' }],
  integrations: ['InboundFilters', 'Dedupe', 'NodeContext'],
};

/** A transaction as the client builds it: fresh copies of the machine contexts, the same sdk object. */
function transaction(): Record<string, unknown> {
  return {
    type: 'transaction',
    transaction: 'GET /users/:id',
    start_timestamp: 1795752555.2566106,
    timestamp: 1795752555.2641952,
    contexts: {
      os: { name: 'Linux', version: '12', distribution: { name: 'debian', version: '12' } },
      runtime: { name: 'node', version: 'v20.20.2' },
      device: { arch: 'x64', memory_size: 25325268992, free_memory: 24156078080 },
      app: { app_start_time: '2026-11-27T04:09:14.491Z', app_memory: 81072128 },
      culture: { locale: 'en-US', timezone: 'UTC' },
      trace: { span_id: '8b1d8c2fd271d4b4', trace_id: '15fa35652c5537e9f68ef5d90e8447c9', op: 'http.server' },
    },
    spans: [],
    event_id: '07f2fb03a35342289b4ce2cecd404e93',
    sdk: SDK,
    request: { url: 'http://127.0.0.1/users/1', method: 'GET' },
  };
}

/** An error event as the client builds it: exception, breadcrumbs and modules besides the rest. */
function errorEvent() {
  const { type: _transaction, spans: _spans, start_timestamp: _start, ...event } = transaction();
  return {
    ...event,
    level: 'error',
    exception: {
      values: [
        {
          type: 'TypeError',
          value: 'price is undefined',
          stacktrace: {
            frames: [{ function: 'checkout', filename: '/app/src/cart.js', lineno: 12, in_app: true }],
          },
        },
      ],
    },
    breadcrumbs: [{ timestamp: 1795752555.1, category: 'http', data: { url: 'http://127.0.0.1/prices' } }],
    modules: { express: '5.1.0', '@acme/widgets': '0.3.0' },
  };
}

class Version {
  toJSON() {
    return 'from toJSON';
  }
}

type Payload = ReturnType<typeof transaction> & { contexts: Record<string, Record<string, unknown>> };

/** Edits a processor or hook may make to the parts that are reused. */
const EDITS: Array<[string, (payload: Payload) => void]> = [
  ['a changed value', (p) => (p.contexts.os.name = 'Edited')],
  ['a changed nested value', (p) => ((p.contexts.os.distribution as { name: string }).name = 'alpine')],
  ['an added key', (p) => (p.contexts.device.model = 'm5')],
  ['a removed key', (p) => delete p.contexts.os.version],
  ['a key set to undefined', (p) => (p.contexts.runtime.version = undefined)],
  ['a replaced context', (p) => (p.contexts.culture = { locale: 'de-DE', timezone: 'Europe/Berlin' })],
  ['a removed context', (p) => (p.contexts.culture = undefined as never)],
  ['an own toJSON', (p) => (p.contexts.runtime.toJSON = () => ({ name: 'bun' }))],
  ['a class instance', (p) => (p.contexts.runtime.version = new Version())],
  [
    'the same data in a class instance',
    (p) => (p.contexts.culture = Object.assign(new Version(), p.contexts.culture)),
  ],
  ['a Date', (p) => (p.contexts.app.app_start_time = new Date(0))],
  ['NaN', (p) => (p.contexts.device.free_memory = Number.NaN)],
  ['an array item', (p) => (p.sdk = { ...SDK, integrations: ['InboundFilters', 'Dedupe', 'Other'] })],
  [
    'an array with its own toJSON',
    (p) => (p.sdk = { ...SDK, integrations: Object.assign([...SDK.integrations], { toJSON: () => ['x'] }) }),
  ],
  ['a longer array', (p) => (p.sdk = { ...SDK, integrations: [...SDK.integrations, 'More'] })],
  ['an array for an object', (p) => (p.contexts.os = ['Linux'] as never)],
  ['an object for a primitive', (p) => (p.contexts.device.arch = { bits: 64 })],
  ['no sdk', (p) => (p.sdk = undefined)],
  ['no contexts', (p) => (p.contexts = undefined as never)],
];

/**
 * Runs `call` with JSON.stringify watched: what each JSON.stringify call was given (a shallow copy, as
 * it was at the call) and what it wrote.
 */
function withStringifyCalls<T>(call: () => T): {
  result: T;
  calls: Array<{ given: Record<string, unknown>; written: string | undefined }>;
} {
  const original = JSON.stringify;
  const calls: Array<{ given: Record<string, unknown>; written: string | undefined }> = [];
  const spy = vi.spyOn(JSON, 'stringify').mockImplementation((value: unknown) => {
    const written = original(value);
    calls.push({ given: { ...(value as Record<string, unknown>) }, written });
    return written;
  });
  try {
    return { result: call(), calls };
  } finally {
    spy.mockRestore();
  }
}

describe('createPayloadStringifier', () => {
  it('writes what JSON.stringify writes, key order aside, whatever was edited', () => {
    for (const [name, edit] of EDITS) {
      // A stringifier per edit, whose parts were made from the unedited payload.
      const stringify = createPayloadStringifier();
      expect(JSON.parse(stringify(transaction()))).toEqual(JSON.parse(JSON.stringify(transaction())));
      const payload = transaction() as Payload;
      edit(payload);
      expect(JSON.parse(stringify(payload)), name).toEqual(JSON.parse(JSON.stringify(payload)));
      // And the unedited payload after the edit: the edit did not stick to the reused parts.
      expect(JSON.parse(stringify(transaction())), `after ${name}`).toEqual(
        JSON.parse(JSON.stringify(transaction())),
      );
    }
  });

  it('serialises the reused parts once while they are unchanged', () => {
    const stringify = createPayloadStringifier();
    stringify(transaction());
    const { result: json, calls } = withStringifyCalls(() => stringify(transaction()));
    const serialised = calls.map((call) => call.given);
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(transaction())));
    // What is left to serialise: the contexts that are not reused (trace), then the payload without
    // its sdk and contexts.
    expect(serialised).toHaveLength(2);
    expect(serialised[0]).toEqual({ trace: (transaction() as Payload).contexts.trace });
    expect(serialised[1].sdk).toBeUndefined();
    expect(serialised[1].contexts).toBeUndefined();
  });

  it('reuses the modules of error events too, and writes edited modules as they are', () => {
    const stringify = createPayloadStringifier();
    stringify(errorEvent());
    const { result: json, calls } = withStringifyCalls(() => stringify(errorEvent()));
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(errorEvent())));
    // The exception, the breadcrumbs, the contexts left to write (trace), the rest of the payload.
    expect(calls).toHaveLength(4);
    expect(calls.every((call) => call.written?.includes('@acme/widgets') === false)).toBe(true);

    const edited = errorEvent();
    edited.modules.express = 'patched';
    expect(JSON.parse(stringify(edited)).modules).toEqual({ express: 'patched', '@acme/widgets': '0.3.0' });
    expect(edited.modules.express).toBe('patched');
    expect(JSON.parse(stringify(errorEvent())).modules.express).toBe('5.1.0');
    // A payload without modules is not given the key.
    const payload = transaction();
    stringify(payload);
    expect(Object.keys(payload)).not.toContain('modules');
  });

  it('writes the large members in calls of their own, and the whole still as JSON.stringify does', () => {
    const stringify = createPayloadStringifier();
    const event = errorEvent();
    const { exception, breadcrumbs } = event;
    const { result: json, calls } = withStringifyCalls(() => stringify(event));
    expect(JSON.parse(json)).toEqual(JSON.parse(JSON.stringify(errorEvent())));
    const written = calls.map((call) => call.written);
    expect(written).toContain(JSON.stringify(exception));
    expect(written).toContain(JSON.stringify(breadcrumbs));
    expect(written.at(-1)).not.toMatch(/"exception"|"breadcrumbs"|"sdk"|"modules"/);
    expect(event.exception).toBe(exception);
    expect(event.breadcrumbs).toBe(breadcrumbs);

    // A member with its own toJSON stays in the payload's call, which calls it with its key.
    const withToJson = errorEvent() as ReturnType<typeof errorEvent> & { exception: { toJSON?: unknown } };
    withToJson.exception.toJSON = (key: string) => ({ summarised: key });
    expect(JSON.parse(stringify(withToJson)).exception).toEqual({ summarised: 'exception' });
    // A transaction's spans are written apart when there are any.
    const withSpans = { ...transaction(), spans: [{ span_id: 'a1b2c3d4e5f60718', op: 'db' }] };
    const spanCalls = withStringifyCalls(() => stringify(withSpans));
    expect(JSON.parse(spanCalls.result)).toEqual(JSON.parse(JSON.stringify(withSpans)));
    expect(spanCalls.calls.map((call) => call.written)).toContain(JSON.stringify(withSpans.spans));
    // A payload with its own toJSON is the payload's JSON.stringify, toJSON and all.
    const summarised = { ...errorEvent(), toJSON: () => ({ summarised: true }) };
    expect(stringify(summarised)).toBe('{"summarised":true}');
  });

  it('leaves the payload as it was, also when serialising throws', () => {
    const stringify = createPayloadStringifier();
    stringify(transaction());
    const payload = transaction();
    const { sdk, contexts } = payload;
    stringify(payload);
    expect(payload.sdk).toBe(sdk);
    expect(payload.contexts).toBe(contexts);

    const circular = transaction();
    circular.request = { self: circular };
    expect(() => stringify(circular)).toThrow(TypeError);
    const circularContext = transaction() as Payload;
    circularContext.contexts.os.self = circularContext.contexts.os;
    expect(() => stringify(circularContext)).toThrow(TypeError);
    expect(circular.sdk).toBe(SDK);
    expect((circular.contexts as Record<string, unknown>).os).toBeDefined();
  });

  it('passes other payloads to JSON.stringify as they are', () => {
    const stringify = createPayloadStringifier();
    const report = {
      timestamp: 1,
      discarded_events: [{ reason: 'queue_overflow', category: 'error', quantity: 2 }],
    };
    expect(stringify(report)).toBe(JSON.stringify(report));
    expect(stringify(new Version())).toBe('"from toJSON"');
    expect(stringify({})).toBe('{}');
    expect(JSON.parse(stringify({ sdk: SDK }))).toEqual({ sdk: SDK });
    expect(JSON.parse(stringify({ contexts: { os: { name: 'Linux' } } }))).toEqual({
      contexts: { os: { name: 'Linux' } },
    });
  });

  it('serialises a part that is not plain data once per event, not twice', () => {
    const stringify = createPayloadStringifier();
    const withDate = () => {
      const payload = transaction() as Payload;
      payload.contexts.app.started = new Date(0);
      return payload;
    };
    stringify(withDate());
    const { result: json, calls } = withStringifyCalls(() => stringify(withDate()));
    expect(JSON.parse(json).contexts.app.started).toBe('1970-01-01T00:00:00.000Z');
    expect(calls.filter((call) => call.written?.includes('1970-01-01'))).toHaveLength(1);
  });

  it('stops refreshing a part that changes on every event, and still writes each as it is', () => {
    const stringify = createPayloadStringifier();
    for (let index = 0; index < 250; index++) {
      const payload = transaction() as Payload;
      payload.contexts.app.request_index = index;
      expect(JSON.parse(stringify(payload)).contexts.app.request_index).toBe(index);
    }
  });
});

describe('payload JSON through the Node transport', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterEach(() => shutdown());
  afterAll(() => ingest.close());

  it('sends machine contexts and sdk intact, with a hook’s edits on the event it edited only', async () => {
    init({
      dsn: ingest.dsn,
      beforeSend(event: Event) {
        if (event.message !== 'edited') return event;
        const contexts = event.contexts as Record<string, Record<string, unknown>>;
        contexts.os.name = 'Edited OS';
        contexts.runtime.version = 'v0.0.0';
        event.sdk = { ...event.sdk!, name: 'edited.sdk' };
        return event;
      },
    });
    const received: Event[] = [];
    for (const message of ['first', 'edited', 'third']) {
      captureMessage(message);
      received.push(await ingest.eventWithMessage(message));
    }
    const [first, edited, third] = received as [Event, Event, Event];
    for (const event of [first, edited, third]) expect(validateEvent(event)).toEqual([]);
    expect(ingest.schemaErrors()).toEqual([]);

    const contexts = (event: Event) => event.contexts as Record<string, Record<string, unknown>>;
    expect(contexts(first).os.name).toBe(process.platform === 'linux' ? 'Linux' : contexts(first).os.name);
    expect(contexts(first).runtime).toEqual({ name: 'node', version: process.version });
    expect(first.sdk?.name).toBe('faultline.javascript.node');
    expect(first.sdk?.integrations).toContain('NodeContext');

    expect(contexts(edited).os.name).toBe('Edited OS');
    expect(contexts(edited).runtime.version).toBe('v0.0.0');
    expect(edited.sdk?.name).toBe('edited.sdk');

    expect(contexts(third).os).toEqual(contexts(first).os);
    expect(contexts(third).runtime).toEqual(contexts(first).runtime);
    expect(third.sdk).toEqual(first.sdk);
    expect(Object.keys(contexts(third)).sort()).toEqual(Object.keys(contexts(first)).sort());
  });
});
