/** The issues list: title, culprit, events, users, last seen and releases, with filters and sorting. */
import { type IssueSummary, useApi } from '../api';
import { timeAgo } from '../format';
import { Link, navigate, useLocation } from '../router';
import { LevelDot, ServiceBadge, Status } from './common';

const SORTS: Array<[string, string]> = [
  ['last_seen', 'Last seen'],
  ['first_seen', 'First seen'],
  ['count', 'Events'],
  ['users', 'Users'],
];

export function IssuesList({ version }: { version: number }) {
  const { query } = useLocation();
  const params = new URLSearchParams();
  for (const key of ['query', 'release', 'user', 'sort']) {
    const value = query.get(key);
    if (value) params.set(key, value);
  }
  const { data, error, loading } = useApi<{ issues: IssueSummary[]; total: number }>(
    `/api/issues?${params}`,
    version,
  );
  const setFilter = (key: string, value: string) => {
    const next = new URLSearchParams(params);
    if (value) next.set(key, value);
    else next.delete(key);
    navigate(`/?${next}`, true);
  };

  return (
    <div>
      <div class="toolbar">
        <h2>
          Issues <span class="count-pill">{data?.total ?? '…'}</span>
        </h2>
        <div class="filters">
          {params.get('release') && (
            <FilterChip
              label="release"
              value={params.get('release')!}
              onClear={() => setFilter('release', '')}
            />
          )}
          {params.get('user') && (
            <FilterChip label="user" value={params.get('user')!} onClear={() => setFilter('user', '')} />
          )}
          {params.get('query') && (
            <FilterChip label="text" value={params.get('query')!} onClear={() => setFilter('query', '')} />
          )}
          <label>
            Sort{' '}
            <select
              value={params.get('sort') ?? 'last_seen'}
              onChange={(event) => setFilter('sort', event.currentTarget.value)}
            >
              {SORTS.map(([value, label]) => (
                <option key={value} value={value}>
                  {label}
                </option>
              ))}
            </select>
          </label>
        </div>
      </div>
      {data && data.issues.length > 0 ? (
        <table class="list issues" data-testid="issues-list">
          <thead>
            <tr>
              <th>Issue</th>
              <th class="num">Events</th>
              <th class="num">Users</th>
              <th>Last seen</th>
              <th>Release</th>
            </tr>
          </thead>
          <tbody>
            {data.issues.map((issue) => (
              <IssueRow key={issue.id} issue={issue} onFilter={setFilter} />
            ))}
          </tbody>
        </table>
      ) : (
        <Status
          loading={loading}
          error={error}
          empty="No issues yet. Point an SDK's DSN at this server and errors will appear here live."
        />
      )}
    </div>
  );
}

function IssueRow({
  issue,
  onFilter,
}: {
  issue: IssueSummary;
  onFilter: (key: string, value: string) => void;
}) {
  const [type, ...rest] = issue.title.split(': ');
  return (
    <tr data-testid="issue-row" data-issue-id={issue.id}>
      <td>
        <div class="issue-title">
          <LevelDot level={issue.level} />
          <div>
            <Link href={`/issues/${issue.id}`} class="title">
              {rest.length > 0 ? (
                <>
                  <strong>{type}</strong>: {rest.join(': ')}
                </>
              ) : (
                <strong>{issue.title}</strong>
              )}
            </Link>
            <div class="subtitle">
              {issue.culprit && <span class="culprit">{issue.culprit}</span>}
              {issue.services.map((service) => (
                <ServiceBadge key={service} service={service} />
              ))}
            </div>
          </div>
        </div>
      </td>
      <td class="num" data-testid="issue-count">
        {issue.count}
      </td>
      <td class="num" data-testid="issue-users">
        {issue.userCount}
      </td>
      <td title={issue.lastSeen}>{timeAgo(issue.lastSeen)}</td>
      <td>
        {issue.releases.slice(0, 2).map((release) => (
          <button key={release} type="button" class="chip" onClick={() => onFilter('release', release)}>
            {release}
          </button>
        ))}
      </td>
    </tr>
  );
}

function FilterChip(props: { label: string; value: string; onClear: () => void }) {
  return (
    <span class="chip active">
      {props.label}: {props.value}{' '}
      <button type="button" aria-label={`clear ${props.label}`} onClick={props.onClear}>
        ×
      </button>
    </span>
  );
}
