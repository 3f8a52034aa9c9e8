import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { canonicalZone, cultureContext, localeFromEnvironment } from '../src/culture-context';

/** What Intl says in a process that has only `variables` (and PATH) in its environment. */
function intlIn(variables: Record<string, string>): { locale: string; timezone: string } {
  const output = execFileSync(
    process.execPath,
    [
      '-e',
      'const o = Intl.DateTimeFormat().resolvedOptions(); console.log(JSON.stringify([o.locale, o.timeZone]))',
    ],
    { env: { PATH: process.env.PATH ?? '', ...variables }, encoding: 'utf8' },
  );
  const [locale, timezone] = JSON.parse(output) as [string, string];
  return { locale, timezone };
}

describe('cultureContext', () => {
  // Not `TZ=GMT`: Node 22 and 24 report it as the offset `+00:00` (Node 20: `UTC`); this reports `UTC`.
  it.each<Record<string, string>>([
    {},
    { LANG: 'C.UTF-8' },
    { LANG: 'POSIX' },
    { LANG: 'de_DE.UTF-8' },
    { LANG: 'pt_BR' },
    { LC_ALL: 'fr_FR.UTF-8', LANG: 'de_DE.UTF-8' },
    { LC_MESSAGES: 'ja_JP.UTF-8', LANG: 'de_DE' },
    { TZ: 'Europe/Berlin' },
    { TZ: ':America/New_York', LANG: 'en_GB.UTF-8' },
    { TZ: 'Etc/UTC' },
    { TZ: 'Etc/GMT+5' },
    { TZ: 'Asia/Calcutta' },
  ])('reports what Intl would, without Intl, for %o', async (variables) => {
    const expected = intlIn(variables);
    const culture = await cultureContext(variables, process.platform);
    expect(culture).toEqual(expected);
  });

  it('does not touch Intl where the environment and the zone file answer (Intl maps ~8 MB of ICU data)', async () => {
    const original = Intl.DateTimeFormat;
    Intl.DateTimeFormat = (() => {
      throw new Error('Intl used');
    }) as unknown as typeof Intl.DateTimeFormat;
    try {
      expect(await cultureContext({ LANG: 'nl_NL.UTF-8', TZ: 'Europe/Amsterdam' }, 'linux')).toEqual({
        locale: 'nl-NL',
        timezone: 'Europe/Amsterdam',
      });
      if (process.platform !== 'win32') {
        expect(await cultureContext({}, process.platform)).toMatchObject({ locale: 'en-US' });
      }
    } finally {
      Intl.DateTimeFormat = original;
    }
  });

  it('reads the zone from /etc/localtime and /etc/timezone names, and every name of UTC as UTC', () => {
    expect(canonicalZone('/usr/share/zoneinfo/Europe/Berlin')).toBe('Europe/Berlin');
    expect(canonicalZone('/var/db/timezone/zoneinfo/America/Sao_Paulo')).toBe('America/Sao_Paulo');
    expect(canonicalZone('../usr/share/zoneinfo/Etc/UTC')).toBe('UTC');
    for (const utc of ['UTC', 'Etc/UCT', 'Etc/Universal', 'Zulu', 'Etc/GMT0', 'Etc/GMT-0', 'Greenwich'])
      expect(canonicalZone(utc)).toBe('UTC');
    expect(canonicalZone('Etc/GMT-3')).toBe('Etc/GMT-3');
  });

  it('turns locale variables into language tags, and falls back to Intl only where they say nothing on Windows', async () => {
    expect(localeFromEnvironment({ LANG: 'de_CH.ISO-8859-1@euro' })).toBe('de-CH');
    expect(localeFromEnvironment({ LANG: 'not a locale' })).toBe('en-US');
    expect(localeFromEnvironment({ LC_ALL: '', LANG: 'it_IT' })).toBe('it-IT');
    expect(localeFromEnvironment({})).toBeUndefined();
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    expect(await cultureContext({}, 'win32')).toEqual({
      locale: resolved.locale,
      timezone: resolved.timeZone,
    });
    expect(await cultureContext({ TZ: 'Europe/Paris', LANG: 'fr_FR' }, 'win32')).toEqual({
      locale: 'fr-FR',
      timezone: 'Europe/Paris',
    });
  });
});
