import { detachedString } from './detached-string';

/**
 * Keeps at most `max` UTF-16 code units of `str` and appends '...' when something was cut.
 * Never splits a surrogate pair (a high surrogate left at the cut is dropped), so the result stays
 * valid UTF-16 (and valid UTF-8 once encoded). A `max` of 0 or less means "no limit". A cut result
 * is detached from `str`: a breadcrumb keeping 8 KB of a 1 MB log message does not keep the 1 MB.
 */
export function truncate(str: string, max: number): string {
  return typeof str !== 'string' || !(max > 0) || str.length <= max
    ? str
    : detachedString(`${str.slice(0, max).replace(/[\ud800-\udbff]$/, '')}...`);
}
