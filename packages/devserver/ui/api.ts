/** The dev server's JSON API, as the UI uses it, and the live stream that tells it to refresh. */
import { useEffect, useState } from 'preact/hooks';

export type {
  EventDetail,
  EventListEntry,
  IssueDetail,
  IssueSummary,
  Stats,
  TraceDetail,
  TraceSummary,
  WaterfallSpan,
} from '../src/api-types';

export interface Loaded<T> {
  data?: T;
  error?: string;
  loading: boolean;
}

export async function getJson<T>(path: string): Promise<T> {
  const response = await fetch(path, { headers: { accept: 'application/json' } });
  const body = await response.json().catch(() => ({}));
  if (!response.ok)
    throw new Error((body as { detail?: string }).detail ?? `${response.status} ${response.statusText}`);
  return body as T;
}

/** Fetches `path` again whenever it or `version` changes, keeping the last data while reloading. */
export function useApi<T>(path: string | undefined, version = 0): Loaded<T> {
  const [state, setState] = useState<Loaded<T>>({ loading: true });
  useEffect(() => {
    if (!path) return;
    let cancelled = false;
    setState((previous) => ({ ...previous, loading: true }));
    getJson<T>(path).then(
      (data) => !cancelled && setState({ data, loading: false }),
      (error: Error) => !cancelled && setState({ error: error.message, loading: false }),
    );
    return () => {
      cancelled = true;
    };
  }, [path, version]);
  return state;
}

export type LiveState = 'connecting' | 'live' | 'offline';

/**
 * Listens to `/api/stream` and bumps `version` (at most a few times a second) whenever data changes, so
 * views refetch while traffic flows.
 */
export function useLive(): { version: number; state: LiveState } {
  const [version, setVersion] = useState(0);
  const [state, setState] = useState<LiveState>('connecting');
  useEffect(() => {
    const source = new EventSource('/api/stream');
    let timer: number | undefined;
    const bump = () => {
      timer ??= window.setTimeout(() => {
        timer = undefined;
        setVersion((value) => value + 1);
      }, 400);
    };
    source.onopen = () => setState('live');
    source.onerror = () => setState(source.readyState === EventSource.CLOSED ? 'offline' : 'connecting');
    for (const type of ['event', 'issue', 'trace']) source.addEventListener(type, bump);
    return () => {
      source.close();
      window.clearTimeout(timer);
    };
  }, []);
  return { version, state };
}
