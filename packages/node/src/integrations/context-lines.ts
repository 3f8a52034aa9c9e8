/** Source lines around in-app frames, read asynchronously and cached so the request path never waits on disk. */
import { detachedString, type Event, type Integration, type StackFrame } from '@faultline/core';
import { fs, fsPromises, readline } from '../lazy-builtins';

export interface ContextLinesOptions {
  /** Lines before and after the frame's line; 0 turns the integration off. Default 5. */
  frameContextLines?: number;
}

/** Larger files are bundles or generated code whose lines are useless as context. */
const MAX_FILE_BYTES = 1024 * 1024;
/** Frames beyond these positions come from minified or generated code. */
const MAX_LINENO = 10_000;
const MAX_COLNO = 1_000;
const MAX_LINE_LENGTH = 140;
const SNIP_LEAD = 60;
const CACHED_FILES = 10;
const REMEMBERED_FAILURES = 100;

interface FileLines {
  lines: Map<number, string>;
  /** Known once a read reached the end of the file, so ranges past the end count as complete. */
  lineCount?: number;
}
interface LineRange {
  start: number;
  end: number;
}

/** Shortens a long line to a window around `colno`, marking the cuts like Sentry's `snipLine`. */
export function snipLine(line: string, colno = 0): string {
  if (line.length <= MAX_LINE_LENGTH) return line;
  let start = Math.max(Math.min(colno, line.length) - SNIP_LEAD, 0);
  if (start < 5) start = 0;
  let end = Math.min(start + MAX_LINE_LENGTH, line.length);
  if (end > line.length - 5) end = line.length;
  if (end === line.length) start = Math.max(end - MAX_LINE_LENGTH, 0);
  let snipped = line.slice(start, end);
  if (start > 0) snipped = `{snip} ${snipped}`;
  if (end < line.length) snipped = `${snipped} {snip}`;
  return snipped;
}

function rangeFor(lineno: number, contextLines: number): LineRange {
  return { start: Math.max(1, lineno - contextLines), end: lineno + contextLines };
}

function mergeRanges(ranges: LineRange[]): LineRange[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const merged: LineRange[] = [];
  for (const range of sorted) {
    const last = merged[merged.length - 1];
    if (last && range.start <= last.end + 1) last.end = Math.max(last.end, range.end);
    else merged.push({ ...range });
  }
  return merged;
}

function isInRanges(lineno: number, ranges: LineRange[]): boolean {
  return ranges.some((range) => lineno >= range.start && lineno <= range.end);
}

/** Streams the file up to the last wanted line and keeps only the lines inside `ranges`. */
async function readLineRanges(path: string, ranges: LineRange[]): Promise<FileLines> {
  const { size } = await fsPromises().stat(path);
  if (size > MAX_FILE_BYTES) throw new Error('file too large for context lines');
  const lastWanted = ranges[ranges.length - 1].end;
  const file: FileLines = { lines: new Map() };
  const stream = fs().createReadStream(path, { encoding: 'utf8' });
  const reader = readline().createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
  let lineno = 0;
  try {
    for await (const line of reader) {
      lineno += 1;
      if (isInRanges(lineno, ranges)) file.lines.set(lineno, keptLine(line));
      if (lineno >= lastWanted) break;
    }
    if (lineno < lastWanted) file.lineCount = lineno;
  } finally {
    reader.close();
    stream.destroy();
  }
  return file;
}

/** Anything outside Latin-1: text V8 must hold as two bytes per character. */
const BEYOND_LATIN1 = /[\u0100-\uffff]/;

/**
 * A line to cache: its own string (readline's lines are slices of the 64 KB chunk they were read
 * in, which they would keep alive), and one byte per character when it can be. A chunk with one
 * character beyond Latin-1 (a `—` in a comment) is decoded as two-byte text and so is every line
 * sliced from it; on Node 22 and 24 one two-byte string in an event sends the whole event's
 * JSON.stringify back to the start on its slow path, twice the time.
 */
function keptLine(line: string): string {
  return BEYOND_LATIN1.test(line) ? detachedString(line) : Buffer.from(line, 'latin1').toString('latin1');
}

function hasRange(file: FileLines, range: LineRange): boolean {
  const end = Math.min(range.end, file.lineCount ?? range.end);
  for (let lineno = range.start; lineno <= end; lineno++) if (!file.lines.has(lineno)) return false;
  return true;
}

function frameWantsContext(frame: StackFrame): frame is StackFrame & { filename: string; lineno: number } {
  return (
    frame.in_app === true &&
    typeof frame.filename === 'string' &&
    typeof frame.lineno === 'number' &&
    frame.lineno <= MAX_LINENO &&
    (frame.colno === undefined || frame.colno <= MAX_COLNO) &&
    frame.context_line === undefined
  );
}

