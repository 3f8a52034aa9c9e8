// Markdown for the HTTP bench: per framework, throughput and CPU, then latency, startup and memory;
// then issue 8's targets and the leading SDKs' figures the issue quotes next to ours.
import { markdownTable } from '../lib/markdown-table.mjs';
import { formatSummary } from '../lib/statistics.mjs';
import { CONFIGURATIONS } from './configurations.mjs';
import { absolute, added, derived, ratio } from './round-ratios.mjs';
import { STARTUP_SAMPLES } from './run-http.mjs';
import { targetsReport } from './targets.mjs';

const FRAMEWORK_NAMES = { express: 'Express 5', fastify: 'Fastify 5' };

/** The configurations the issue quotes for the leading SDK and OpenTelemetry on "this kind of machine". */
const QUOTED = [
  {
    label: '@sentry/node errors-only, req/s ×',
    id: 'sentry-errors',
    metric: 'rps',
    quoted: { express: 0.71, fastify: 0.22 },
  },
  {
    label: '@sentry/node tracing 1.0, req/s ×',
    id: 'sentry-1.0',
    metric: 'rps',
    quoted: { express: 0.13, fastify: 0.03 },
  },
  {
    label: '@sentry/node startup added, ms',
    id: 'sentry-1.0',
    metric: 'startup',
    quoted: { express: 680, fastify: 680 },
  },
  {
    label: '@sentry/node RSS added, MB',
    id: 'sentry-1.0',
    metric: 'rss',
    quoted: { express: 140, fastify: 140 },
  },
  {
    label: 'OpenTelemetry no-op exporter, req/s ×',
    id: 'opentelemetry',
    metric: 'rps',
    quoted: { express: 0.55, fastify: 0.55 },
  },
];

export function httpReport(measurements, options) {
  const present = CONFIGURATIONS.filter((c) => measurements.some((m) => m.configuration === c.id));
  const sections = [
    '## HTTP overhead',
    '',
    `App pinned to core 0; the load (autocannon, the fixed-rate client), the loopback ingest and the ` +
      `upstream pinned to core 1. Each cell is ` +
      `the median over ${options.rounds} round(s) with min–max in parentheses; ratios (×) are against the ` +
      `no-SDK run of the same round. Every configuration runs in a fresh process: spawn → first 200 ` +
      `(startup: the median of ${STARTUP_SAMPLES} spawns per round, alternated between configurations), ` +
      `10,000 requests then VmRSS (RSS), ${options.seconds} s at 50 connections not measured (V8 ` +
      `still compiles hot code after 10,000 requests), ${options.seconds} s at 50 connections (req/s at ` +
      `saturation, app CPU µs per request from /proc utime+stime), ${options.seconds} s at a fixed ` +
      `500 req/s over 10 keep-alive connections, open loop (\`fixed-rate-load.mjs\`: p50/p99 of the 2xx ` +
      `answers, coordinated omission corrected). VmRSS is read again right after the measured saturation ` +
      `(thousands of requests served by then in its own column): V8 is still growing every app's young ` +
      `generation after 10,000 requests, an app that allocates more sooner, so the first figure can be ` +
      `a difference of timing more than of footprint. Load: every connection ` +
      `cycles through 100 requests: 40 JSON with a path parameter, 35 text, 24 with one outgoing fetch ` +
      `to the upstream, 1 error (500). Transactions are counted at the ingest (transaction items, or ` +
      `segment spans for span-streaming SDKs) over the process's whole life, against every request it served.`,
  ];
  for (const framework of options.frameworks) {
    const cell = (id, metric, digits) => formatSummary(absolute(measurements, framework, id, metric), digits);
    const times = (id, metric) =>
      id === 'none' ? '1' : formatSummary(ratio(measurements, framework, id, metric), 2);
    const plus = (id, metric, digits) =>
      id === 'none' ? '0' : formatSummary(added(measurements, framework, id, metric), digits);
    const throughput = present.map((c) => [
      c.label,
      cell(c.id, 'requestsPerSecond', 0),
      times(c.id, 'requestsPerSecond'),
      cell(c.id, 'cpuMicrosPerRequest', 0),
      times(c.id, 'cpuMicrosPerRequest'),
      formatSummary(
        derived(measurements, framework, c.id, (m) => m.transactionsReceived / m.responses),
        3,
      ),
      formatSummary(
        derived(measurements, framework, c.id, (m) => m.errorEventsReceived),
        0,
      ),
    ]);
    const footprint = present.map((c) => [
      c.label,
      cell(c.id, 'p50', 2),
      cell(c.id, 'p99', 2),
      times(c.id, 'p99'),
      cell(c.id, 'startupMs', 0),
      plus(c.id, 'startupMs', 0),
      cell(c.id, 'rssMB', 1),
      plus(c.id, 'rssMB', 1),
      cell(c.id, 'rssAfterLoadMB', 1),
      plus(c.id, 'rssAfterLoadMB', 1),
      formatSummary(
        derived(measurements, framework, c.id, (m) => m.requestsBeforeRssAfterLoad / 1000),
        0,
      ),
    ]);
    sections.push(
      '',
      `### ${FRAMEWORK_NAMES[framework]}: throughput and CPU`,
      '',
      markdownTable(
        [
          'configuration',
          'req/s',
          'req/s ×',
          'CPU µs/req',
          'CPU ×',
          'transactions received per request',
          'error events received',
        ],
        throughput,
      ),
      '',
      `### ${FRAMEWORK_NAMES[framework]}: latency at 500 req/s, startup, memory`,
      '',
      markdownTable(
        [
          'configuration',
          'p50 ms',
          'p99 ms',
          'p99 ×',
          'startup ms',
          'startup added ms',
          'RSS MB after 10k req',
          'RSS added MB',
          'RSS MB after saturation',
          'RSS added MB',
          'k requests by then',
        ],
        footprint,
      ),
    );
  }
  const { table, misses } = targetsReport(measurements, options.frameworks);
  sections.push('', '### Targets (issue 8)', '', table);
  if (misses.length) sections.push('', 'Missed:', '', ...misses.map((miss) => `- ${miss}`));
  const quoted = QUOTED.filter((q) => present.some((c) => c.id === q.id)).map((q) => {
    const cells = [q.label];
    for (const framework of options.frameworks) {
      const summary =
        q.metric === 'rps'
          ? ratio(measurements, framework, q.id, 'requestsPerSecond')
          : added(measurements, framework, q.id, q.metric === 'startup' ? 'startupMs' : 'rssMB');
      cells.push(String(q.quoted[framework]), formatSummary(summary, q.metric === 'rps' ? 2 : 0));
    }
    return cells;
  });
  if (quoted.length) {
    const header = ['leading SDKs (issue 8 quote vs here)'];
    for (const framework of options.frameworks) header.push(`${framework} quoted`, `${framework} here`);
    sections.push('', markdownTable(header, quoted));
  }
  return sections.join('\n');
}
