import { describe, expect, it } from 'vitest';
import { eventFromMessage, eventFromUnknownInput, exceptionFromError } from '../src/exception-from-error';
import { defaultStackParser } from '../src/stack-parsers';
import type { EventHint, Exception } from '../src/types/event';

const parser = defaultStackParser;
const values = (input: unknown, hint?: EventHint): Exception[] =>
  eventFromUnknownInput(parser, input, hint).exception?.values ?? [];

function errorWithStack(message: string, stack: string, name = 'Error'): Error {
  const error = new Error(message);
  error.name = name;
  error.stack = stack;
  return error;
}

describe('exceptionFromError', () => {
  it('takes type from the name, value from the message and frames oldest → newest', () => {
    const error = errorWithStack(
      'kaput',
      'TypeError: kaput\n    at callee (/app/b.js:2:2)\n    at caller (/app/a.js:1:1)',
      'TypeError',
    );
    expect(exceptionFromError(parser, error)).toEqual({
      type: 'TypeError',
      value: 'kaput',
      stacktrace: {
        frames: [
          { filename: '/app/a.js', function: 'caller', in_app: true, lineno: 1, colno: 1 },
          { filename: '/app/b.js', function: 'callee', in_app: true, lineno: 2, colno: 2 },
        ],
      },
    });
  });

  it('falls back to the class name, and omits the stacktrace when there are no frames', () => {
    class PaymentDeclined extends Error {}
    const error = new PaymentDeclined('');
    Object.defineProperty(error, 'name', { value: '' });
    error.stack = undefined;
    expect(exceptionFromError(parser, error)).toEqual({ type: 'PaymentDeclined', value: 'No error message' });
  });
});

describe('eventFromUnknownInput with errors', () => {
  it('builds a handled generic error event and merges the hint mechanism', () => {
    const event = eventFromUnknownInput(parser, new RangeError('bad'), {
      event_id: 'abc',
      mechanism: { type: 'auto.http.express', handled: false },
    });
    expect(event.level).toBe('error');
    expect(event.event_id).toBe('abc');
    const [value] = event.exception?.values ?? [];
    expect(value).toMatchObject({ type: 'RangeError', value: 'bad' });
    expect(value.mechanism).toEqual({ type: 'auto.http.express', handled: false });
    expect(value.stacktrace?.frames?.at(-1)?.filename).toMatch(/exception-from-error\.test\.ts$/);
  });

  it('orders a 3-level cause chain deepest first with linked ids', () => {
    const root = new Error('disk full');
    const middle = new Error('write failed', { cause: root });
    const top = new Error('save failed', { cause: middle });
    const result = values(top, { mechanism: { handled: false } });
    expect(result.map((v) => v.value)).toEqual(['disk full', 'write failed', 'save failed']);
    expect(result.map((v) => v.mechanism)).toEqual([
      { type: 'chained', source: 'cause', exception_id: 2, parent_id: 1, handled: false },
      { type: 'chained', source: 'cause', exception_id: 1, parent_id: 0, handled: false },
      { type: 'generic', handled: false, exception_id: 0 },
    ]);
  });

  it('links AggregateError members as an exception group', () => {
    const group = new AggregateError([new TypeError('first'), new RangeError('second')], 'both failed');
    const result = values(group);
    expect(result.map((v) => `${v.type}: ${v.value}`)).toEqual([
      'RangeError: second',
      'TypeError: first',
      'AggregateError: both failed',
    ]);
    expect(result[0].mechanism).toEqual({
      type: 'chained',
      source: 'errors[1]',
      exception_id: 2,
      parent_id: 0,
      handled: true,
    });
    expect(result[1].mechanism).toMatchObject({ source: 'errors[0]', exception_id: 1, parent_id: 0 });
    expect(result[2].mechanism).toEqual({
      type: 'generic',
      handled: true,
      exception_id: 0,
      is_exception_group: true,
    });
  });

  it('survives circular causes', () => {
    const a = new Error('a');
    const b = new Error('b');
    (a as { cause?: unknown }).cause = b;
    (b as { cause?: unknown }).cause = a;
    expect(values(a).map((v) => v.value)).toEqual(['b', 'a']);
  });

  it('caps linked exceptions at 10 values, keeping the thrown error last', () => {
    let error = new Error('level 0');
    for (let i = 1; i <= 25; i++) error = new Error(`level ${i}`, { cause: error });
    const result = values(error);
    expect(result).toHaveLength(10);
    expect(result[9].value).toBe('level 25');
    expect(result[0].value).toBe('level 16');
  });

  it('accepts cross-realm error look-alikes and ignores non-error causes', () => {
    const lookAlike = {
      name: 'ForeignError',
      message: 'from iframe',
      stack: 'ForeignError: x\n    at f (/w.js:1:1)',
    };
    const [value] = values(lookAlike);
    expect(value).toMatchObject({ type: 'ForeignError', value: 'from iframe' });
    expect(value.stacktrace?.frames).toEqual([
      { filename: '/w.js', function: 'f', in_app: true, lineno: 1, colno: 1 },
    ]);
    expect(value.mechanism?.synthetic).toBeUndefined();
    expect(values(new Error('x', { cause: 'just a string' }))).toHaveLength(1);
  });

  it('uses the error of an ErrorEvent-like object', () => {
    const error = new Error('inside event');
    expect(values({ type: 'error', isTrusted: true, target: null, error })[0].value).toBe('inside event');
  });
});

