#!/usr/bin/env node
// `pnpm bench`: HTTP overhead, micro benchmarks and browser bundle sizes, printed as markdown with
// the date, the machine and the exact versions, and written to bench/results/latest.md.
//   pnpm bench [--only http|micro|size[,…]] [--rounds 3] [--duration 5] [--micro-ms 1000]
//              [--frameworks express,fastify] [--configurations none,faultline-1.0,…]
//              [--output bench/results/latest.md]
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { CONFIGURATIONS } from './http/configurations.mjs';
import { httpReport } from './http/http-report.mjs';
import { runHttpBench } from './http/run-http.mjs';
import { ensureBuilt } from './lib/ensure-built.mjs';
import { machineDescription, sourceRevision, versions } from './lib/environment.mjs';
import { markdownTable } from './lib/markdown-table.mjs';
import { microReport, runMicroBench } from './micro/run-micro.mjs';
import { runSizeBench, sizeReport } from './size/run-size.mjs';

const SECTIONS = ['http', 'micro', 'size'];
const { values } = parseArgs({
  options: {
    only: { type: 'string', default: SECTIONS.join(',') },
    rounds: { type: 'string', default: '3' },
    duration: { type: 'string', default: '5' },
    'micro-ms': { type: 'string', default: '1000' },
    frameworks: { type: 'string', default: 'express,fastify' },
    configurations: { type: 'string' },
    output: { type: 'string', default: fileURLToPath(new URL('./results/latest.md', import.meta.url)) },
  },
});

const sections = values.only.split(',');
const unknown = sections.filter((section) => !SECTIONS.includes(section));
const configurationIds = values.configurations?.split(',');
const badConfiguration = configurationIds?.find((id) => !CONFIGURATIONS.some((c) => c.id === id));
if (unknown.length || badConfiguration) {
  console.error(
    `bench: unknown ${unknown.length ? `section ${unknown}` : `configuration ${badConfiguration}`}`,
  );
  process.exit(2);
}
if (configurationIds && !configurationIds.includes('none')) configurationIds.unshift('none');
const rounds = Number(values.rounds);
const seconds = Number(values.duration);
const microMilliseconds = Number(values['micro-ms']);
const log = (line) => console.error(line);

ensureBuilt();
const startedAt = new Date();
const parts = [header(startedAt)];
if (sections.includes('http')) {
  const frameworks = values.frameworks.split(',');
  const measurements = await runHttpBench({ rounds, seconds, frameworks, configurationIds, log });
  parts.push(httpReport(measurements, { rounds, seconds, frameworks }));
}
if (sections.includes('micro')) {
  parts.push(
    microReport(runMicroBench({ milliseconds: microMilliseconds, log }), { milliseconds: microMilliseconds }),
  );
}
if (sections.includes('size')) parts.push(sizeReport(await runSizeBench()));

const markdown = `${parts.join('\n\n')}\n`;
console.log(markdown);
mkdirSync(dirname(values.output), { recursive: true });
writeFileSync(values.output, markdown);
log(`bench: written to ${values.output}`);

function header(date) {
  const machine = machineDescription();
  const command = `pnpm bench --only ${sections.join(',')} --rounds ${rounds} --duration ${seconds}`;
  return [
    '# Faultline benchmarks',
    '',
    `Run ${date.toISOString().slice(0, 16).replace('T', ' ')} UTC with \`${command}\` on ${machine.cpu}, ` +
      `${machine.cores} cores, ${machine.memoryGiB} GiB, Node ${machine.node}, ${machine.os}. ` +
      `Faultline source: ${sourceRevision()}.`,
    '',
    'This machine is shared and noisy (other jobs run on the same two cores): read ratios from the same ' +
      'round, watch the min–max spread, and rerun before trusting a small difference.',
    '',
    markdownTable(['package', 'version'], versions()),
  ].join('\n');
}
