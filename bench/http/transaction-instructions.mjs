// Instructions one transaction costs end to end, outside the bench apps: a root span with the HTTP
// server's attributes ended inside its own isolation scope, its transaction processed, serialised and
// delivered by the real Node transport to the bench's loopback ingest.
//   node bench/http/transaction-instructions.mjs [--runs 3] [--transactions 10000] [--warmup 10000]
//     [--top N]
// BENCH_PACKAGES=<dir>/packages measures a saved build (as compare-builds.mjs does); run two builds one
// after the other and compare medians. Needs valgrind (Debian: apt-get install valgrind); not part of
// `pnpm bench`. ~2.5 min per run.
// Each run counts two processes under callgrind, one ending `--warmup` + `--transactions` transactions
// and one ending `--warmup`, flushing every 20; the difference over `--transactions` is one
// transaction, with start-up cancelled out. The warm-up must outlast V8's tiering: Node 24 still
// compiles hot functions after 7,000 transactions, and with 2,000 its count carried ~86K instructions
// of compilation per transaction (~34K on Node 20). What the compilers and the mark-compact collector
// did in the counted window is listed apart, as instructions.mjs does, and the steady figure leaves it
// out. Counts of one build agree within ~1% from run to run, which the Express mix (instructions.mjs)
// cannot resolve for changes of a few thousand instructions. `--top N` lists, for the last run, the
// functions with the most steady instructions per transaction (JavaScript named through
// `--perf-basic-prof`'s map, as instructions.mjs does).
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs, promisify } from 'node:util';
import { markdownTable } from '../lib/markdown-table.mjs';
import { faultlinePackageUrl } from './faultline-packages.mjs';
import {
  attributeToJavaScript,
  readFunctionCosts,
  takePerfMap,
  variableWork,
} from './instruction-profile.mjs';
import { startPinned, stopProcess } from './pinned-process.mjs';

const run = promisify(execFile);
const FLUSH_EVERY = 20;

if (process.env.BENCH_TRANSACTIONS) await endTransactions(Number(process.env.BENCH_TRANSACTIONS));
else await main();

async function main() {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      transactions: { type: 'string', default: '10000' },
      warmup: { type: 'string', default: '10000' },
      top: { type: 'string', default: '0' },
    },
  });
  const counted = Number(values.transactions);
  const warmup = Number(values.warmup);
  const top = Number(values.top);
  const ingest = await startPinned(
    1,
    [new URL('./ingest-process.mjs', import.meta.url).pathname],
    process.env,
  );
  const dsn = `http://0123456789abcdef0123456789abcdef@127.0.0.1:${ingest.port}/1`;
  const directory = await mkdtemp(join(tmpdir(), 'faultline-transaction-'));
  try {
    const steady = [];
    let functions;
    for (let index = 0; index < Number(values.runs); index++) {
      const more = await instructions(dsn, warmup + counted, directory, top > 0);
      const fewer = await instructions(dsn, warmup, directory, top > 0);
      if (top > 0) functions = functionsPerTransaction(more.functions, fewer.functions, counted);
      const [total, compilation, majorGc] = ['total', 'compilation', 'majorGc'].map((part) =>
        Math.round((more[part] - fewer[part]) / counted),
      );
      steady.push(total - compilation - majorGc);
      console.log(
        `run ${index + 1}: ${thousands(steady.at(-1))} instructions per transaction, steady ` +
          `(all ${thousands(total)}: compilers ${thousands(compilation)}, major GC ${thousands(majorGc)})`,
      );
    }
    const sorted = [...steady].sort((a, b) => a - b);
    const middle = sorted.length / 2;
    const median = Number.isInteger(middle)
      ? Math.round((sorted[middle - 1] + sorted[middle]) / 2)
      : sorted[Math.floor(middle)];
    console.log(
      `median ${thousands(median)} steady (${thousands(sorted[0])}–${thousands(sorted.at(-1))}), ` +
        `${process.version}, build ${process.env.BENCH_PACKAGES ?? 'packages/'}`,
    );
    if (functions) {
      const rows = [...functions].sort((a, b) => b[1] - a[1]).slice(0, top);
      console.log(`\nSteady instructions per transaction by function (self), run ${values.runs}:\n`);
      console.log(
        markdownTable(
          ['per transaction', 'function'],
          rows.map(([name, count]) => [thousands(Math.round(count)), name]),
        ),
      );
    }
  } finally {
    await stopProcess(ingest.child);
    await rm(directory, { recursive: true, force: true });
  }
}

function thousands(count) {
  return count.toLocaleString('en');
}

/** Per function, the difference of two processes' steady instructions over `counted` transactions. */
function functionsPerTransaction(more, fewer, counted) {
  const difference = new Map();
  for (const [name, count] of more) difference.set(name, (count - (fewer.get(name) ?? 0)) / counted);
  return difference;
}

/**
 * All instructions of a process that ends `transactions` transactions, the compilers' and major GC's
 * share, and with `named` its steady instructions per function.
 */
async function instructions(dsn, transactions, directory, named) {
  const outFile = join(directory, `callgrind-${transactions}.out`);
  const measured = run(
    'valgrind',
    [
      '--tool=callgrind',
      `--callgrind-out-file=${outFile}`,
      process.execPath,
      ...(named ? ['--perf-basic-prof'] : []),
      new URL(import.meta.url).pathname,
    ],
    {
      env: { ...process.env, BENCH_TRANSACTIONS: String(transactions), BENCH_DSN: dsn },
      maxBuffer: 64 << 20,
    },
  );
  const { pid } = measured.child;
  await measured.catch((error) => {
    throw new Error(
      `transaction-instructions.mjs needs valgrind (Debian: apt-get install valgrind): ${error.message}`,
    );
  });
  const costs = await readFunctionCosts(outFile);
  let total = 0;
  for (const count of costs.values()) total += count;
  if (!named) return { total, ...variableWork(costs) };
  const perfMap = await takePerfMap(pid);
  return { total, ...variableWork(costs), functions: attributeToJavaScript(costs, perfMap, 1) };
}

/** The measured process: ends `count` root spans, each a transaction, and waits for their delivery. */
async function endTransactions(count) {
  const faultline = await import(faultlinePackageUrl('node'));
  faultline.init({ dsn: process.env.BENCH_DSN, tracesSampleRate: 1 });
  for (let ended = 0; ended < count; ) {
    for (const end = Math.min(count, ended + FLUSH_EVERY); ended < end; ended++) {
      faultline.withIsolationScope(() =>
        faultline.startSpan(
          {
            name: 'GET /users/:id',
            op: 'http.server',
            origin: 'auto.http.node.http_server',
            source: 'route',
            attributes: {
              'http.request.method': 'GET',
              'url.path': `/users/${ended}`,
              'url.scheme': 'http',
              'server.address': '127.0.0.1',
              'network.protocol.version': '1.1',
              'http.route': '/users/:id',
            },
          },
          (span) => span.setAttribute('http.response.status_code', 200),
        ),
      );
    }
    if (!(await faultline.flush(10_000))) throw new Error('the transport did not deliver in time');
  }
}
