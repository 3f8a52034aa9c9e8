import { captureException, getIsolationScope } from '@faultline/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { initForTest, shutdown } from '../../../test/support/sdk';
import { requestDataIntegration } from '../src/integrations/request-data';
import {
  extractRequestData,
  extractUserFromRequest,
  FILTERED,
  type IncomingRequestLike,
  REQUEST_DATA_METADATA_KEY,
  scrubQueryString,
} from '../src/request-data';

const SECRETS = [
  's3ss10n',
  'Bearer abc.def',
  'Basic dXNlcjpwYXNz',
  '203.0.113.9',
  '198.51.100.7',
  '10.0.0.5',
];

function loginRequest(): IncomingRequestLike {
  return {
    method: 'post',
    url: '/login?next=%2Fhome&access_token=tok123&page=2#frag',
    headers: {
      host: 'shop.example.com',
      'user-agent': 'curl/8.0',
      accept: 'application/json',
      cookie: 'sid=s3ss10n; theme=dark',
      authorization: 'Bearer abc.def',
      'proxy-authorization': 'Basic dXNlcjpwYXNz',
      'x-forwarded-for': '203.0.113.9, 198.51.100.7',
      'x-real-ip': '203.0.113.9',
      'x-api-key': 'key-42',
      'x-csrf-token': 'csrf-1',
      'x-request-id': 'req-1',
      referer: 'https://shop.example.com/cart?session_id=abc&step=1',
    },
    socket: { encrypted: false, remoteAddress: '10.0.0.5' },
    body: { email: 'ada@example.com', password: 'hunter2' },
  };
}

describe('extractRequestData without sendDefaultPii', () => {
  const data = extractRequestData(loginRequest());
  const json = JSON.stringify(data);

  it('keeps method, absolute url, query string and harmless headers', () => {
    expect(data.method).toBe('POST');
    expect(data.url).toBe('http://shop.example.com/login');
    expect(data.query_string).toBe(`next=%2Fhome&access_token=${FILTERED}&page=2`);
    expect(data.headers).toMatchObject({
      host: 'shop.example.com',
      'user-agent': 'curl/8.0',
      accept: 'application/json',
      'x-request-id': 'req-1',
    });
  });

  it('leaves out cookies, credentials, IPs and the body entirely', () => {
    for (const secret of SECRETS) expect(json).not.toContain(secret);
    expect(json).not.toContain('hunter2');
    expect(data.cookies).toBeUndefined();
    expect(data.env).toBeUndefined();
    expect(data.data).toBeUndefined();
    for (const header of ['cookie', 'authorization', 'proxy-authorization', 'x-forwarded-for', 'x-real-ip']) {
      expect(data.headers).not.toHaveProperty(header);
    }
  });

  it('filters deny-listed headers and sensitive parameters in URL headers', () => {
    expect(data.headers).toMatchObject({ 'x-api-key': FILTERED, 'x-csrf-token': FILTERED });
    expect(data.headers?.referer).toBe(`https://shop.example.com/cart?session_id=${FILTERED}&step=1`);
    expect(json).not.toContain('key-42');
    expect(json).not.toContain('tok123');
  });

  it('classifies header names the same way the first time and later, past the remembered names', () => {
    const request = (headers: Record<string, string>) => extractRequestData({ url: '/', headers });
    const many: Record<string, string> = {};
    for (let i = 0; i < 600; i++) many[`x-custom-${i}`] = 'v';
    expect(Object.keys(request(many).headers ?? {})).toHaveLength(600);
    for (let round = 0; round < 2; round++) {
      const headers = request({
        'x-auth-token-new': 'secret-1',
        cookie: 'a=b',
        referer: 'http://h/?token=t',
        'x-new-plain': 'ok',
      }).headers;
      expect(headers).toEqual({
        'x-auth-token-new': FILTERED,
        referer: `http://h/?token=${FILTERED}`,
        'x-new-plain': 'ok',
      });
    }
  });
});