describe('eventFromUnknownInput with non-errors', () => {
  it('captures a string as a synthetic Error with the synthetic stack', () => {
    const syntheticException = errorWithStack('', 'Error\n    at capture (/app/handler.js:9:3)');
    const event = eventFromUnknownInput(parser, 'it broke', { syntheticException });
    expect(event.exception?.values).toEqual([
      {
        type: 'Error',
        value: 'it broke',
        stacktrace: {
          frames: [{ filename: '/app/handler.js', function: 'capture', in_app: true, lineno: 9, colno: 3 }],
        },
        mechanism: { type: 'generic', handled: true, synthetic: true },
      },
    ]);
    expect(event.extra).toBeUndefined();
  });

  it('describes a plain object by its keys and serialises it into extra', () => {
    const event = eventFromUnknownInput(parser, { b: 2, a: { nested: true } });
    expect(event.exception?.values?.[0]).toMatchObject({
      type: 'Error',
      value: 'Object captured as exception with keys: a, b',
      mechanism: { synthetic: true },
    });
    expect(event.extra).toEqual({ __serialized__: { b: 2, a: { nested: true } } });
  });

  it('shortens long key lists, names class instances and prefers a message property', () => {
    const many = Object.fromEntries(
      Array.from({ length: 30 }, (_, i) => [`key${String(i).padStart(2, '0')}`, i]),
    );
    expect(values(many)[0].value).toBe(
      'Object captured as exception with keys: key00, key01, key02, key03, key04, key05, ...',
    );
    class Job {
      id = 1;
    }
    expect(values(new Job())[0].value).toBe("'Job' captured as exception with keys: id");
    expect(values({ message: 'custom failure', code: 7 })[0].value).toBe('custom failure');
    expect(values({})[0].value).toBe('Object captured as exception with keys: [object has no keys]');
  });

  it.each([
    [null, 'Non-Error exception captured with value: null'],
    [undefined, 'Non-Error exception captured with value: undefined'],
    [42, 'Non-Error exception captured with value: 42'],
    [false, 'Non-Error exception captured with value: false'],
    [Symbol('s'), 'Non-Error exception captured with value: Symbol(s)'],
    [function onTimeout() {}, 'Non-Error exception captured with value: [Function: onTimeout]'],
  ])('gives %s a meaningful value', (input, expected) => {
    const [value] = values(input);
    expect(value).toMatchObject({ type: 'Error', value: expected, mechanism: { synthetic: true } });
    expect(value.value).not.toContain('[object Object]');
  });

  it('describes Response-like objects', () => {
    const response = {
      status: 500,
      statusText: 'Internal Server Error',
      url: 'https://api.test/orders',
      ok: false,
    };
    const event = eventFromUnknownInput(parser, response);
    expect(event.exception?.values?.[0].value).toBe(
      'Non-Error exception captured: HTTP 500 Internal Server Error (https://api.test/orders)',
    );
    expect(event.extra?.__serialized__).toEqual({
      status: 500,
      statusText: 'Internal Server Error',
      url: 'https://api.test/orders',
    });
    const real = new Response('', { status: 404 });
    expect(values(real)[0]).toMatchObject({
      type: 'Response',
      value: 'Non-Error exception captured: HTTP 404',
    });
  });

  it('describes Event-like objects with their target', () => {
    const img = { tagName: 'IMG', id: 'logo', className: 'hero big', src: 'https://cdn.test/logo.png' };
    const [value] = values({ type: 'error', target: img, isTrusted: true });
    expect(value).toMatchObject({
      type: 'Event',
      value:
        'Event `Event` (type=error) captured as exception (target: img#logo.hero.big src=https://cdn.test/logo.png)',
    });
    const real = new Event('unhandled');
    expect(values(real)[0].value).toBe('Event `Event` (type=unhandled) captured as exception');
  });

  it('never throws for Proxies whose traps throw or objects with throwing getters', () => {
    const hostile = new Proxy(
      {},
      {
        get() {
          throw new Error('get trap');
        },
        has() {
          throw new Error('has trap');
        },
        ownKeys() {
          throw new Error('ownKeys trap');
        },
        getPrototypeOf() {
          throw new Error('proto trap');
        },
      },
    );
    const event = eventFromUnknownInput(parser, hostile);
    expect(event.exception?.values?.[0].type).toBe('Error');
    expect(() => JSON.stringify(event)).not.toThrow();

    const getter = {
      get message(): string {
        throw new Error('getter');
      },
      other: 1,
    };
    const getterEvent = eventFromUnknownInput(parser, getter);
    expect(getterEvent.exception?.values?.[0].value).toBe(
      'Object captured as exception with keys: message, other',
    );
    expect(getterEvent.extra?.__serialized__).toEqual({ message: '**non-serializable** (getter)', other: 1 });

    const { proxy, revoke } = Proxy.revocable({}, {});
    revoke();
    expect(() => JSON.stringify(eventFromUnknownInput(parser, proxy))).not.toThrow();
  });

  it('keeps extra small for huge objects by lowering depth', () => {
    const event = eventFromUnknownInput(parser, { blob: 'x'.repeat(1024 * 1024) });
    expect(event.extra?.__serialized__).toBe('[Object]');
    expect(event.exception?.values?.[0].value).toBe('Object captured as exception with keys: blob');
  });
});

describe('eventFromMessage', () => {
  it('builds an info message event without a stack by default', () => {
    expect(eventFromMessage(parser, 'hello', undefined, { event_id: 'id1' })).toEqual({
      level: 'info',
      message: 'hello',
      event_id: 'id1',
    });
  });

  it('attaches the synthetic stack when asked', () => {
    const syntheticException = errorWithStack('', 'Error\n    at report (/app/r.js:3:1)');
    const event = eventFromMessage(parser, 'low disk', 'warning', { syntheticException }, true);
    expect(event).toEqual({
      level: 'warning',
      message: 'low disk',
      exception: {
        values: [
          {
            value: 'low disk',
            stacktrace: {
              frames: [{ filename: '/app/r.js', function: 'report', in_app: true, lineno: 3, colno: 1 }],
            },
            mechanism: { type: 'generic', handled: true, synthetic: true },
          },
        ],
      },
    });
  });
});
