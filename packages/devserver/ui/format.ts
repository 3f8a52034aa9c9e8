/** Display helpers: relative times, durations, and a stable colour per service. */

export function timeAgo(iso: string, now = Date.now()): string {
  const seconds = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (seconds < 5) return 'just now';
  if (seconds < 60) return `${seconds}s ago`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes}m ago`;
  const hours = Math.round(minutes / 60);
  if (hours < 48) return `${hours}h ago`;
  return `${Math.round(hours / 24)}d ago`;
}

export function duration(ms: number): string {
  if (ms < 1) return `${Math.round(ms * 1000)}µs`;
  if (ms < 1000) return `${ms < 10 ? ms.toFixed(1) : Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)}s`;
  return `${Math.floor(ms / 60_000)}m ${Math.round((ms % 60_000) / 1000)}s`;
}

export function shortId(id: string): string {
  return id.slice(0, 8);
}

const PALETTE = ['#6c5ce7', '#0984e3', '#00a884', '#e17055', '#d63384', '#e0a800', '#00b5c8', '#8e6c4a'];

export function serviceColor(service: string): string {
  let hash = 2166136261;
  for (const char of service) hash = Math.imul(hash ^ char.charCodeAt(0), 16777619) >>> 0;
  return paletteColor(hash);
}

/** Within one trace, services take palette colours in order, so that they never share one. */
export function paletteColor(index: number): string {
  return PALETTE[index % PALETTE.length]!;
}

/** Spans with a failing status: Sentry's `ok`/`unknown` variants are not failures. */
export function isFailingStatus(status: string | null): boolean {
  return status !== null && !['ok', 'unset', 'unknown', 'unknown_error'].includes(status);
}
