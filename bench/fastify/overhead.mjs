#!/usr/bin/env node
// Requests per second of a small Fastify app (two hooks, one parameterised JSON route) without the
// SDK, with the SDK initialised but no plugin, with the @faultline/fastify plugin, and with its
// lifecycle spans on (tracesSampleRate from BENCH_TRACES_SAMPLE_RATE, default 1).
// Each server runs in its own process; the load is a keep-alive loop of CONNECTIONS clients, rounds
// interleaved so drift hits every configuration alike. Needs the built packages (pnpm build).
// Usage: node bench/fastify/overhead.mjs [seconds per round=5] [rounds=3]
import { fork } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { fileURLToPath } from 'node:url';

const SECONDS = Number(process.argv[2] ?? 5);
const ROUNDS = Number(process.argv[3] ?? 3);
const CONNECTIONS = 32;
const serverScript = fileURLToPath(new URL('./server.mjs', import.meta.url));
const dist = fileURLToPath(new URL('../../packages/fastify/dist/index.js', import.meta.url));
if (!existsSync(dist)) {
  console.error('packages/fastify/dist is missing: run `pnpm build` first.');
  process.exit(1);
}

// Accepts envelopes like an ingest would, so the SDK does its real sending work.
let envelopes = 0;
const sink = http.createServer((request, response) => {
  request.resume().on('end', () => {
    envelopes++;
    response.end('{}');
  });
});
await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
const dsn = `http://public@127.0.0.1:${sink.address().port}/1`;

function startServer(major, mode) {
  const child = fork(serverScript, [major, mode], { env: { ...process.env, BENCH_DSN: dsn } });
  return new Promise((resolve, reject) => {
    child.once('message', (port) => resolve({ child, port }));
    child.once('exit', (code) => reject(new Error(`server exited with ${code}`)));
  });
}

function cpuMicros(child) {
  return new Promise((resolve) => {
    child.once('message', (message) => resolve(message.cpuMicros));
    child.send('cpu');
  });
}

async function load(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONNECTIONS });
  const deadline = Date.now() + SECONDS * 1000;
  let completed = 0;
  const client = async () => {
    while (Date.now() < deadline) {
      await new Promise((resolve, reject) => {
        http
          .get({ host: '127.0.0.1', port, path: `/users/${completed % 1000}`, agent }, (response) => {
            response.resume().on('end', resolve);
          })
          .on('error', reject);
      });
      completed++;
    }
  };
  await Promise.all(Array.from({ length: CONNECTIONS }, client));
  agent.destroy();
  return completed;
}

const modes = ['none', 'init', 'plugin', 'plugin+lifecycleSpans'];
const results = {};
for (const major of ['fastify4', 'fastify5']) {
  for (let round = 0; round < ROUNDS; round++) {
    for (const mode of modes) {
      const { child, port } = await startServer(major, mode);
      await load(port).catch(() => 0); // warm-up round, discarded
      const cpuBefore = await cpuMicros(child);
      const completed = await load(port);
      const cpuPerRequest = ((await cpuMicros(child)) - cpuBefore) / completed;
      child.kill();
      const key = `${major} ${mode}`;
      results[key] = [...(results[key] ?? []), { rate: completed / SECONDS, cpuPerRequest }];
    }
  }
}
sink.close();

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const major of ['fastify4', 'fastify5']) {
  const baseCpu = median(results[`${major} none`].map((r) => r.cpuPerRequest));
  for (const mode of modes) {
    const runs = results[`${major} ${mode}`];
    const rate = median(runs.map((r) => r.rate));
    const cpu = median(runs.map((r) => r.cpuPerRequest));
    const extra = mode === 'none' ? '' : ` (+${(cpu - baseCpu).toFixed(0)} µs)`;
    console.log(
      `${major} ${mode.padEnd(22)} ${rate.toFixed(0).padStart(6)} req/s  ${cpu.toFixed(0).padStart(4)} µs CPU/request${extra}`,
    );
  }
}
console.log(`envelopes received by the sink: ${envelopes}`);
