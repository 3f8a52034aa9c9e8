import fs, { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { type Client, captureException, type Event, type StackFrame } from '@faultline/core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { heapGrowth } from '../../../test/support/heap-growth';
import { initForTest, shutdown } from '../../../test/support/sdk';
import { contextLinesIntegration, snipLine } from '../src/integrations/context-lines';
import { nodeStackParser } from '../src/node-stack-parser';

const fixtureDir = mkdtempSync(join(tmpdir(), 'faultline-context-'));
const numberedFile = join(fixtureDir, 'numbered.js');
writeFileSync(numberedFile, Array.from({ length: 30 }, (_, i) => `line ${i + 1}`).join('\n'));
afterAll(() => rmSync(fixtureDir, { recursive: true, force: true }));

const readFileSyncSpy = vi.spyOn(fs, 'readFileSync');
const readSyncSpy = vi.spyOn(fs, 'readSync');
syncBuiltinESMExports();

function frame(filename: string, lineno: number, extra: Partial<StackFrame> = {}): StackFrame {
  return { filename, lineno, colno: 1, function: 'f', in_app: true, ...extra };
}

function eventWith(...frames: StackFrame[]): Event {
  return { exception: { values: [{ type: 'Error', value: 'x', stacktrace: { frames } }] } };
}

async function runIntegration(integration = contextLinesIntegration(), event: Event): Promise<StackFrame[]> {
  const result = (await integration.processEvent?.(event, {}, {} as Client)) as Event;
  return result.exception?.values?.[0].stacktrace?.frames ?? [];
}

function syncReadsOfFixtures(): unknown[] {
  return [...readFileSyncSpy.mock.calls, ...readSyncSpy.mock.calls].filter(([target]) =>
    String(target).startsWith(fixtureDir),
  );
}

describe('contextLinesIntegration', () => {
  it('adds the lines around the frame', async () => {
    const [result] = await runIntegration(undefined, eventWith(frame(numberedFile, 10)));
    expect(result.pre_context).toEqual(['line 5', 'line 6', 'line 7', 'line 8', 'line 9']);
    expect(result.context_line).toBe('line 10');
    expect(result.post_context).toEqual(['line 11', 'line 12', 'line 13', 'line 14', 'line 15']);
  });

  it('clips the context at the start and end of the file and honours frameContextLines', async () => {
    const integration = contextLinesIntegration({ frameContextLines: 2 });
    const [first, last] = await runIntegration(
      integration,
      eventWith(frame(numberedFile, 1), frame(numberedFile, 30)),
    );
    expect(first).toMatchObject({
      pre_context: [],
      context_line: 'line 1',
      post_context: ['line 2', 'line 3'],
    });
    expect(last).toMatchObject({
      pre_context: ['line 28', 'line 29'],
      context_line: 'line 30',
      post_context: [],
    });
  });

  it('leaves frames that are not in-app, or already have context, alone', async () => {
    const frames = await runIntegration(
      undefined,
      eventWith(frame(numberedFile, 3, { in_app: false }), frame(numberedFile, 4, { context_line: 'kept' })),
    );
    expect(frames[0].context_line).toBeUndefined();
    expect(frames[1]).toMatchObject({ context_line: 'kept' });
    expect(frames[1].pre_context).toBeUndefined();
  });

  it('serves a file again from its cache', async () => {
    const file = join(fixtureDir, 'cached.js');
    writeFileSync(file, 'const a = 1;\nthrow new Error("original");\n');
    const integration = contextLinesIntegration();
    const [before] = await runIntegration(integration, eventWith(frame(file, 2)));
    writeFileSync(file, 'const a = 1;\nthrow new Error("edited on disk");\n');
    const [after] = await runIntegration(integration, eventWith(frame(file, 2)));
    expect(before.context_line).toBe('throw new Error("original");');
    expect(after.context_line).toBe('throw new Error("original");');
    const [fresh] = await runIntegration(contextLinesIntegration(), eventWith(frame(file, 2)));
    expect(fresh.context_line).toBe('throw new Error("edited on disk");');
  });

  it('reads lines further down the same file when a later frame needs them', async () => {
    const integration = contextLinesIntegration({ frameContextLines: 1 });
    await runIntegration(integration, eventWith(frame(numberedFile, 2)));
    const [later] = await runIntegration(integration, eventWith(frame(numberedFile, 25)));
    expect(later).toMatchObject({
      pre_context: ['line 24'],
      context_line: 'line 25',
      post_context: ['line 26'],
    });
  });

  it('survives a missing file and remembers the failure', async () => {
    const missing = join(fixtureDir, 'appears-later.js');
    const integration = contextLinesIntegration();
    const [first, other] = await runIntegration(
      integration,
      eventWith(frame(missing, 1), frame(numberedFile, 2)),
    );
    expect(first.context_line).toBeUndefined();
    expect(other.context_line).toBe('line 2');
    writeFileSync(missing, 'now it exists\n');
    const [second] = await runIntegration(integration, eventWith(frame(missing, 1)));
    expect(second.context_line).toBeUndefined();
  });

  it('skips files over 1 MiB and frames from minified code', async () => {
    const big = join(fixtureDir, 'bundle.js');
    writeFileSync(big, `first line\n${'x'.repeat(1024 * 1024)}\n`);
    const [bigFrame, minified] = await runIntegration(
      undefined,
      eventWith(frame(big, 1), frame(numberedFile, 1, { colno: 5000 })),
    );
    expect(bigFrame.context_line).toBeUndefined();
    expect(minified.context_line).toBeUndefined();
  });

  it('snips long lines around the column', async () => {
    const file = join(fixtureDir, 'long-line.js');
    const longLine = `${'a'.repeat(300)}THROW_HERE${'b'.repeat(300)}`;
    writeFileSync(file, `${'c'.repeat(200)}\n${longLine}\nshort\n`);
    const [result] = await runIntegration(undefined, eventWith(frame(file, 2, { colno: 301 })));
    expect(result.context_line).toContain('THROW_HERE');
    expect(result.context_line).toBe(`{snip} ${'a'.repeat(59)}THROW_HERE${'b'.repeat(71)} {snip}`);
    expect(result.context_line?.length).toBeLessThanOrEqual(140 + '{snip} '.length + ' {snip}'.length);
    expect(result.pre_context?.[0]).toBe(`${'c'.repeat(140)} {snip}`);
    expect(result.post_context).toEqual(['short']);
  });

  it('keeps the lines it caches, not the file chunks they were read from', async () => {
    // 10 files (the cache's size) of ~900 KB, a frame in each 64 KB chunk: keeping the chunks would
    // hold ~9 MB, the lines themselves ~100 KB.
    const files = Array.from({ length: 10 }, (_, n) => {
      const file = join(fixtureDir, `chunks-${n}.js`);
      writeFileSync(file, Array.from({ length: 9000 }, (_, i) => `${i + 1}`.padEnd(99, '.')).join('\n'));
      return file;
    });
    const integration = contextLinesIntegration({ frameContextLines: 1 });
    const kept = await heapGrowth(async () => {
      for (const file of files) {
        const frames = await runIntegration(
          integration,
          eventWith(...Array.from({ length: 14 }, (_, chunk) => frame(file, chunk * 640 + 320))),
        );
        expect(frames[13]!.context_line).toBe('8640'.padEnd(99, '.'));
      }
    });
    expect(kept).toBeLessThan(3_000_000);
  });

  it('keeps lines as one-byte strings where they can be, though their chunk held wider text', async () => {
    // One character beyond Latin-1 makes the chunk, and every line sliced from it, two-byte text;
    // on Node 22 and 24 one two-byte string in an event sends its whole JSON.stringify back to the
    // start on the slow path. V8's serialiser tags a string by how it is stored: '"' for one byte.
    const isOneByte = (text: string) => serialize(text)[2] === 0x22;
    const file = join(fixtureDir, 'wide.js');
    writeFileSync(
      file,
      ['// Prices — in euros', 'const price = 10;', "const label = 'café';", 'throw new Error();'].join('\n'),
    );
    const [result] = await runIntegration(undefined, eventWith(frame(file, 3)));
    expect(result.pre_context).toEqual(['// Prices — in euros', 'const price = 10;']);
    expect(result.context_line).toBe("const label = 'café';");
    expect(result.post_context).toEqual(['throw new Error();']);
    expect(isOneByte(result.pre_context![1])).toBe(true);
    expect(isOneByte(result.context_line!)).toBe(true);
    expect(isOneByte(result.post_context![0])).toBe(true);
    expect(isOneByte(result.pre_context![0])).toBe(false);
  });

  it('never reads a fixture synchronously', () => {
    expect(syncReadsOfFixtures()).toEqual([]);
  });
});

describe('snipLine', () => {
  it('keeps short lines and cuts long ones to 140 characters of content', () => {
    expect(snipLine('short', 3)).toBe('short');
    const line = 'x'.repeat(1000);
    expect(snipLine(line, 0)).toBe(`${'x'.repeat(140)} {snip}`);
    expect(snipLine(line, 1000)).toBe(`{snip} ${'x'.repeat(140)}`);
    expect(snipLine(line, 500)).toBe(`{snip} ${'x'.repeat(140)} {snip}`);
  });
});

describe('context lines on captured events', () => {
  let ingest: TestIngest;
  beforeAll(async () => {
    ingest = await startIngest();
  });
  afterAll(async () => {
    await shutdown();
    await ingest.close();
  });

  it('appear on the in-app frames of an event the ingest receives', async () => {
    const thrower = join(fixtureDir, 'thrower.cjs');
    writeFileSync(
      thrower,
      [
        '"use strict";',
        'function failHard() {',
        '  throw new TypeError("context please");',
        '}',
        'module.exports = failHard;',
        '',
      ].join('\n'),
    );
    const failHard = createRequire(thrower)(thrower) as () => void;
    // Node's CommonJS loader itself reads the module synchronously; only the SDK's reads count from here.
    readFileSyncSpy.mockClear();
    readSyncSpy.mockClear();
    initForTest({ dsn: ingest.dsn, stackParser: nodeStackParser, integrations: [contextLinesIntegration()] });
    try {
      failHard();
    } catch (error) {
      captureException(error);
    }
    await ingest.waitFor(() => ingest.events().length === 1);
    const frames = ingest.events()[0].exception?.values?.[0].stacktrace?.frames ?? [];
    const thrown = frames[frames.length - 1];
    expect(thrown).toMatchObject({
      filename: thrower,
      function: 'failHard',
      in_app: true,
      pre_context: ['"use strict";', 'function failHard() {'],
      context_line: '  throw new TypeError("context please");',
      post_context: ['}', 'module.exports = failHard;'],
    });
    const outOfApp = frames.filter((candidate) => candidate.in_app === false);
    expect(outOfApp.length).toBeGreaterThan(0);
    expect(outOfApp.every((candidate) => candidate.context_line === undefined)).toBe(true);
    expect(ingest.schemaErrors()).toEqual([]);
    expect(syncReadsOfFixtures()).toEqual([]);
  });
});
