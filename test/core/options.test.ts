/** Acceptance for `init` options: DSN handling, env fallbacks, validation, integrations, the pipeline's drops. */
import {
  captureEvent,
  captureException,
  captureMessage,
  envelopeEndpointWithAuth,
  flush,
  getClient,
  type Integration,
  parseDsn,
  startNewTrace,
} from '@faultline/core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { startIngest, type TestIngest } from '../ingest';
import { initForTest, shutdown } from '../support/sdk';

let ingest: TestIngest;
beforeAll(async () => {
  ingest = await startIngest();
});
afterAll(() => ingest.close());
beforeEach(() => ingest.reset());
afterEach(async () => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await shutdown();
});

describe('DSN', () => {
  it('parses every part and builds the envelope endpoint with query-string auth', () => {
    const dsn = parseDsn('https://abc@example.com:8443/sub/path/42')!;
    expect(dsn).toMatchObject({
      protocol: 'https',
      publicKey: 'abc',
      host: 'example.com',
      port: '8443',
      path: 'sub/path',
      projectId: '42',
    });
    expect(envelopeEndpointWithAuth(dsn, { name: 'sentry.javascript.node', version: '1.0.0' })).toBe(
      'https://example.com:8443/sub/path/api/42/envelope/?sentry_version=7&sentry_key=abc&sentry_client=sentry.javascript.node%2F1.0.0',
    );
    expect(parseDsn('https://abc:secret@host/1')).toMatchObject({ secretKey: 'secret', projectId: '1' });
    for (const bad of [
      '',
      'not a dsn',
      'https://abc@host/notnum',
      'ftp://abc@host/1',
      'https://host/1',
      'https://abc@/1',
    ]) {
      expect(parseDsn(bad), bad).toBeUndefined();
    }
  });

  it('an invalid DSN gives one clear warning and a disabled SDK, never a throw', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    expect(() => initForTest({ dsn: 'https://no-project-id@127.0.0.1/' })).not.toThrow();
    expect(() => initForTest({ dsn: 'https://no-project-id@127.0.0.1/' })).not.toThrow();
    expect(getClient()!.isEnabled()).toBe(false);
    captureException(new Error('goes nowhere'));
    expect(await flush(500)).toBe(true);
    const warnings = warn.mock.calls.map((call) => String(call[0])).filter((m) => m.includes('Invalid DSN'));
    expect(warnings).toHaveLength(1);
  });

  it('no DSN means disabled: nothing is sent', async () => {
    initForTest({});
    captureException(new Error('nowhere'));
    await flush(500);
    expect(ingest.requests).toHaveLength(0);
  });

  it('falls back to FAULTLINE_DSN, then SENTRY_DSN; release and environment likewise', async () => {
    vi.stubEnv('SENTRY_DSN', ingest.dsn);
    vi.stubEnv('SENTRY_RELEASE', 'sentry-release');
    vi.stubEnv('FAULTLINE_RELEASE', 'faultline-release');
    vi.stubEnv('SENTRY_ENVIRONMENT', 'staging');
    initForTest({});
    captureMessage('from env');
    await ingest.waitFor(() => ingest.events().length === 1);
    expect(ingest.events()[0]).toMatchObject({ release: 'faultline-release', environment: 'staging' });
    // Code options win over env vars.
    initForTest({ dsn: ingest.dsn, environment: 'code' });
    captureMessage('from code');
    await ingest.waitFor(() => ingest.events().length === 2);
    expect(ingest.events()[1]).toMatchObject({ environment: 'code' });
  });
});

describe('sample rates', () => {
  it('clamps an out-of-range sampleRate with one warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    initForTest({ dsn: ingest.dsn, sampleRate: 7 });
    expect(getClient()!.getOptions().sampleRate).toBe(1);
    initForTest({ dsn: ingest.dsn, sampleRate: Number.NaN });
    expect(getClient()!.getOptions().sampleRate).toBe(1);
    expect(warn.mock.calls.filter((c) => String(c[0]).includes('sampleRate'))).toHaveLength(2);
  });

  it('sampleRate 0 drops errors and reports sample_rate', async () => {
    initForTest({ dsn: ingest.dsn, sampleRate: 0 });
    captureException(new Error('sampled out'));
    await flush(3000);
    expect(ingest.events()).toHaveLength(0);
    expect(ingest.discardedEvents()).toEqual([{ reason: 'sample_rate', category: 'error', quantity: 1 }]);
  });
});

describe('maxValueLength', () => {
  it('cuts exception values (default 8192 characters) and messages', async () => {
    initForTest({ dsn: ingest.dsn });
    captureException(new Error('x'.repeat(10_000)));
    await flush(3000);
    expect(ingest.events()[0]!.exception?.values?.[0]?.value).toHaveLength(8192 + 3);
    ingest.reset();
    initForTest({ dsn: ingest.dsn, maxValueLength: 4 });
    captureException(new Error('abcdefgh', { cause: new Error('the cause') }));
    captureMessage('a long message');
    await flush(3000);
    const error = ingest.events().find((event) => event.exception);
    const message = ingest.events().find((event) => event.logentry);
    expect(error!.exception?.values?.map((value) => value.value)).toEqual(['the ...', 'abcd...']);
    expect(message!.logentry?.message).toBe('a lo...');
  });
});

