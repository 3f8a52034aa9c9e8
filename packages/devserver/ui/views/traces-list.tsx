/** Recent traces: root transaction, services involved, duration and errors. */
import { type TraceSummary, useApi } from '../api';
import { duration, shortId, timeAgo } from '../format';
import { Link, navigate, useLocation } from '../router';
import { ServiceBadge, Status } from './common';

export function TracesList({ version }: { version: number }) {
  const { query } = useLocation();
  const errorsOnly = query.get('errors') === 'true';
  const { data, error, loading } = useApi<{ traces: TraceSummary[]; total: number }>(
    `/api/traces?${errorsOnly ? 'errors=true' : ''}`,
    version,
  );
  return (
    <div>
      <div class="toolbar">
        <h2>
          Traces <span class="count-pill">{data?.total ?? '…'}</span>
        </h2>
        <label class="filters">
          <input
            type="checkbox"
            checked={errorsOnly}
            onChange={(event) =>
              navigate(event.currentTarget.checked ? '/traces?errors=true' : '/traces', true)
            }
          />{' '}
          Only traces with errors
        </label>
      </div>
      {data && data.traces.length > 0 ? (
        <TraceTable traces={data.traces} />
      ) : (
        <Status loading={loading} error={error} empty="No traces yet." />
      )}
    </div>
  );
}

export function TraceTable({ traces }: { traces: TraceSummary[] }) {
  const longest = Math.max(...traces.map((trace) => trace.durationMs), 1);
  return (
    <table class="list traces" data-testid="traces-list">
      <thead>
        <tr>
          <th>Trace</th>
          <th>Services</th>
          <th>Duration</th>
          <th class="num">Spans</th>
          <th class="num">Errors</th>
          <th>Started</th>
        </tr>
      </thead>
      <tbody>
        {traces.map((trace) => (
          <tr key={trace.traceId} data-testid="trace-row" data-trace-id={trace.traceId}>
            <td>
              <Link href={`/traces/${trace.traceId}`} class="title">
                <strong>{trace.rootName ?? '(no root span)'}</strong>
              </Link>
              <div class="subtitle mono">{shortId(trace.traceId)}</div>
            </td>
            <td>
              {trace.services.map((service) => (
                <ServiceBadge key={service} service={service} />
              ))}
            </td>
            <td class="duration-cell">
              <span
                class="mini-bar"
                style={{ width: `${Math.max(2, (trace.durationMs / longest) * 100)}%` }}
              />
              {duration(trace.durationMs)}
            </td>
            <td class="num">{trace.spanCount}</td>
            <td class={`num ${trace.errorCount > 0 ? 'danger-text' : ''}`}>{trace.errorCount}</td>
            <td title={trace.start}>{timeAgo(trace.start)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
