/**
 * The `culture` context: the process's default locale and time zone, read from where ICU reads them
 * (the locale variables, then `TZ` or the system's zone file) rather than from
 * `Intl.DateTimeFormat().resolvedOptions()`. The first Intl formatter of a process makes ICU page in
 * its locale and zone data, about 8 MB of RSS, in every app that reports an event, including those
 * that never format a date themselves. Where the environment says nothing (Windows), Intl still answers.
 */
import type { Context } from '@faultline/core';
import { fsPromises } from './lazy-builtins';

type Environment = Record<string, string | undefined>;

/** ICU's default locale for the C/POSIX locale, as Intl reports it. */
const POSIX_LOCALE = 'en-US';
const LOCALE = /^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/;
/** Names of UTC that Intl reports as `UTC`. */
const UTC_ALIASES = new Set([
  'UTC',
  'UCT',
  'GMT',
  'GMT0',
  'GMT+0',
  'GMT-0',
  'Greenwich',
  'Universal',
  'Zulu',
]);
const ZONEINFO = 'zoneinfo/';

export async function cultureContext(
  env: Environment = process.env,
  platform: NodeJS.Platform = process.platform,
): Promise<Context | undefined> {
  // Without locale variables ICU falls back to the C locale, except on Windows, which has its own.
  const locale = localeFromEnvironment(env) ?? (platform === 'win32' ? undefined : POSIX_LOCALE);
  const timezone = await timeZoneFromSystem(env, platform);
  if (locale !== undefined && timezone !== undefined) return { locale, timezone };
  try {
    const resolved = Intl.DateTimeFormat().resolvedOptions();
    return { locale: locale ?? resolved.locale, timezone: timezone ?? resolved.timeZone };
  } catch {
    return undefined;
  }
}

/**
 * `LC_ALL`, then `LC_MESSAGES`, then `LANG` (ICU's order): `de_DE.UTF-8` → `de-DE`. A modifier
 * (`@euro`, `@latin`) is left out, where ICU turns some into extensions.
 */
export function localeFromEnvironment(env: Environment): string | undefined {
  const value = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (!value) return undefined;
  const name = value.split(/[.@]/, 1)[0]!;
  if (name === '' || name === 'C' || name === 'POSIX') return POSIX_LOCALE;
  const tag = name.replaceAll('_', '-');
  return LOCALE.test(tag) ? tag : POSIX_LOCALE;
}

/** `TZ`, else the zone `/etc/localtime` links to, else `/etc/timezone`; UTC when there is no zone file. */
async function timeZoneFromSystem(env: Environment, platform: NodeJS.Platform): Promise<string | undefined> {
  if (env.TZ) return canonicalZone(env.TZ.replace(/^:/, ''));
  if (platform === 'win32') return undefined;
  try {
    return canonicalZone(await fsPromises().readlink('/etc/localtime'));
  } catch {
    // Not a link (a copied zone file, or none): Debian-style systems also name the zone in a file.
  }
  try {
    const name = (await fsPromises().readFile('/etc/timezone', 'utf8')).trim();
    if (name) return canonicalZone(name);
  } catch {
    // No zone file at all: the C library falls back to UTC.
  }
  return 'UTC';
}

/** `/usr/share/zoneinfo/Europe/Berlin` → `Europe/Berlin`; every name of UTC → `UTC`. */
export function canonicalZone(value: string): string {
  const at = value.lastIndexOf(ZONEINFO);
  const zone = at === -1 ? value : value.slice(at + ZONEINFO.length);
  const name = zone.startsWith('Etc/') ? zone.slice(4) : zone;
  return UTC_ALIASES.has(name) ? 'UTC' : zone;
}
