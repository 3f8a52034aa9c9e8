/** One issue: its numbers, the selected (default: latest) event's stack trace, breadcrumbs and context. */
import { type EventDetail, type EventListEntry, type IssueDetail, useApi } from '../api';
import { timeAgo } from '../format';
import { Link, navigate, useLocation } from '../router';
import { KeyValues, LevelDot, Panel, ServiceBadge, Status } from './common';
import { Exceptions } from './stack-trace';

export function IssueDetailView({ id, version }: { id: string; version: number }) {
  const { query } = useLocation();
  const selected = query.get('event');
  const issue = useApi<IssueDetail>(`/api/issues/${id}`, version);
  const events = useApi<{ events: EventListEntry[]; total: number }>(
    `/api/issues/${id}/events?limit=25`,
    version,
  );
  const chosen = useApi<EventDetail>(selected ? `/api/events/${selected}` : undefined);
  if (!issue.data) return <Status loading={issue.loading} error={issue.error} />;
  const data = issue.data;
  const event = (selected && chosen.data) || data.latestEvent;

  return (
    <div class="issue-detail" data-testid="issue-detail">
      <div class="issue-header">
        <div>
          <h2>
            <LevelDot level={data.level} /> {data.title}
          </h2>
          {data.culprit && <p class="culprit">{data.culprit}</p>}
          <div class="subtitle">
            {data.services.map((service) => (
              <ServiceBadge key={service} service={service} />
            ))}
          </div>
        </div>
        <dl class="numbers">
          <div>
            <dt>Events</dt>
            <dd data-testid="issue-count">{data.count}</dd>
          </div>
          <div>
            <dt>Users</dt>
            <dd data-testid="issue-users">{data.userCount}</dd>
          </div>
          <div>
            <dt>First seen</dt>
            <dd title={data.firstSeen}>{timeAgo(data.firstSeen)}</dd>
          </div>
          <div>
            <dt>Last seen</dt>
            <dd title={data.lastSeen}>{timeAgo(data.lastSeen)}</dd>
          </div>
        </dl>
      </div>
      <div class="meta-row">
        {data.releases.length > 0 && (
          <span>
            Releases:{' '}
            {data.releases.map((release) => (
              <Link key={release} class="chip" href={`/?release=${encodeURIComponent(release)}`}>
                {release}
              </Link>
            ))}
          </span>
        )}
        {data.environments.length > 0 && <span>Environments: {data.environments.join(', ')}</span>}
      </div>

      <div class="event-bar">
        <span>
          Event <code>{event.eventId.slice(0, 12)}</code> · {new Date(event.timestamp).toLocaleString()}
          {event.release && <> · {event.release}</>}
          {event.service && (
            <>
              {' · '}
              <ServiceBadge service={event.service} />
            </>
          )}
        </span>
        {event.traceId && (
          <Link class="button" href={`/traces/${event.traceId}`}>
            View trace →
          </Link>
        )}
      </div>

      {event.exceptions.length > 0 ? (
        <Panel title="Exception" testId="stack-trace">
          <Exceptions exceptions={event.exceptions} />
        </Panel>
      ) : (
        <Panel title="Message">
          <pre class="message">{event.message ?? event.title}</pre>
        </Panel>
      )}
      <Panel title={`Breadcrumbs (${event.breadcrumbs.length})`} testId="breadcrumbs">
        <Breadcrumbs breadcrumbs={event.breadcrumbs} />
      </Panel>
      <div class="columns">
        <Panel title="Tags" testId="tags">
          <KeyValues values={event.tags} />
        </Panel>
        <Panel title="User" testId="user">
          <KeyValues values={(event.event.user as Record<string, unknown>) ?? {}} />
        </Panel>
      </div>
      {event.request && (
        <Panel title="Request" testId="request">
          <p class="request-line">
            <strong>{String(event.request.method ?? '')}</strong> {String(event.request.url ?? '')}
          </p>
          <KeyValues values={{ ...event.request, method: undefined, url: undefined }} />
        </Panel>
      )}
      <Panel title="Contexts" testId="contexts">
        {Object.entries(event.contexts).map(([name, context]) => (
          <div key={name} class="context-block">
            <h4>{name}</h4>
            <KeyValues values={(context as Record<string, unknown>) ?? {}} />
          </div>
        ))}
      </Panel>
      <Panel title={`Events (${events.data?.total ?? '…'})`} testId="issue-events">
        <table class="list compact">
          <tbody>
            {events.data?.events.map((entry) => (
              <tr key={entry.eventId} class={entry.eventId === event.eventId ? 'selected' : undefined}>
                <td>
                  <button
                    type="button"
                    class="link"
                    onClick={() => navigate(`/issues/${id}?event=${entry.eventId}`, true)}
                  >
                    {entry.eventId.slice(0, 12)}
                  </button>
                </td>
                <td>{timeAgo(entry.timestamp)}</td>
                <td>{entry.user ?? <span class="muted">no user</span>}</td>
                <td>{entry.release}</td>
                <td>
                  <ServiceBadge service={entry.service} />
                </td>
                <td>{entry.traceId && <Link href={`/traces/${entry.traceId}`}>trace</Link>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </Panel>
    </div>
  );
}

function Breadcrumbs({ breadcrumbs }: { breadcrumbs: Array<Record<string, unknown>> }) {
  if (breadcrumbs.length === 0) return <p class="muted">None</p>;
  return (
    <table class="list compact breadcrumbs">
      <tbody>
        {[...breadcrumbs].reverse().map((crumb, index) => (
          <tr key={index} class={`crumb-${String(crumb.level ?? 'info')}`}>
            <td class="crumb-category">{String(crumb.category ?? crumb.type ?? 'default')}</td>
            <td>
              {crumb.message ? String(crumb.message) : null}
              {crumb.data ? <code class="crumb-data">{JSON.stringify(crumb.data)}</code> : null}
            </td>
            <td class="muted nowrap">
              {typeof crumb.timestamp === 'number'
                ? new Date(crumb.timestamp * 1000).toLocaleTimeString()
                : String(crumb.timestamp ?? '')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
