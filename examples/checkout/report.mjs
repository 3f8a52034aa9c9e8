// The demo's terminal report, from the dev server's JSON API: what happened, what broke, where.
const BAR_WIDTH = 40;

async function api(base, path) {
  const response = await fetch(`${base}${path}`);
  if (!response.ok) throw new Error(`${path}: ${response.status}`);
  return response.json();
}

export async function collectReport(devServerUrl) {
  const { issues } = await api(devServerUrl, '/api/issues?sort=count&limit=20');
  const { traces } = await api(devServerUrl, '/api/traces?limit=500');
  const slowest = [...traces].sort((a, b) => b.durationMs - a.durationMs)[0];
  const failing = traces.find(
    (t) => t.errorCount > 0 && t.services.includes('gateway') && t.services.includes('payments'),
  );
  return {
    issues,
    traceCount: traces.length,
    slowest: slowest && (await api(devServerUrl, `/api/traces/${slowest.traceId}`)),
    failing: failing && (await api(devServerUrl, `/api/traces/${failing.traceId}`)),
  };
}

/** One line per span: service, operation and name, a bar on the trace's timeline, duration, errors. */
export function textWaterfall(trace) {
  const total = Math.max(trace.durationMs, 1);
  const lines = [
    `trace ${trace.traceId}  ${trace.durationMs.toFixed(1)} ms  services: ${trace.services.join(' → ')}`,
  ];
  for (const span of trace.spans) {
    const start = Math.floor((span.startOffsetMs / total) * BAR_WIDTH);
    const width = Math.max(1, Math.round((span.durationMs / total) * BAR_WIDTH));
    const bar =
      `${' '.repeat(Math.min(start, BAR_WIDTH - 1))}${'█'.repeat(Math.min(width, BAR_WIDTH - start))}`.padEnd(
        BAR_WIDTH,
      );
    const label =
      `${'  '.repeat(span.depth)}${span.service} ${span.op ?? ''} ${span.description ?? ''}`.slice(0, 70);
    const mark = span.error ? `  ✖ ${span.errors.map((e) => e.title).join('; ')}` : '';
    lines.push(`${label.padEnd(70)} |${bar}| ${span.durationMs.toFixed(1).padStart(8)} ms${mark}`);
  }
  return lines.join('\n');
}

export function formatReport(report, requestCounts, uiUrl) {
  const requests = Object.entries(requestCounts)
    .map(([status, count]) => `${count} × ${status}`)
    .join(', ');
  const lines = [
    '',
    `Checkouts: ${requests}`,
    `Traces: ${report.traceCount}    Issues: ${report.issues.length}`,
    '',
    'Issues',
    ...report.issues.map(
      (i) =>
        `  ${String(i.count).padStart(4)} events  ${String(i.userCount).padStart(2)} users  ${i.title}  (${i.culprit ?? ''})`,
    ),
  ];
  if (report.failing) lines.push('', 'A failing checkout', textWaterfall(report.failing));
  if (report.slowest) lines.push('', 'The slowest checkout', textWaterfall(report.slowest));
  lines.push('', `Open the UI: ${uiUrl}`);
  return lines.join('\n');
}
