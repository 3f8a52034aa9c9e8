// Instructions the bench app executes per request, per configuration, counted by Valgrind's
// callgrind: on a shared 2-core VM, CPU time of identical runs differs by ±30%, instruction counts by
// about 1%, so this resolves hot-path changes the HTTP figures cannot.
//   node bench/http/instructions.mjs [--framework express|fastify] [--configurations none,…] [--route /error]
//     [--warmup 10000] [--requests 5000] [--connections 8] [--jobs 2] [--top 25] [--keep DIR]
// BENCH_PACKAGES=<dir>/packages measures a saved build (as compare-builds.mjs does). Needs valgrind
// (Debian: apt-get install valgrind); not part of `pnpm bench`. ~7 min for the four default
// configurations.
// Each configuration runs in a fresh app process under callgrind with instrumentation off; the
// process drives the route mix itself (in-process-load.mjs), and only its `--requests` after
// `--warmup` are counted. The count is the user-space instructions of the whole process (app, SDK,
// V8's compiler and GC threads, the load generator): system calls are not in it, and an instruction
// is not a fixed time.
// Two parts of it depend on luck more than on the code and are shown apart: major GC (one run more
// or less in the window is ~100M instructions) and JIT compilation (V8 still tiers up rarer paths
// after 10,000 requests). "The rest" is what to compare. `--top N` lists the functions with the most
// instructions of the rest added over the no-SDK run, JavaScript ones named through
// `--perf-basic-prof`'s map. That flag (on with `--top` or `--keep`) has V8 report every object a GC
// moves (`Heap::OnMoveEvent`: 3.2K instructions a request without the SDK, 4.7K with errors-only, Node
// 24 Express), so compare totals only between runs made with the same flags.
import { execFile, spawn } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { constants, PerformanceObserver } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { parseArgs, promisify } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { mostAdded } from '../lib/most-added.mjs';
import { startBenchServers } from './bench-servers.mjs';
import { configurationById } from './configurations.mjs';
import { DRILL_DOWN_OPTIONS, loadEnvironment, startInProcessLoad } from './in-process-load.mjs';
import {
  attributeToJavaScript,
  readFunctionCosts,
  takePerfMap,
  variableWork,
} from './instruction-profile.mjs';

const run = promisify(execFile);
const here = (file) => new URL(file, import.meta.url).pathname;

if (process.env.BENCH_INSTRUCTIONS_WORKER) await measuredWorker();
else await main();

async function main() {
  const { values } = parseArgs({
    options: {
      ...DRILL_DOWN_OPTIONS,
      warmup: { type: 'string', default: '10000' },
      requests: { type: 'string', default: '5000' },
      jobs: { type: 'string', default: '2' },
      connections: { type: 'string', default: '8' },
      top: { type: 'string', default: '0' },
      keep: { type: 'string' },
    },
  });
  await run('valgrind', ['--version']).catch(() => {
    throw new Error('instructions.mjs needs valgrind (Debian: apt-get install valgrind)');
  });
  const ids = values.configurations.split(',');
  const configurations = ids.map(configurationById);
  const top = Number(values.top);
  const directory = values.keep ?? (await mkdtemp(path.join(tmpdir(), 'faultline-instructions-')));
  await mkdir(directory, { recursive: true });
  const servers = await startBenchServers();
  const results = new Map();
  try {
    const queue = [...configurations];
    const worker = async () => {
      for (let configuration = queue.shift(); configuration; configuration = queue.shift()) {
        // Kept runs get their JavaScript names too, for reading them later with callgrind_annotate.
        const profile = top > 0 || values.keep !== undefined;
        const result = await measure(configuration, servers, values, directory, profile);
        results.set(configuration.id, result);
        console.error(
          `${values.framework} ${configuration.id}: ${(result.perRequest / 1000).toFixed(0)}K instructions/request, ${(result.rest / 1000).toFixed(0)}K without major GC and compilation`,
        );
      }
    };
    await Promise.all(Array.from({ length: Math.max(1, Number(values.jobs)) }, worker));
  } finally {
    await servers.stop();
  }
  const baseline = results.get('none')?.rest;
  const thousands = (count) => `${(count / 1000).toFixed(0)}K`;
  console.log(
    markdownTable(
      [
        'configuration',
        'instructions per request',
        'major GC',
        'compilation',
        'the rest',
        'the rest added to no SDK',
        'ratio to no SDK',
        'GCs counted (minor / major)',
      ],
      ids.map((id) => {
        const { perRequest, majorGc, compilation, rest, collections } = results.get(id);
        const added = baseline === undefined ? undefined : rest - baseline;
        return [
          id,
          thousands(perRequest),
          thousands(majorGc),
          thousands(compilation),
          thousands(rest),
          added === undefined ? '–' : `${added >= 0 ? '+' : ''}${thousands(added)}`,
          baseline === undefined ? '–' : (rest / baseline).toFixed(3),
          `${collections.minor} / ${collections.major}`,
        ];
      }),
    ),
  );
  if (top > 0) printTopAdded(results, ids, top);
  if (!values.keep) await rm(directory, { recursive: true, force: true });
}

