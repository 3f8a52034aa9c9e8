/**
 * A failing test's message without its stack, at most 8 lines of 400 characters, for the summary at
 * the end of the CI log: a property test's seed and counterexample (fast-check puts them in the
 * message) are what it takes to reproduce a failure that a new seed may not hit again.
 */
export function failureReason(message) {
  const lines = String(message ?? '').split('\n');
  const stackStart = lines.findIndex((line) => /^\s+at /.test(line));
  return lines
    .slice(0, stackStart === -1 ? undefined : stackStart)
    .filter((line) => line.trim() && !line.startsWith('Hint:'))
    .slice(0, 8)
    .map((line) => line.slice(0, 400));
}
