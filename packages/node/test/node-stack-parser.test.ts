import { EventEmitter } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { type StackFrame, withScope } from '@faultline/core';
import { afterAll, describe, expect, it } from 'vitest';
import { heapGrowth } from '../../../test/support/heap-growth';
import {
  createGetModuleFromFilename,
  createNodeStackParser,
  nodeStackParser,
} from '../src/node-stack-parser';

const THIS_FILE = fileURLToPath(import.meta.url);
const REPO_ROOT = fileURLToPath(new URL('../../../', import.meta.url)).replace(/\/$/, '');
const fixtureRoot = mkdtempSync(join(tmpdir(), 'faultline-stack-'));
afterAll(() => rmSync(fixtureRoot, { recursive: true, force: true }));

function newestFrame(frames: StackFrame[], filename: string): StackFrame {
  const frame = [...frames].reverse().find((candidate) => candidate.filename === filename);
  if (!frame) throw new Error(`no frame for ${filename} in ${JSON.stringify(frames, null, 2)}`);
  return frame;
}

function errorThrownHere(): Error {
  return new Error('here');
}

describe('nodeStackParser on real stacks', () => {
  it('keeps the absolute path of app frames and marks them in-app with a module name', () => {
    const parser = createNodeStackParser(createGetModuleFromFilename(REPO_ROOT));
    const frame = newestFrame(parser(errorThrownHere().stack ?? ''), THIS_FILE);
    expect(frame).toMatchObject({
      filename: THIS_FILE,
      abs_path: THIS_FILE,
      function: 'errorThrownHere',
      in_app: true,
      module: 'packages.node.test:node-stack-parser.test',
    });
    expect(frame.lineno).toBeGreaterThan(0);
    expect(frame.colno).toBeGreaterThan(0);
  });

  it('names modules relative to the default app root too', () => {
    const frame = newestFrame(nodeStackParser(errorThrownHere().stack ?? ''), THIS_FILE);
    expect(frame.in_app).toBe(true);
    expect(frame.module).toMatch(/(?:^|[.:])node-stack-parser\.test$/);
  });

  it('marks frames from node_modules as not in-app and names them after the package path', () => {
    const packageDir = join(fixtureRoot, 'node_modules', '@acme', 'widgets', 'lib');
    mkdirSync(packageDir, { recursive: true });
    const packageFile = join(packageDir, 'invoke.cjs');
    writeFileSync(packageFile, 'exports.invoke = function invoke(callback) {\n  return callback();\n};\n');
    const { invoke } = createRequire(join(fixtureRoot, 'index.cjs'))(packageFile) as {
      invoke: (callback: () => Error) => Error;
    };
    const frames = nodeStackParser(invoke(() => new Error('inside')).stack ?? '');
    expect(newestFrame(frames, packageFile)).toMatchObject({
      function: 'invoke',
      in_app: false,
      abs_path: packageFile,
      module: '@acme.widgets.lib:invoke',
    });
    expect(newestFrame(frames, THIS_FILE).in_app).toBe(true);
  });

  it('marks node: internals as not in-app, without a module or abs_path', () => {
    let error: Error | undefined;
    const emitter = new EventEmitter();
    emitter.on('go', () => {
      error = new Error('from a listener');
    });
    emitter.emit('go');
    const internal = nodeStackParser(error?.stack ?? '').find((frame) => frame.filename?.startsWith('node:'));
    expect(internal).toBeDefined();
    expect(internal).toMatchObject({ in_app: false });
    expect(internal?.module).toBeUndefined();
    expect(internal?.abs_path).toBeUndefined();
  });

  it("marks the SDK's own source files as not in-app", () => {
    const error = withScope(() => new Error('inside the SDK'));
    const frames = nodeStackParser(error.stack ?? '');
    const sdkFrame = frames.find((frame) => frame.filename?.includes('/packages/core/src/'));
    expect(sdkFrame).toBeDefined();
    expect(sdkFrame?.in_app).toBe(false);
    expect(newestFrame(frames, THIS_FILE).in_app).toBe(true);
  });

  it('turns ESM file URLs into paths and orders frames oldest first', async () => {
    const modulePath = join(fixtureRoot, 'esm-thrower.mjs');
    writeFileSync(modulePath, 'export function makeError() {\n  return new Error("esm");\n}\n');
    const { makeError } = (await import(pathToFileURL(modulePath).href)) as { makeError: () => Error };
    const frames = nodeStackParser(makeError().stack ?? '');
    expect(frames[frames.length - 1]).toMatchObject({
      filename: modulePath,
      function: 'makeError',
      lineno: 2,
      in_app: true,
    });
  });
});

