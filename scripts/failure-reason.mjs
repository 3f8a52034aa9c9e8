/**
 * A failing test's message without its stack, a few lines of it, for the summary at the end of the
 * CI log: a property test's seed and counterexample (fast-check puts them in the message) are what
 * it takes to reproduce a failure that a new seed may not hit again.
 */
export function failureReason(message, { maxLines = 8, maxLineLength = 400 } = {}) {
  const lines = String(message ?? '').split('\n');
  const stackStart = lines.findIndex((line) => /^\s+at /.test(line));
  return lines
    .slice(0, stackStart === -1 ? undefined : stackStart)
    .filter((line) => line.trim() && !line.startsWith('Hint:'))
    .slice(0, maxLines)
    .map((line) => line.slice(0, maxLineLength))
    .join('\n      ');
}
