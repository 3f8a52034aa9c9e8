// Issue 8's targets (ratios to no SDK, same round), checked on the medians across rounds. Startup
// and RSS are checked on the worst Faultline configuration. A tracing 1.0 throughput counts only if
// every transaction reached the ingest: a faster SDK that drops them has not met the promise.
import { markdownTable } from '../lib/markdown-table.mjs';
import { formatSummary } from '../lib/statistics.mjs';
import { added, derived, ratio } from './round-ratios.mjs';

const FAULTLINE_CONFIGURATIONS = ['faultline-errors', 'faultline-0.1', 'faultline-1.0'];
const EVERY_TRANSACTION = 0.99;

const TARGETS = [
  {
    label: 'errors-only (tracing unset), req/s',
    bound: { express: 0.97, fastify: 0.92 },
    atLeast: true,
    unit: '×',
    measure: (m, framework) => ratio(m, framework, 'faultline-errors', 'requestsPerSecond'),
  },
  {
    label: 'tracing 0.1, req/s',
    bound: { express: 0.95, fastify: 0.8 },
    atLeast: true,
    unit: '×',
    measure: (m, framework) => ratio(m, framework, 'faultline-0.1', 'requestsPerSecond'),
  },
  {
    label: 'tracing 1.0 with every transaction sent, req/s',
    bound: { express: 0.85, fastify: 0.5 },
    atLeast: true,
    unit: '×',
    measure: (m, framework) => ratio(m, framework, 'faultline-1.0', 'requestsPerSecond'),
    precondition: (m, framework) => {
      const sent = derived(m, framework, 'faultline-1.0', (x) => x.transactionsReceived / x.responses);
      return sent && sent.min < EVERY_TRANSACTION
        ? `only ${(sent.min * 100).toFixed(0)}% of transactions reached the ingest (worst round)`
        : undefined;
    },
  },
  {
    label: 'p99 at 500 req/s, tracing 1.0',
    bound: { express: 1.3, fastify: 1.3 },
    atLeast: false,
    unit: '×',
    measure: (m, framework) => ratio(m, framework, 'faultline-1.0', 'p99'),
  },
  {
    label: 'startup added (worst Faultline configuration)',
    bound: { express: 40, fastify: 40 },
    atLeast: false,
    unit: 'ms',
    measure: (m, framework) => worst(m, framework, 'startupMs'),
  },
  {
    label: 'RSS added after 10k requests (worst Faultline configuration)',
    bound: { express: 15, fastify: 15 },
    atLeast: false,
    unit: 'MB',
    measure: (m, framework) => worst(m, framework, 'rssMB'),
  },
];

function worst(measurements, framework, metric) {
  const summaries = FAULTLINE_CONFIGURATIONS.map((id) => added(measurements, framework, id, metric)).filter(
    Boolean,
  );
  return summaries.sort((a, b) => b.median - a.median)[0];
}

/** The targets table: target, measured median (min–max), ✔/✖ per framework; plus the misses as text. */
export function targetsReport(measurements, frameworks) {
  const misses = [];
  const rows = TARGETS.map((target) => {
    const cells = [target.label];
    for (const framework of frameworks) {
      const summary = target.measure(measurements, framework);
      const bound = target.bound[framework];
      const sign = target.atLeast ? '≥' : '≤';
      const digits = target.unit === '×' ? 2 : 0;
      const problem = target.precondition?.(measurements, framework);
      const met =
        summary !== undefined &&
        !problem &&
        (target.atLeast ? summary.median >= bound : summary.median <= bound);
      cells.push(`${sign} ${bound}${target.unit === '×' ? '' : ` ${target.unit}`}`);
      cells.push(`${formatSummary(summary, digits)}${target.unit === '×' ? '' : ` ${target.unit}`}`);
      cells.push(met ? '✔' : '✖');
      if (!met) {
        const gap = summary
          ? `measured ${summary.median.toFixed(digits)} against ${sign} ${bound}`
          : 'not measured';
        misses.push(`${framework}: ${target.label}: ${gap}${problem ? `; ${problem}` : ''}`);
      }
    }
    return cells;
  });
  const header = ['target (Faultline, ratio to no SDK)'];
  for (const framework of frameworks) header.push(`${framework} target`, `${framework} measured`, '');
  return { table: markdownTable(header, rows), misses };
}