describe('nodeStackParser on stack text', () => {
  const parser = createNodeStackParser(createGetModuleFromFilename('/srv/app', false));

  it('treats internal/, anonymous and native frames as not in-app', () => {
    const frames = parser(
      [
        'Error: boom',
        '    at run (/srv/app/lib/jobs/run.js:3:9)',
        '    at Array.map (<anonymous>)',
        '    at process.processTicksAndRejections (internal/process/task_queues.js:95:5)',
        '    at evalmachine.<anonymous>:1:1',
      ].join('\n'),
    );
    expect(frames.map((frame) => [frame.function, frame.in_app, frame.module])).toEqual([
      ['?', false, undefined],
      ['process.processTicksAndRejections', false, undefined],
      ['Array.map', false, undefined],
      ['run', true, 'lib.jobs:run'],
    ]);
  });

  it('uses the bare file name outside the app root and for the root itself', () => {
    const frames = parser(
      ['Error: x', '    at a (/srv/app/server.mjs:1:1)', '    at b (/opt/tools/cli.cjs:1:1)'].join('\n'),
    );
    expect(frames.map((frame) => frame.module)).toEqual(['cli', 'server']);
  });

  it('parses a line seen before into an equal frame that is a separate object', () => {
    const stack = [
      'Error: x',
      '    at handle (/srv/app/routes/pay.js:12:7)',
      '    at /srv/app/app.js:3:1',
    ].join('\n');
    const countingGetModule = createGetModuleFromFilename('/srv/app', false);
    let moduleLookups = 0;
    const cachingParser = createNodeStackParser((filename) => {
      moduleLookups++;
      return countingGetModule(filename);
    });
    const first = cachingParser(stack);
    expect(moduleLookups).toBe(2);
    // Written to as context lines, processors and beforeSend do.
    first[1]!.function = 'edited';
    first[1]!.context_line = 'const edited = true;';
    first[0]!.in_app = false;
    const second = cachingParser(stack);
    expect(moduleLookups).toBe(2);
    expect(second).toEqual([
      {
        function: '?',
        in_app: true,
        filename: '/srv/app/app.js',
        abs_path: '/srv/app/app.js',
        module: 'app',
        lineno: 3,
        colno: 1,
      },
      {
        function: 'handle',
        in_app: true,
        filename: '/srv/app/routes/pay.js',
        abs_path: '/srv/app/routes/pay.js',
        module: 'routes:pay',
        lineno: 12,
        colno: 7,
      },
    ]);
    expect(second[0]).not.toBe(first[0]);
    expect(cachingParser(`${stack}\n    at Array.map (<anonymous>)\n    not a frame`)).toHaveLength(3);
  });

  it('remembers lines without keeping the stack texts they came from alive', async () => {
    const lineParser = createNodeStackParser(() => undefined);
    // 100 stacks of ~200 KB each, every one with a line not seen before (a 200 KB line itself is
    // skipped as too long): keeping the stacks would hold ~20 MB.
    const kept = await heapGrowth(() => {
      for (let i = 0; i < 100; i++) {
        lineParser(
          `Error: x\n    at f${i} (/srv/app/a.js:${i + 1}:1)\n    at g (/srv/app/${'x'.repeat(200_000)}.js:1:1)`,
        );
      }
    });
    expect(kept).toBeLessThan(5_000_000);
  });

  it('keeps parsing correctly past the number of lines it remembers', () => {
    const lineOf = (n: number) => `    at f${n} (/srv/app/lib/file${n}.js:${n + 1}:2)`;
    const many = ['Error: x', ...Array.from({ length: 1200 }, (_, n) => lineOf(n))];
    // 50 frames per stack at most: parse in chunks so every line goes through the parser.
    for (let start = 1; start < many.length; start += 40)
      parser(['Error: x', ...many.slice(start, start + 40)].join('\n'));
    const frames = parser(['Error: x', lineOf(0), lineOf(1199)].join('\n'));
    expect(frames.map(({ function: name, module, lineno }) => [name, module, lineno])).toEqual([
      ['f1199', 'lib:file1199', 1200],
      ['f0', 'lib:file0', 1],
    ]);
  });
});

describe('createGetModuleFromFilename', () => {
  it('handles Windows paths', () => {
    const getModule = createGetModuleFromFilename('C:\\Users\\me\\app', true);
    expect(getModule('C:\\Users\\me\\app\\src\\routes\\user.js')).toBe('src.routes:user');
    expect(getModule('C:\\Users\\me\\app\\node_modules\\express\\lib\\router\\index.js')).toBe(
      'express.lib.router:index',
    );
  });

  it('uses the path below the last node_modules for nested dependencies', () => {
    const getModule = createGetModuleFromFilename('/srv/app', false);
    expect(getModule('/srv/app/node_modules/a/node_modules/b/dist/x.cjs')).toBe('b.dist:x');
    expect(getModule('/srv/app/node_modules/.pnpm/c@1.0.0/node_modules/c/index.js')).toBe('c:index');
  });
});
