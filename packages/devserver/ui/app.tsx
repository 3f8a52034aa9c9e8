/** The shell: header with navigation, search and live status; the routed view below. */
import { useEffect, useState } from 'preact/hooks';
import { type Stats, useApi, useLive } from './api';
import { Link, match, navigate, useLocation } from './router';
import { IssueDetailView } from './views/issue-detail';
import { IssuesList } from './views/issues-list';
import { SearchView } from './views/search-view';
import { TraceView } from './views/trace-view';
import { TracesList } from './views/traces-list';

export function App() {
  const location = useLocation();
  const live = useLive();
  const stats = useApi<Stats>('/api/stats', live.version);
  const { path } = location;
  const issue = match('/issues/:id', path);
  const trace = match('/traces/:traceId', path);
  const section = path.startsWith('/traces') ? 'traces' : path.startsWith('/search') ? 'search' : 'issues';

  let view = <IssuesList version={live.version} />;
  if (issue) view = <IssueDetailView id={issue.id!} version={live.version} />;
  else if (trace) view = <TraceView traceId={trace.traceId!} version={live.version} />;
  else if (path === '/traces') view = <TracesList version={live.version} />;
  else if (path === '/search') view = <SearchView q={location.query.get('q') ?? ''} version={live.version} />;

  return (
    <>
      <header class="topbar">
        <Link href="/" class="brand">
          <span class="logo">◆</span> Faultline <span class="muted">dev</span>
        </Link>
        <nav>
          <Link href="/" class={section === 'issues' ? 'active' : undefined}>
            Issues
          </Link>
          <Link href="/traces" class={section === 'traces' ? 'active' : undefined}>
            Traces
          </Link>
        </nav>
        <SearchBox initial={section === 'search' ? (location.query.get('q') ?? '') : ''} />
        <div
          class={`live live-${live.state}`}
          title="Live updates over Server-Sent Events"
          data-testid="live-status"
        >
          <span class="pulse" />
          {live.state === 'live' ? 'Live' : live.state === 'connecting' ? 'Connecting' : 'Offline'}
        </div>
        {stats.data && (
          <div class="stats muted" data-testid="stats">
            {stats.data.errors} errors · {stats.data.transactions} transactions
          </div>
        )}
      </header>
      <main>{view}</main>
    </>
  );
}

function SearchBox({ initial }: { initial: string }) {
  const [value, setValue] = useState(initial);
  useEffect(() => setValue(initial), [initial]);
  return (
    <form
      class="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) navigate(`/search?q=${encodeURIComponent(value.trim())}`);
      }}
    >
      <input
        type="search"
        name="q"
        placeholder="Trace id, event id, user:alice, release:1.2.3…"
        value={value}
        onInput={(event) => setValue(event.currentTarget.value)}
        data-testid="search-input"
      />
    </form>
  );
}