describe('pipeline drops are counted', () => {
  it('beforeSend returning null reports before_send; beforeSend can edit', async () => {
    initForTest({
      dsn: ingest.dsn,
      beforeSend: (event) => (event.message === 'secret' ? null : { ...event, tags: { edited: 'yes' } }),
    });
    captureMessage('secret');
    captureMessage('public');
    await flush(3000);
    expect(ingest.events().map((e) => e.logentry?.message)).toEqual(['public']);
    expect(ingest.events()[0]!.tags).toEqual({ edited: 'yes' });
    expect(ingest.discardedEvents()).toEqual([{ reason: 'before_send', category: 'error', quantity: 1 }]);
  });

  it('ignoreErrors drops matching errors as event_processor', async () => {
    initForTest({ dsn: ingest.dsn, ignoreErrors: ['ResizeObserver', /^Network(Error)?$/] });
    captureException(new Error('ResizeObserver loop limit exceeded'));
    captureException(new Error('kept'));
    await flush(3000);
    expect(ingest.events()).toHaveLength(1);
    expect(ingest.discardedEvents()).toEqual([{ reason: 'event_processor', category: 'error', quantity: 1 }]);
  });

  it("drops errors thrown in browser extensions' scripts by default, unless allowUrls names them", async () => {
    const thrownIn = (filename: string) =>
      captureEvent({
        exception: {
          values: [
            {
              type: 'TypeError',
              value: `failed in ${filename}`,
              stacktrace: { frames: [{ filename: 'https://shop.example/app.js' }, { filename }] },
            },
          ],
        },
      });
    initForTest({ dsn: ingest.dsn, integrations: (defaults) => defaults.filter((i) => i.name !== 'Dedupe') });
    for (const url of [
      'chrome-extension://abcdefghijklmnop/content.js',
      'moz-extension://0c9a1e5b-93f4-4b0c/inject.js',
      'safari-web-extension://C0FFEE/script.js',
      'webkit-masked-url://hidden/',
      'https://shop.example/checkout.js',
    ])
      thrownIn(url);
    await flush(3000);
    expect(ingest.events().map((e) => e.exception?.values?.[0]?.value)).toEqual([
      'failed in https://shop.example/checkout.js',
    ]);
    expect(ingest.discardedEvents()).toEqual([{ reason: 'event_processor', category: 'error', quantity: 4 }]);
    await shutdown();
    ingest.reset();

    // An extension reporting its own errors names itself in allowUrls.
    initForTest({ dsn: ingest.dsn, allowUrls: [/^chrome-extension:\/\/abcdefghijklmnop\//] });
    thrownIn('chrome-extension://abcdefghijklmnop/content.js');
    thrownIn('chrome-extension://otherextension/content.js');
    await flush(3000);
    expect(ingest.events().map((e) => e.exception?.values?.[0]?.value)).toEqual([
      'failed in chrome-extension://abcdefghijklmnop/content.js',
    ]);
  });

  it('the dedupe integration drops an identical error right after the first', async () => {
    initForTest({ dsn: ingest.dsn });
    for (let i = 0; i < 2; i++) captureException(sameError());
    await flush(3000);
    expect(ingest.events()).toHaveLength(1);
  });

  it('the same error in two traces (two requests hitting one bug) is two events', async () => {
    initForTest({ dsn: ingest.dsn });
    for (let i = 0; i < 2; i++) startNewTrace(() => captureException(sameError()));
    await flush(3000);
    expect(ingest.events()).toHaveLength(2);
  });

  it('one error object is reported once, however many handlers capture it', async () => {
    initForTest({ dsn: ingest.dsn, integrations: (defaults) => defaults.filter((i) => i.name !== 'Dedupe') });
    const error = new Error('seen by two handlers');
    captureException(error);
    captureException(error);
    await flush(3000);
    expect(ingest.events()).toHaveLength(1);
    expect(Object.keys(error)).toEqual([]);
  });
});

/** A new error object each call, with the same type, message and stack. */
function sameError(): Error {
  return new Error('twice');
}

describe('integrations', () => {
  it('adds the user integrations after the defaults, deduplicated by name, and lists them on the event', async () => {
    const calls: string[] = [];
    const custom = (tag: string): Integration => ({
      name: 'Custom',
      setup: () => calls.push(`setup ${tag}`),
      processEvent: (event) => ({ ...event, tags: { ...event.tags, custom: tag } }),
    });
    initForTest({ dsn: ingest.dsn, integrations: [custom('a'), custom('b')] });
    captureMessage('with integrations');
    await ingest.waitFor(() => ingest.events().length === 1);
    const event = ingest.events()[0]!;
    expect(calls).toEqual(['setup b']);
    expect(event.tags).toEqual({ custom: 'b' });
    expect(event.sdk?.integrations).toEqual(['InboundFilters', 'Dedupe', 'Custom']);
  });

  it('each default integration is removable', async () => {
    initForTest({ dsn: ingest.dsn, integrations: (defaults) => defaults.filter((i) => i.name !== 'Dedupe') });
    for (let i = 0; i < 2; i++) captureException(sameError());
    await flush(3000);
    expect(ingest.events()).toHaveLength(2);
    expect(ingest.events()[0]!.sdk?.integrations).toEqual(['InboundFilters']);
  });

  it('a throwing integration or hook never reaches user code', async () => {
    initForTest({
      dsn: ingest.dsn,
      integrations: [
        {
          name: 'Broken',
          setup: () => {
            throw new Error('setup broke');
          },
        },
      ],
    });
    getClient()!.on('beforeSendEvent', () => {
      throw new Error('hook broke');
    });
    expect(() => captureMessage('still sent')).not.toThrow();
    await ingest.waitFor(() => ingest.events().length === 1);
  });
});
