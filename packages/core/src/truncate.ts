/**
 * Keeps at most `max` UTF-16 code units of `str` and appends '...' when something was cut.
 * Never splits a surrogate pair (a high surrogate left at the cut is dropped), so the result stays
 * valid UTF-16 (and valid UTF-8 once encoded). A `max` of 0 or less means "no limit".
 */
export function truncate(str: string, max: number): string {
  return typeof str !== 'string' || !(max > 0) || str.length <= max
    ? str
    : `${str.slice(0, max).replace(/[\ud800-\udbff]$/, '')}...`;
}
