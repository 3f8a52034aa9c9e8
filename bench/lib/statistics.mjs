// Summaries over rounds: the median is the headline, min–max shows how far the rounds spread.

export function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

export function summarize(values) {
  const finite = values.filter((value) => Number.isFinite(value));
  if (finite.length === 0) return undefined;
  return { median: median(finite), min: Math.min(...finite), max: Math.max(...finite) };
}

/** `1234 (1200–1300)`; a single value prints alone. */
export function formatSummary(summary, digits = 0) {
  if (!summary) return 'n/a';
  const text = (value) => value.toFixed(digits);
  if (summary.min === summary.max) return text(summary.median);
  return `${text(summary.median)} (${text(summary.min)}–${text(summary.max)})`;
}
