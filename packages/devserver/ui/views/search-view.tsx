/** Results for the header's search box: a trace id, event id, user, release or any text. */
import type { EventListEntry, IssueSummary, TraceSummary } from '../api';
import { useApi } from '../api';
import { timeAgo } from '../format';
import { Link } from '../router';
import { Panel, ServiceBadge, Status } from './common';
import { TraceTable } from './traces-list';

interface SearchResult {
  query: string;
  kind: string;
  issues: IssueSummary[];
  traces: TraceSummary[];
  events: EventListEntry[];
}

export function SearchView({ q, version }: { q: string; version: number }) {
  const { data, error, loading } = useApi<SearchResult>(`/api/search?q=${encodeURIComponent(q)}`, version);
  if (!data) return <Status loading={loading} error={error} />;
  const nothing = data.issues.length + data.traces.length + data.events.length === 0;
  return (
    <div data-testid="search-results">
      <div class="toolbar">
        <h2>
          Search <span class="muted">“{data.query}”</span> <span class="count-pill">{data.kind}</span>
        </h2>
      </div>
      {nothing && (
        <p class="notice muted">
          Nothing matches. Try a trace id, an event id, user:&lt;id or email&gt; or release:&lt;version&gt;.
        </p>
      )}
      {data.issues.length > 0 && (
        <Panel title={`Issues (${data.issues.length})`}>
          <table class="list compact">
            <tbody>
              {data.issues.map((issue) => (
                <tr key={issue.id}>
                  <td>
                    <Link href={`/issues/${issue.id}`}>{issue.title}</Link>
                  </td>
                  <td class="num">{issue.count} events</td>
                  <td class="num">{issue.userCount} users</td>
                  <td>{timeAgo(issue.lastSeen)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
      {data.traces.length > 0 && (
        <Panel title={`Traces (${data.traces.length})`}>
          <TraceTable traces={data.traces} />
        </Panel>
      )}
      {data.events.length > 0 && (
        <Panel title={`Events (${data.events.length})`}>
          <table class="list compact">
            <tbody>
              {data.events.map((event) => (
                <tr key={event.eventId}>
                  <td>
                    {event.issueId !== null ? (
                      <Link href={`/issues/${event.issueId}?event=${event.eventId}`}>{event.title}</Link>
                    ) : event.traceId ? (
                      <Link href={`/traces/${event.traceId}`}>{event.title}</Link>
                    ) : (
                      event.title
                    )}
                  </td>
                  <td>{event.kind}</td>
                  <td>
                    <ServiceBadge service={event.service} />
                  </td>
                  <td>{timeAgo(event.timestamp)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </Panel>
      )}
    </div>
  );
}
