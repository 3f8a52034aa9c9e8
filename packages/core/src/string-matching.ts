/** Pattern lists as options take them: strings match as substrings, RegExps are tested. */

export function matchesPattern(value: string, pattern: string | RegExp): boolean {
  if (typeof pattern === 'string') return value.includes(pattern);
  // A global or sticky RegExp keeps state between test() calls; reset it so matching is pure.
  pattern.lastIndex = 0;
  return pattern.test(value);
}

export const matchesAnyPattern = (value: string, patterns: ReadonlyArray<string | RegExp> = []): boolean =>
  patterns.some((pattern) => matchesPattern(value, pattern));
