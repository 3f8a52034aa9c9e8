/** One trace as a waterfall across every service, with error markers and span details. */
import { useState } from 'preact/hooks';
import { type TraceDetail, useApi, type WaterfallSpan } from '../api';
import { duration, isFailingStatus, paletteColor } from '../format';
import { Link } from '../router';
import { KeyValues, Panel, ServiceBadge, Status } from './common';

const TICKS = [0, 0.25, 0.5, 0.75, 1];

export function TraceView({ traceId, version }: { traceId: string; version: number }) {
  const { data, error, loading } = useApi<TraceDetail>(`/api/traces/${traceId}`, version);
  const [selected, setSelected] = useState<string | undefined>();
  if (!data) return <Status loading={loading} error={error} />;
  const total = Math.max(data.durationMs, 0.001);
  const span = data.spans.find((candidate) => candidate.spanId === selected);
  const colors = new Map(data.services.map((service, index) => [service, paletteColor(index)]));

  return (
    <div class="trace-view" data-testid="trace-view">
      <div class="issue-header">
        <div>
          <h2>{data.rootName ?? 'Trace'}</h2>
          <p class="subtitle mono">trace {data.traceId}</p>
          <div class="subtitle">
            {data.services.map((service) => (
              <ServiceBadge key={service} service={service} color={colors.get(service)} />
            ))}
          </div>
        </div>
        <dl class="numbers">
          <div>
            <dt>Duration</dt>
            <dd>{duration(data.durationMs)}</dd>
          </div>
          <div>
            <dt>Spans</dt>
            <dd>{data.spanCount}</dd>
          </div>
          <div>
            <dt>Services</dt>
            <dd>{data.services.length}</dd>
          </div>
          <div>
            <dt>Errors</dt>
            <dd class={data.errorCount > 0 ? 'danger-text' : undefined}>{data.errorCount}</dd>
          </div>
        </dl>
      </div>
      {data.errors.length > 0 && (
        <div class="trace-errors">
          {data.errors.map((traceError) => (
            <Link
              key={traceError.eventId}
              class="error-link"
              href={`/issues/${traceError.issueId}?event=${traceError.eventId}`}
            >
              ● {traceError.title}{' '}
              <span class="muted">
                in {traceError.service} at +{duration(traceError.offsetMs)}
              </span>
            </Link>
          ))}
        </div>
      )}
      <div class="waterfall" data-testid="waterfall">
        <div class="wf-row wf-axis">
          <div class="wf-label">Span</div>
          <div class="wf-timeline">
            {TICKS.map((tick) => (
              <span key={tick} class="tick" style={{ left: `${tick * 100}%` }}>
                {duration(total * tick)}
              </span>
            ))}
          </div>
        </div>
        {data.spans.map((row) => (
          <SpanRow
            key={row.spanId}
            span={row}
            total={total}
            color={colors.get(row.service)!}
            selected={row.spanId === selected}
            onSelect={() => setSelected(row.spanId === selected ? undefined : row.spanId)}
          />
        ))}
      </div>
      {span && <SpanDetails span={span} />}
    </div>
  );
}

function SpanRow(props: {
  span: WaterfallSpan;
  total: number;
  color: string;
  selected: boolean;
  onSelect: () => void;
}) {
  const { span, total, color } = props;
  const left = (span.startOffsetMs / total) * 100;
  const width = Math.max((span.durationMs / total) * 100, 0.4);
  const failing = isFailingStatus(span.status);
  const labelPlacement = barLabelPlacement(left, width);
  return (
    <button
      type="button"
      class={`wf-row ${props.selected ? 'selected' : ''} ${span.error ? 'has-error' : ''} ${span.isTransaction ? 'transaction' : ''}`}
      onClick={props.onSelect}
      data-testid="waterfall-span"
      data-service={span.service}
      data-error={span.error ? 'true' : 'false'}
    >
      <div class="wf-label" style={{ paddingLeft: `${8 + span.depth * 14}px` }}>
        {span.error && (
          <span class="error-marker" title="an error happened in this span" data-testid="span-error">
            ●
          </span>
        )}
        <ServiceBadge service={span.service} color={color} />
        <span class="op">{span.op ?? 'span'}</span>
        <span class="desc" title={span.description ?? ''}>
          {span.description}
        </span>
      </div>
      <div class="wf-timeline">
        <span
          class={`bar ${failing ? 'failing' : ''}`}
          style={{ left: `${Math.min(left, 99.6)}%`, width: `${width}%`, background: color }}
        />
        <span class={`bar-label ${labelPlacement.inside ? 'inside' : ''}`} style={labelPlacement.style}>
          {duration(span.durationMs)}
          {span.status && span.status !== 'ok' && (
            <span class={failing ? 'danger-text' : 'muted'}> {span.status}</span>
          )}
        </span>
      </div>
    </button>
  );
}

function SpanDetails({ span }: { span: WaterfallSpan }) {
  return (
    <Panel title={`${span.op ?? 'span'} — ${span.description ?? span.spanId}`} testId="span-details">
      <KeyValues
        values={{
          service: span.service,
          'span id': span.spanId,
          'parent span id': span.parentSpanId,
          status: span.status,
          start: `+${duration(span.startOffsetMs)}`,
          duration: duration(span.durationMs),
          transaction: span.isTransaction ? 'yes (service entry point)' : undefined,
          ...(span.data ?? {}),
        }}
      />
      {span.errors.map((spanError) => (
        <p key={spanError.eventId}>
          <Link class="error-link" href={`/issues/${spanError.issueId}?event=${spanError.eventId}`}>
            ● {spanError.title}
          </Link>
        </p>
      ))}
    </Panel>
  );
}

/** After the bar when there is room, else before it, else inside it. */
function barLabelPlacement(left: number, width: number): { inside: boolean; style: Record<string, string> } {
  if (left + width <= 78) return { inside: false, style: { left: `${left + width}%` } };
  if (left >= 22) return { inside: false, style: { right: `${100 - left}%`, marginRight: '6px' } };
  return { inside: true, style: { left: `${left}%` } };
}
