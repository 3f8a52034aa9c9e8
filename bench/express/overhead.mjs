#!/usr/bin/env node
// Express request overhead: no SDK; @faultline/node alone (isolation, http.server root span and its
// transaction); plus this package (route naming, error handler); plus middleware spans. The last
// three trace requests at --rate. Each variant runs in its own process against the BUILT
// packages (run `pnpm build` first); envelopes go to a local sink that answers 200.
//   node bench/express/overhead.mjs [--major 4|5] [--rate 1] [--seconds 5] [--connections 50] [--rounds 2]
// --rate is tracesSampleRate: 1 is the worst case, 0 isolates the cost of isolation and route naming.
// --sequential N replaces autocannon by N requests one after another on one keep-alive socket and
// reports the mean latency: steadier than req/s on a busy machine.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import http from 'node:http';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const packageDir = fileURLToPath(new URL('../../packages/express/', import.meta.url));
const requireFromPackage = createRequire(packageDir);
const { values } = parseArgs({
  options: {
    major: { type: 'string', default: '5' },
    rate: { type: 'string', default: '1' },
    seconds: { type: 'string', default: '5' },
    connections: { type: 'string', default: '50' },
    rounds: { type: 'string', default: '2' },
    sequential: { type: 'string' },
    variant: { type: 'string' },
    dsn: { type: 'string' },
  },
});
const VARIANTS = ['no-sdk', 'node-sdk', 'express-sdk', 'express-sdk+middleware-spans'];

if (values.variant) await serve(values.variant);
else await compare();

async function serve(variant) {
  let faultline;
  if (variant !== 'no-sdk') {
    faultline = await import(new URL('../../packages/express/dist/index.js', import.meta.url).href);
    faultline.init({
      dsn: values.dsn,
      tracesSampleRate: Number(values.rate),
      transportOptions: { bufferSize: 10_000 },
      integrations: (defaults) => defaults.filter((i) => variant !== 'node-sdk' || i.name !== 'Express'),
    });
  }
  const express = requireFromPackage(`express${values.major}`);
  const app = express();
  app.use(express.json());
  app.use(function requestId(req, _res, next) {
    req.requestId = req.headers['x-request-id'] ?? 'none';
    next();
  });
  app.use(function auth(req, _res, next) {
    req.user = { id: 'u1' };
    next();
  });
  const users = express.Router();
  users.get('/:id', (req, res) => res.json({ id: req.params.id, by: req.user.id }));
  app.use('/users', users);
  if (variant.startsWith('express-sdk')) {
    faultline.setupExpressErrorHandler(app, { middlewareSpans: variant.endsWith('middleware-spans') });
  }
  const server = app.listen(0, '127.0.0.1', () => process.send?.(server.address().port));
}

async function compare() {
  if (!existsSync(new URL('../../packages/express/dist/index.js', import.meta.url))) {
    console.error('packages/express/dist is missing: run `pnpm build` first');
    process.exit(1);
  }
  const autocannon = requireFromPackage('autocannon');
  const sink = http.createServer((req, res) => req.resume().on('end', () => res.end('{}')));
  await new Promise((resolve) => sink.listen(0, '127.0.0.1', resolve));
  const dsn = `http://public@127.0.0.1:${sink.address().port}/1`;
  const results = Object.fromEntries(VARIANTS.map((variant) => [variant, []]));
  for (let round = 0; round < Number(values.rounds); round++) {
    for (const variant of VARIANTS) {
      const child = spawn(
        process.execPath,
        [
          fileURLToPath(import.meta.url),
          '--variant',
          variant,
          '--major',
          values.major,
          '--rate',
          values.rate,
          '--dsn',
          dsn,
        ],
        { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
      );
      const port = await new Promise((resolve, reject) => {
        child.once('message', resolve);
        child.once('exit', (code) => reject(new Error(`${variant} exited with ${code} before listening`)));
      });
      const url = `http://127.0.0.1:${port}/users/42`;
      if (values.sequential) {
        results[variant].push(await sequential(url, Number(values.sequential)));
      } else {
        await autocannon({ url, connections: 10, duration: 1 });
        const run = await autocannon({
          url,
          connections: Number(values.connections),
          duration: Number(values.seconds),
        });
        results[variant].push({
          rps: run.requests.average,
          p99: run.latency.p99,
          errors: run.errors + run.non2xx,
        });
      }
      child.kill();
      await new Promise((resolve) => child.once('exit', resolve));
    }
  }
  sink.close();
  const baseline = mean(results['no-sdk'].map((r) => r.rps));
  const load = values.sequential
    ? `${values.sequential} sequential requests`
    : `${values.connections} connections, ${values.seconds}s`;
  console.log(`Express ${values.major}, tracesSampleRate ${values.rate}, ${load} x ${values.rounds} rounds`);
  for (const variant of VARIANTS) {
    const rps = mean(results[variant].map((r) => r.rps));
    const p99 = mean(results[variant].map((r) => r.p99));
    const errors = results[variant].reduce((sum, r) => sum + r.errors, 0);
    const latency = values.sequential
      ? `  mean ${mean(results[variant].map((r) => r.meanUs)).toFixed(0)} µs`
      : '';
    const delta = variant === 'no-sdk' ? '' : ` (${(((rps - baseline) / baseline) * 100).toFixed(1)}%)`;
    console.log(
      `${variant.padEnd(30)} ${rps.toFixed(0).padStart(7)} req/s${delta}${latency}  p99 ${p99.toFixed(1)} ms  errors ${errors}`,
    );
  }
}

async function sequential(url, count) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const get = () =>
    new Promise((resolve, reject) =>
      http.get(url, { agent }, (response) => response.resume().on('end', resolve)).on('error', reject),
    );
  for (let i = 0; i < count / 4; i++) await get();
  const latencies = [];
  for (let i = 0; i < count; i++) {
    const start = performance.now();
    await get();
    latencies.push(performance.now() - start);
  }
  agent.destroy();
  latencies.sort((a, b) => a - b);
  const meanMs = mean(latencies);
  return { rps: 1000 / meanMs, p99: latencies[Math.floor(count * 0.99)], errors: 0, meanUs: meanMs * 1000 };
}

function mean(numbers) {
  return numbers.reduce((sum, n) => sum + n, 0) / numbers.length;
}
