/** Pattern lists as options take them: strings match as substrings, RegExps are tested. */

export function matchesPattern(value: string, pattern: string | RegExp): boolean {
  if (typeof pattern === 'string') return value.includes(pattern);
  // A global or sticky RegExp keeps state between test() calls; reset it so matching is pure.
  pattern.lastIndex = 0;
  return pattern.test(value);
}

export function matchesAnyPattern(value: string, patterns: ReadonlyArray<string | RegExp> = []): boolean {
  for (const pattern of patterns) if (matchesPattern(value, pattern)) return true;
  return false;
}
