import { describe, expect, it } from 'vitest';
import { dscToBaggage, MAX_BAGGAGE_BYTES, mergeBaggage, parseBaggage } from '../src/baggage';

const TRACE_ID = '771a43a4192642f0b136d5159a501700';
const PUBLIC_KEY = '49d0f7386ad645858ae85020e393bef3';
const byteLength = (value: string) => new TextEncoder().encode(value).length;

describe('parseBaggage', () => {
  it('reads the verified §4.3 example: prefix stripped, values decoded, third party kept apart', () => {
    const parsed = parseBaggage(
      `other=1, sentry-trace_id=${TRACE_ID}, sentry-public_key=${PUBLIC_KEY}, sentry-sample_rate=1, sentry-user_id=Am%C3%A9lie`,
    );
    expect(parsed.sentry).toEqual({
      trace_id: TRACE_ID,
      public_key: PUBLIC_KEY,
      sample_rate: '1',
      user_id: 'Amélie',
    });
    expect(parsed.thirdParty).toEqual(['other=1']);
  });

  it('reads the §4.5 Python peer header', () => {
    const parsed = parseBaggage(
      `sentry-trace_id=${TRACE_ID},sentry-public_key=${PUBLIC_KEY},sentry-sample_rate=0.5,sentry-sampled=true,` +
        'sentry-release=up%401.0,sentry-environment=prod,sentry-sample_rand=0.123456,other=x',
    );
    expect(parsed.sentry).toEqual({
      trace_id: TRACE_ID,
      public_key: PUBLIC_KEY,
      sample_rate: '0.5',
      sampled: 'true',
      release: 'up@1.0',
      environment: 'prod',
      sample_rand: '0.123456',
    });
    expect(parsed.thirdParty).toEqual(['other=x']);
  });

  it('never puts third-party entries in the Sentry record', () => {
    const parsed = parseBaggage('dogs=great,sentry-environment=prod,userId=alice;prop=1');
    expect(parsed.sentry).toEqual({ environment: 'prod' });
    expect(parsed.thirdParty).toEqual(['dogs=great', 'userId=alice;prop=1']);
  });

  it('ignores properties after ";" and trims optional whitespace', () => {
    expect(parseBaggage(' sentry-release = 1.0 ; ttl=5 ,\tsentry-environment=prod\t').sentry).toEqual({
      release: '1.0',
      environment: 'prod',
    });
  });

  it('skips members with bad percent-encoding and keeps the rest', () => {
    expect(parseBaggage('sentry-user_id=%E0%A4%A,sentry-environment=prod,sentry-x=%zz').sentry).toEqual({
      environment: 'prod',
    });
  });

  it('skips members without "=", with empty or invalid keys, and the bare prefix', () => {
    expect(parseBaggage('sentry-release,=1,se ntry-a=1,sentry-=1,sentry-ok=1').sentry).toEqual({ ok: '1' });
  });

  it('joins multiple headers; a later duplicate key wins', () => {
    const parsed = parseBaggage(['sentry-environment=a,x=1', 'sentry-environment=b', 'sentry-release=2']);
    expect(parsed.sentry).toEqual({ environment: 'b', release: '2' });
    expect(parsed.thirdParty).toEqual(['x=1']);
  });

  it('ignores members beyond the 180th', () => {
    const members = Array.from({ length: 180 }, (_, i) => `k${i}=v`);
    expect(parseBaggage([...members, 'sentry-environment=late'].join(',')).sentry).toEqual({});
    expect(parseBaggage([...members.slice(1), 'sentry-environment=in'].join(',')).sentry).toEqual({
      environment: 'in',
    });
  });

  it('ignores members beyond the first 8192 bytes', () => {
    const filler = `f=${'x'.repeat(8000)}`;
    expect(parseBaggage(`${filler},sentry-environment=prod`).sentry).toEqual({ environment: 'prod' });
    expect(parseBaggage(`${filler},${'é'.repeat(100)}=1,sentry-environment=prod`).sentry).toEqual({});
    expect(parseBaggage(`${filler}${'x'.repeat(200)},sentry-environment=prod`).sentry).toEqual({});
  });

  it('returns empty results for nothing or huge garbage, without throwing', () => {
    expect(parseBaggage(undefined)).toEqual({ sentry: {}, thirdParty: [] });
    expect(parseBaggage('')).toEqual({ sentry: {}, thirdParty: [] });
    expect(parseBaggage('%'.repeat(100_000))).toEqual({ sentry: {}, thirdParty: [] });
    expect(parseBaggage(',sentry-a=%'.repeat(10_000)).sentry).toEqual({});
  });
});

