// Runs each micro benchmark file in its own Node process (a clean heap, GC exposed, a young
// generation large enough for the allocation batches) and renders their results as markdown.
import { execFileSync } from 'node:child_process';
import { markdownTable } from '../lib/markdown-table.mjs';

const CASE_FILES = [
  'capture-exception',
  'start-span',
  'envelope-serialization',
  'trace-headers',
  'request-scope',
  'server-request',
];
const NODE_FLAGS = ['--expose-gc', '--max-semi-space-size=64', '--min-semi-space-size=64'];

export function runMicroBench({ milliseconds, log }) {
  const results = [];
  for (const file of CASE_FILES) {
    const output = execFileSync(
      process.execPath,
      [...NODE_FLAGS, new URL(`./${file}.mjs`, import.meta.url).pathname],
      { encoding: 'utf8', env: { ...process.env, BENCH_MICRO_MS: String(milliseconds) } },
    );
    for (const line of output.split('\n').filter((text) => text.startsWith('{'))) {
      const result = JSON.parse(line);
      results.push(result);
      log(
        `micro ${result.name}: ${Math.round(result.opsPerSecond)} ops/s, ${Math.round(result.bytesPerOp ?? -1)} B/op`,
      );
    }
  }
  return results;
}

export function microReport(results, { milliseconds }) {
  const rows = results.map((r) => [
    r.name,
    Math.round(r.opsPerSecond).toLocaleString('en-US'),
    formatNs(r.nsPerOp),
    `±${r.rme.toFixed(1)}%`,
    r.bytesPerOp === undefined ? 'n/a' : Math.round(r.bytesPerOp).toLocaleString('en-US'),
  ]);
  return [
    '## Micro benchmarks (@faultline/node, built package)',
    '',
    `tinybench, ${milliseconds} ms per case after warm-up, each file in its own process with the ` +
      'default integrations and a transport that hands envelopes to the bench. Bytes allocated per op: ' +
      'heap used after a batch minus after a forced GC before it, batches that saw a GC discarded; the ' +
      'async cases include the promise work up to the transport.',
    '',
    markdownTable(['case', 'ops/s', 'time/op', 'rme', 'bytes allocated/op'], rows),
  ].join('\n');
}

function formatNs(ns) {
  if (ns >= 1e6) return `${(ns / 1e6).toFixed(2)} ms`;
  if (ns >= 1e3) return `${(ns / 1e3).toFixed(2)} µs`;
  return `${ns.toFixed(0)} ns`;
}