function framesOf(event: Event): StackFrame[] {
  const frames: StackFrame[] = [];
  for (const exception of event.exception?.values ?? []) frames.push(...(exception.stacktrace?.frames ?? []));
  const threads = (event as { threads?: { values?: Array<{ stacktrace?: { frames?: StackFrame[] } }> } })
    .threads;
  for (const thread of threads?.values ?? []) frames.push(...(thread.stacktrace?.frames ?? []));
  return frames;
}

function addContextToFrame(
  frame: StackFrame & { lineno: number },
  { lines }: FileLines,
  contextLines: number,
): void {
  const line = lines.get(frame.lineno);
  if (line === undefined) return;
  const pre: string[] = [];
  for (let lineno = Math.max(1, frame.lineno - contextLines); lineno < frame.lineno; lineno++) {
    const text = lines.get(lineno);
    if (text !== undefined) pre.push(snipLine(text));
  }
  const post: string[] = [];
  for (let lineno = frame.lineno + 1; lineno <= frame.lineno + contextLines; lineno++) {
    const text = lines.get(lineno);
    if (text === undefined) break;
    post.push(snipLine(text));
  }
  frame.pre_context = pre;
  frame.context_line = snipLine(line, frame.colno ?? 0);
  frame.post_context = post;
}

/**
 * Adds `pre_context`, `context_line` and `post_context` to in-app frames. Files are streamed
 * asynchronously (never a sync read), only up to the last needed line; the lines are kept in a small LRU
 * cache of files and unreadable files are remembered so they are not retried.
 */
export function contextLinesIntegration(options: ContextLinesOptions = {}): Integration {
  const contextLines = Math.max(0, Math.floor(options.frameContextLines ?? 5));
  const cachedFiles = new Map<string, FileLines>();
  const failedFiles = new Set<string>();
  const pendingReads = new Map<string, Promise<void>>();

  function cachedFile(path: string): FileLines | undefined {
    const file = cachedFiles.get(path);
    if (file) {
      cachedFiles.delete(path);
      cachedFiles.set(path, file);
    }
    return file;
  }

  function remember(path: string, read: FileLines): void {
    const existing = cachedFiles.get(path);
    if (existing) {
      for (const [lineno, text] of read.lines) existing.lines.set(lineno, text);
      existing.lineCount ??= read.lineCount;
    }
    cachedFiles.delete(path);
    cachedFiles.set(path, existing ?? read);
    if (cachedFiles.size > CACHED_FILES) cachedFiles.delete(cachedFiles.keys().next().value as string);
  }

  function rememberFailure(path: string): void {
    if (failedFiles.size >= REMEMBERED_FAILURES) failedFiles.clear();
    failedFiles.add(path);
  }

  async function loadMissingLines(path: string, ranges: LineRange[]): Promise<void> {
    // Concurrent events for the same file share one read, then check what is still missing.
    await pendingReads.get(path);
    const file = cachedFile(path);
    const missing = file ? ranges.filter((range) => !hasRange(file, range)) : ranges;
    if (!missing.length || failedFiles.has(path)) return;
    const read = readLineRanges(path, mergeRanges(missing)).then(
      (lines) => remember(path, lines),
      () => rememberFailure(path),
    );
    pendingReads.set(path, read);
    try {
      await read;
    } finally {
      if (pendingReads.get(path) === read) pendingReads.delete(path);
    }
  }

  async function addContextLines(event: Event): Promise<Event> {
    const frames = framesOf(event).filter(frameWantsContext);
    const rangesByFile = new Map<string, LineRange[]>();
    for (const frame of frames) {
      if (failedFiles.has(frame.filename)) continue;
      const ranges = rangesByFile.get(frame.filename) ?? [];
      ranges.push(rangeFor(frame.lineno, contextLines));
      rangesByFile.set(frame.filename, ranges);
    }
    await Promise.all([...rangesByFile].map(([path, ranges]) => loadMissingLines(path, ranges)));
    for (const frame of frames) {
      const lines = cachedFiles.get(frame.filename);
      if (lines) addContextToFrame(frame, lines, contextLines);
    }
    return event;
  }

  return {
    name: 'ContextLines',
    processEvent(event) {
      // Transactions and messages have no frames: answer synchronously, no promise on their path.
      if (contextLines === 0 || !event.exception?.values?.length) return event;
      return addContextLines(event).catch(() => event);
    },
  };
}