/**
 * Runs one configuration under callgrind; resolves its instructions per request (all, major GC,
 * compilation, the rest), the GCs in the window and, when profiling, per-function counts.
 */
async function measure(configuration, servers, values, directory, profile) {
  const nodeFlags = profile ? ['--perf-basic-prof'] : [];
  const { flags, env } = servers.appProcess(configuration, values.framework, nodeFlags);
  env.BENCH_INSTRUCTIONS_WORKER = '1';
  env.BENCH_WARMUP = values.warmup;
  env.BENCH_REQUESTS = values.requests;
  env.BENCH_CONNECTIONS = values.connections;
  Object.assign(env, loadEnvironment(values));
  const outFile = path.join(directory, `callgrind.${values.framework}.${configuration.id}`);
  const child = spawn(
    'valgrind',
    [
      '--tool=callgrind',
      '--instr-atstart=no',
      `--callgrind-out-file=${outFile}`,
      process.execPath,
      ...flags,
      here('./instructions.mjs'),
    ],
    { env, stdio: ['pipe', 'pipe', 'pipe'] },
  );
  const collections = { minor: 0, major: 0 };
  let stderr = '';
  child.stderr.setEncoding('utf8').on('data', (text) => {
    stderr = (stderr + text).slice(-8000);
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === 'warm') {
      await run('callgrind_control', ['--instr=on', String(child.pid)]);
      child.stdin.write('go\n');
    } else if (line.startsWith('done ')) {
      [collections.minor, collections.major] = line.split(' ').slice(1).map(Number);
      await run('callgrind_control', ['--instr=off', String(child.pid)]);
      child.stdin.end('exit\n');
    }
  }
  const code = await exited;
  const collected = /Collected : (\d+)/.exec(stderr)?.[1];
  if (code !== 0 || !collected) throw new Error(`${configuration.id}: worker exited with ${code}: ${stderr}`);
  const requests = Number(values.requests);
  const costs = await readFunctionCosts(outFile);
  const { majorGc, compilation } = variableWork(costs);
  const perRequest = Number(collected) / requests;
  const result = {
    perRequest,
    majorGc: majorGc / requests,
    compilation: compilation / requests,
    rest: (Number(collected) - majorGc - compilation) / requests,
    collections,
  };
  if (profile) {
    const perfMap = await takePerfMap(child.pid);
    if (values.keep) await writeFile(`${outFile}.perf.map`, perfMap);
    result.functions = attributeToJavaScript(costs, perfMap, requests);
  }
  return result;
}

function printTopAdded(results, ids, top) {
  const baseline = results.get('none')?.functions ?? new Map();
  for (const id of ids) {
    if (id === 'none') continue;
    const added = mostAdded(results.get(id).functions, baseline, top);
    console.log(`\n### ${id}: functions with the most instructions added per request over no SDK\n`);
    console.log(
      markdownTable(
        ['added per request', 'function (self)'],
        added.map(([name, count]) => [`${(count / 1000).toFixed(1)}K`, name.slice(0, 140)]),
      ),
    );
  }
}

/** The app process: warm up, then send the counted requests once the parent turned counting on. */
async function measuredWorker() {
  const send = await startInProcessLoad(process.env.BENCH_FRAMEWORK, Number(process.env.BENCH_CONNECTIONS));
  const lines = createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  await send(Number(process.env.BENCH_WARMUP));
  console.log('warm');
  await lines.next();
  const collections = { minor: 0, major: 0 };
  const observer = new PerformanceObserver((list) => {
    for (const { detail } of list.getEntries()) {
      if (detail.kind === constants.NODE_PERFORMANCE_GC_MAJOR) collections.major += 1;
      else if (detail.kind === constants.NODE_PERFORMANCE_GC_MINOR) collections.minor += 1;
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  await send(Number(process.env.BENCH_REQUESTS));
  await new Promise((resolve) => setImmediate(resolve));
  observer.disconnect();
  console.log(`done ${collections.minor} ${collections.major}`);
  await lines.next();
  process.exit(0);
}