describe('dscToBaggage', () => {
  it('writes sentry-k=v joined by "," with encodeURIComponent values (verified example)', () => {
    expect(
      dscToBaggage({
        trace_id: TRACE_ID,
        public_key: PUBLIC_KEY,
        transaction: 'GET /a b',
        release: undefined,
      }),
    ).toBe(`sentry-trace_id=${TRACE_ID},sentry-public_key=${PUBLIC_KEY},sentry-transaction=GET%20%2Fa%20b`);
  });

  it('is undefined for an empty or missing DSC', () => {
    expect(dscToBaggage({})).toBeUndefined();
    expect(dscToBaggage(undefined)).toBeUndefined();
  });

  it('skips values that cannot be percent-encoded (lone surrogates) instead of throwing', () => {
    expect(dscToBaggage({ trace_id: TRACE_ID, transaction: 'cut \uD800' })).toBe(
      `sentry-trace_id=${TRACE_ID}`,
    );
  });

  it('round-trips through parseBaggage', () => {
    const dsc = { trace_id: TRACE_ID, public_key: PUBLIC_KEY, release: 'app@1.0+a,b;c=d', user_id: 'Amélie' };
    expect(parseBaggage(dscToBaggage(dsc)).sentry).toEqual(dsc);
  });

  it('forwards token keys as they are and leaves out keys that are no token (found by the fuzz test)', () => {
    const received = `sentry-trace_id=${TRACE_ID},sentry-#sample_rate=0,sentry-a|b^c=1`;
    const { sentry } = parseBaggage(received);
    expect(sentry).toEqual({ trace_id: TRACE_ID, '#sample_rate': '0', 'a|b^c': '1' });
    expect(dscToBaggage(sentry)).toBe(received);
    expect(parseBaggage(dscToBaggage(sentry)).sentry).toEqual(sentry);
    expect(dscToBaggage({ trace_id: TRACE_ID, 'no token': 'x', é: 'y' } as never)).toBe(
      `sentry-trace_id=${TRACE_ID}`,
    );
  });

  it('leaves out entries that do not fit in 8192 bytes', () => {
    const header = dscToBaggage({ trace_id: TRACE_ID, transaction: 'x'.repeat(9000), release: '1.0' })!;
    expect(header).toBe(`sentry-trace_id=${TRACE_ID},sentry-release=1.0`);
  });
});

describe('mergeBaggage', () => {
  const dsc = { trace_id: TRACE_ID, public_key: PUBLIC_KEY, environment: 'prod' };
  const ours = `sentry-trace_id=${TRACE_ID},sentry-public_key=${PUBLIC_KEY},sentry-environment=prod`;

  it('appends our entries after the existing third-party members', () => {
    expect(mergeBaggage('userId=alice;p=1, dogs=great', dsc)).toBe(`userId=alice;p=1,dogs=great,${ours}`);
  });

  it('removes Sentry entries the header already has', () => {
    expect(mergeBaggage(['sentry-trace_id=old,a=1', ' sentry-environment=stale '], dsc)).toBe(`a=1,${ours}`);
  });

  it('keeps the existing header when we have nothing to add, and is undefined when both are empty', () => {
    expect(mergeBaggage('a=1', undefined)).toBe('a=1');
    expect(mergeBaggage('sentry-release=1', undefined)).toBeUndefined();
    expect(mergeBaggage(undefined, undefined)).toBeUndefined();
  });

  it('never exceeds 180 members: drops our entries that do not fit', () => {
    const existing = Array.from({ length: 178 }, (_, i) => `k${i}=v`).join(',');
    const merged = mergeBaggage(existing, dsc)!;
    expect(merged.split(',')).toHaveLength(180);
    expect(parseBaggage(merged).sentry).toEqual({ trace_id: TRACE_ID, public_key: PUBLIC_KEY });
  });

  it('never exceeds 8192 bytes: drops whole entries that do not fit and keeps later ones that do', () => {
    const existing = `big=${'é'.repeat(4050)}`; // 8104 bytes: room for trace_id and environment only
    const merged = mergeBaggage(existing, {
      trace_id: TRACE_ID,
      public_key: PUBLIC_KEY,
      environment: 'prod',
    })!;
    expect(byteLength(merged)).toBeLessThanOrEqual(MAX_BAGGAGE_BYTES);
    expect(parseBaggage(merged).sentry).toEqual({ trace_id: TRACE_ID, environment: 'prod' });
    expect(merged.startsWith(existing)).toBe(true);
  });

  it('adds nothing to a header that is already over the limit, and leaves that header alone', () => {
    const existing = `big=${'x'.repeat(9000)}`;
    expect(mergeBaggage(existing, dsc)).toBe(existing);
  });
});