describe('extractRequestData with sendDefaultPii', () => {
  const data = extractRequestData(loginRequest(), { sendDefaultPii: true });

  it('includes cookies, credentials headers, the client IP and the body', () => {
    expect(data.cookies).toEqual({ sid: 's3ss10n', theme: 'dark' });
    expect(data.headers).toMatchObject({
      cookie: 'sid=s3ss10n; theme=dark',
      authorization: 'Bearer abc.def',
      'proxy-authorization': 'Basic dXNlcjpwYXNz',
      'x-forwarded-for': '203.0.113.9, 198.51.100.7',
    });
    expect(data.env).toEqual({ REMOTE_ADDR: '203.0.113.9' });
    expect(data.data).toEqual({ email: 'ada@example.com', password: 'hunter2' });
  });

  it('still filters the deny-list in other headers and the query string', () => {
    expect(data.headers).toMatchObject({ 'x-api-key': FILTERED, 'x-csrf-token': FILTERED });
    expect(data.query_string).toBe(`next=%2Fhome&access_token=${FILTERED}&page=2`);
  });

  it('falls back to the socket address without forwarding headers', () => {
    const direct = extractRequestData(
      { method: 'GET', url: '/', headers: { host: 'a' }, socket: { remoteAddress: '10.0.0.5' } },
      { sendDefaultPii: true },
    );
    expect(direct.env).toEqual({ REMOTE_ADDR: '10.0.0.5' });
  });

  it('lets include narrow what is collected', () => {
    const narrow = extractRequestData(loginRequest(), {
      sendDefaultPii: true,
      include: { cookies: false, data: false, ip: false, headers: false, queryString: false },
    });
    expect(narrow).toEqual({ method: 'POST', url: 'http://shop.example.com/login' });
  });
});

describe('absolute URLs', () => {
  it.each<[IncomingRequestLike, string]>([
    [{ url: '/a?b=1', headers: { host: 'h:8080' } }, 'http://h:8080/a'],
    [{ url: '/a', headers: { host: 'h' }, socket: { encrypted: true } }, 'https://h/a'],
    [
      {
        url: '/a',
        headers: {
          host: 'internal',
          'x-forwarded-proto': 'https, http',
          'x-forwarded-host': 'public.example',
        },
      },
      'https://public.example/a',
    ],
    [{ url: 'http://user:pw@proxy.example/x?y=1', headers: {} }, 'http://proxy.example/x'],
    [{ url: '/only-path', headers: {} }, 'http://localhost/only-path'],
    [{ headers: { host: 'h' } }, 'http://h/'],
  ])('%o → %s', (request, url) => {
    expect(extractRequestData(request).url).toBe(url);
  });
});

describe('scrubQueryString', () => {
  it('filters sensitive keys, decoded, and keeps everything else byte for byte', () => {
    expect(
      scrubQueryString('q=caf%C3%A9&api_key=1&API-KEY=2&my%5Ftoken=3&pwd=4&flag&jwt=&Signature=x&a=b=c'),
    ).toBe(
      `q=caf%C3%A9&api_key=${FILTERED}&API-KEY=${FILTERED}&my%5Ftoken=${FILTERED}&pwd=${FILTERED}&flag&jwt=${FILTERED}&Signature=${FILTERED}&a=b=c`,
    );
  });
});

describe('extractUserFromRequest', () => {
  const user = { id: 7, username: 'ada', email: 'ada@example.com', ip_address: '203.0.113.9', password: 'x' };

  it('returns nothing without sendDefaultPii', () => {
    expect(extractUserFromRequest(user)).toBeUndefined();
    expect(extractUserFromRequest(user, { sendDefaultPii: false })).toBeUndefined();
  });

  it('picks only the user keys with sendDefaultPii', () => {
    expect(extractUserFromRequest(user, { sendDefaultPii: true })).toEqual({
      id: 7,
      username: 'ada',
      email: 'ada@example.com',
      ip_address: '203.0.113.9',
    });
    expect(extractUserFromRequest({ name: 'no known keys' }, { sendDefaultPii: true })).toBeUndefined();
    expect(extractUserFromRequest(null, { sendDefaultPii: true })).toBeUndefined();
  });
});

describe('requestDataIntegration on captured events', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await shutdown();
    await ingest.close();
  });

  it('puts the request stored by instrumentation on events, with no PII anywhere in the envelope', async () => {
    initForTest({ dsn: ingest.dsn, integrations: [requestDataIntegration()] });
    const request = extractRequestData(loginRequest(), { sendDefaultPii: false });
    getIsolationScope().setSdkProcessingMetadata({ [REQUEST_DATA_METADATA_KEY]: request });
    captureException(new Error('checkout failed'));
    await ingest.waitFor(() => ingest.events().length === 1);

    const event = ingest.events()[0];
    expect(event.request).toEqual(request);
    expect(event).not.toHaveProperty('sdkProcessingMetadata');
    const wire = ingest.envelopes
      .map((envelope) => new TextDecoder().decode(envelope.request.body))
      .join('\n');
    expect(wire).toContain('shop.example.com/login');
    for (const secret of [...SECRETS, 'hunter2', 'key-42', 'tok123', 'csrf-1'])
      expect(wire).not.toContain(secret);
    expect(ingest.schemaErrors()).toEqual([]);
  });
});
