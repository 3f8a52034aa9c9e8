const ELLIPSIS = '...';

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/**
 * Keeps at most `max` UTF-16 code units of `str` and appends '...' when something was cut.
 * Never splits a surrogate pair, so the result stays valid UTF-16 (and valid UTF-8 once encoded).
 * A `max` of 0 or less means "no limit".
 */
export function truncate(str: string, max: number): string {
  if (typeof str !== 'string' || !(max > 0) || str.length <= max) {
    return str;
  }
  const end = isHighSurrogate(str.charCodeAt(max - 1)) ? max - 1 : max;
  return `${str.slice(0, end)}${ELLIPSIS}`;
}
