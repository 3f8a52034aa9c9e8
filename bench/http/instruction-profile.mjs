// Per-function instruction counts from a callgrind output file, with JIT-compiled JavaScript named:
// callgrind knows code outside any object file only by address, and Node's `--perf-basic-prof` map
// (`/tmp/perf-<pid>.map`: start, size, name per compiled function) says whose code that was.
import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Self instructions per function as callgrind_annotate lists them: Map<"file:function [object]", count>. */
export async function readFunctionCosts(callgrindFile) {
  const { stdout } = await run('callgrind_annotate', ['--inclusive=no', '--threshold=100', callgrindFile], {
    maxBuffer: 256 * 1024 * 1024,
  });
  const costs = new Map();
  for (const line of stdout.split('\n')) {
    const match = /^\s*([\d,]+) \([^)]*\)\s+(.+)$/.exec(line);
    if (!match || match[2].includes('PROGRAM TOTALS')) continue;
    costs.set(match[2], (costs.get(match[2]) ?? 0) + Number(match[1].replaceAll(',', '')));
  }
  return costs;
}

/** The `--perf-basic-prof` map a process (gone by now) left, removed from /tmp; '' when it left none. */
export async function takePerfMap(pid) {
  const file = `/tmp/perf-${pid}.map`;
  const perfMap = await readFile(file, 'utf8').catch(() => '');
  await rm(file, { force: true });
  return perfMap;
}

/**
 * Per request, by function name, outside major GC and compilation: JIT code named from the perf map
 * (V8's tier prefix dropped, so a function's baseline and optimised code add up), native code as
 * callgrind names it.
 */
export function attributeToJavaScript(costs, perfMap, requests) {
  const ranges = parsePerfMap(perfMap);
  const byName = new Map();
  for (const [entry, count] of costs) {
    if (MAJOR_GC.test(entry) || COMPILATION.test(entry)) continue;
    const address = /^\?\?\?:0x([0-9a-f]+) \[\?\?\?\]$/.exec(entry)?.[1];
    const name =
      address === undefined
        ? nativeName(entry)
        : (javaScriptName(ranges, Number.parseInt(address, 16)) ?? 'unnamed JIT code');
    byName.set(name, (byName.get(name) ?? 0) + count / requests);
  }
  return byName;
}

function nativeName(entry) {
  // "???:v8::internal::Foo::Bar(args) [/usr/bin/node]" → "v8::internal::Foo::Bar [node]"
  const match = /^[^:]*:(.*?) \[(.*)\]$/.exec(entry);
  if (!match) return entry;
  const object = match[2].split('/').pop();
  return `${match[1].replaceAll('(anonymous namespace)', '{anonymous}').replace(/\(.*$/, '')} [${object}]`;
}

function parsePerfMap(text) {
  const byStart = new Map();
  for (const line of text.split('\n')) {
    const match = /^([0-9a-f]+) ([0-9a-f]+) (.+)$/.exec(line);
    // A later entry at the same address wins: code space is reused after a function's code dies.
    if (match)
      byStart.set(Number.parseInt(match[1], 16), { size: Number.parseInt(match[2], 16), name: match[3] });
  }
  return [...byStart]
    .map(([start, { size, name }]) => ({ start, end: start + size, name }))
    .sort((a, b) => a.start - b.start);
}

/** The function whose code holds `address`: the last range starting at or before it, if it reaches it. */
function javaScriptName(ranges, address) {
  let low = 0;
  let high = ranges.length - 1;
  while (low <= high) {
    const middle = (low + high) >> 1;
    if (ranges[middle].start <= address) low = middle + 1;
    else high = middle - 1;
  }
  const range = ranges[high];
  if (!range || address >= range.end) return undefined;
  return range.name.replace(/^(JS|LazyCompile|Function):[*~^+]?/, '');
}

/**
 * Work whose amount in a counted window of a few thousand requests is partly luck, listed apart so
 * that the rest compares between runs: the mark-compact collector (how often it runs depends on when
 * old space fills: one run more or less is ~100M instructions) and the compilers (V8 still tiers up
 * functions of rarer paths after 10,000 requests, and a major GC's clearing of weak objects
 * deoptimises code it then compiles again).
 */
const MAJOR_GC =
  /Marking|MarkCompact|Sweep|IncrementalMark|FullEvacuator|Compactor|Ephemeron|StringTableCleaner/;
const COMPILATION =
  /v8::internal::(compiler|maglev|turboshaft|baseline|interpreter)::|v8::internal::(Parser|PreParser|Scanner|Zone|Compiler|OptimizingCompileDispatcher|RegExpCompiler|RegExpMacroAssembler|Assembler)\b/;

/** Self instructions of the mark-compact collector's and of the compilers' functions. */
export function variableWork(costs) {
  let majorGc = 0;
  let compilation = 0;
  for (const [entry, count] of costs) {
    if (MAJOR_GC.test(entry)) majorGc += count;
    else if (COMPILATION.test(entry)) compilation += count;
  }
  return { majorGc, compilation };
}
