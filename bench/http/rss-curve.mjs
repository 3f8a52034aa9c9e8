// RSS of the bench's app as it serves more and more requests, per configuration: when V8 has finished
// growing the young generation, and what the SDK adds once it has. The main bench reads RSS after
// 10,000 requests, when an app that allocates more has grown it sooner than one that allocates less.
//   node bench/http/rss-curve.mjs [--framework express|fastify] [--configurations none,faultline-1.0]
//     [--requests 80000] [--step 10000] [--rounds 2]
// Not part of `pnpm bench`. The app is pinned to core 0 as in the main bench, the load (50
// connections, the route mix) and the servers to core 1; configurations alternate in each round.
import { parseArgs } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { startBenchServers } from './bench-servers.mjs';
import { configurationById } from './configurations.mjs';
import { sendRequests } from './load.mjs';
import { startPinned, stopProcess } from './pinned-process.mjs';
import { residentMB } from './proc-stats.mjs';

const { values } = parseArgs({
  options: {
    framework: { type: 'string', default: 'fastify' },
    configurations: { type: 'string', default: 'none,faultline-errors,faultline-1.0' },
    requests: { type: 'string', default: '80000' },
    step: { type: 'string', default: '10000' },
    rounds: { type: 'string', default: '2' },
  },
});
const app = new URL(`./${values.framework}-app.mjs`, import.meta.url).pathname;
const step = Number(values.step);
const steps = Math.ceil(Number(values.requests) / step);
const servers = await startBenchServers();
const rows = [];
try {
  for (let round = 1; round <= Number(values.rounds); round++) {
    for (const id of values.configurations.split(',')) {
      const { flags, env } = servers.appProcess(configurationById(id), values.framework);
      const process_ = await startPinned(0, [...flags, app], env);
      const url = `http://127.0.0.1:${process_.port}`;
      const row = [id, String(round)];
      try {
        for (let done = 0; done < steps; done++) {
          await sendRequests(url, { amount: step, connections: 50 });
          row.push(residentMB(process_.child.pid).toFixed(0));
        }
      } finally {
        await stopProcess(process_.child);
      }
      console.error(row.join(' '));
      rows.push(row);
    }
  }
} finally {
  await servers.stop();
}
const header = ['configuration', 'round'];
for (let done = 1; done <= steps; done++) header.push(`${(done * step) / 1000}k`);
console.log(
  `RSS MB (VmRSS) after each ${step / 1000}k requests, ${values.framework}, Node ${process.version}\n`,
);
console.log(markdownTable(header, rows));
