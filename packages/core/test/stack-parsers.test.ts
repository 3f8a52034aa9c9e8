import { describe, expect, it } from 'vitest';
import {
  createStackParser,
  defaultStackParser,
  geckoStackLineParser,
  javaScriptCoreStackLineParser,
  v8StackLineParser,
} from '../src/stack-parsers';
import type { StackLineParser } from '../src/types/stacktrace';

// Captured from Node 20 (ESM module, class constructor, Array.map, module loader internals).
const NODE_ESM_STACK =
  'Error: boom in ctor\n    at new Widget (file:///tmp/stk/a.mjs:1:38)\n    at file:///tmp/stk/a.mjs:4:21\n' +
  '    at Array.map (<anonymous>)\n    at file:///tmp/stk/a.mjs:4:11\n' +
  '    at ModuleJob.run (node:internal/modules/esm/module_job:325:25)\n' +
  '    at async ModuleLoader.import (node:internal/modules/esm/loader:606:24)\n' +
  '    at async asyncRunEntryPointWithESMLoader (node:internal/modules/run_main:117:5)';

// Captured from Node 20: async frames, including Promise.all's `(index 0)` pseudo-location.
const NODE_ASYNC_STACK =
  'TypeError: async boom\n    at inner (file:///tmp/stk/a.mjs:2:44)\n    at async Promise.all (index 0)\n' +
  '    at async outer (file:///tmp/stk/a.mjs:3:26)\n    at async file:///tmp/stk/a.mjs:7:1';

// Captured from Node 20: code run through eval().
const NODE_EVAL_STACK =
  'Error: from eval\n    at evaled (eval at <anonymous> (file:///tmp/stk/a.mjs:5:7), <anonymous>:1:27)\n' +
  '    at eval (eval at <anonymous> (file:///tmp/stk/a.mjs:5:7), <anonymous>:1:52)\n' +
  '    at file:///tmp/stk/a.mjs:5:7';

// Captured from Node 20 (CommonJS): multi-word error message, `Object.<anonymous>`, `[as runMain]`.
const NODE_CJS_STACK =
  "SyntaxError: Expected property name or '}' in JSON at position 1\n    at JSON.parse (<anonymous>)\n" +
  '    at /tmp/stk/b.cjs:1:61\n    at Array.forEach (<anonymous>)\n    at Object.run (/tmp/stk/b.cjs:1:34)\n' +
  '    at Object.<anonymous> (/tmp/stk/b.cjs:2:11)\n' +
  '    at Module._compile (node:internal/modules/cjs/loader:1521:14)\n' +
  '    at Function.executeUserEntryPoint [as runMain] (node:internal/modules/run_main:164:12)';

const NODE_WINDOWS_STACK =
  'Error: win\r\n    at Object.<anonymous> (C:\\Users\\dev\\app\\index.js:3:9)\r\n' +
  '    at Layer.handle [as handle_request] (C:\\Users\\dev\\app\\node_modules\\express\\lib\\router\\layer.js:95:5)\r\n' +
  '    at file:///C:/Users/dev/my%20app/esm.mjs:1:5\r\n    at Array.forEach (native)';

const CHROME_STACK =
  "TypeError: Cannot read properties of undefined (reading 'id')\n" +
  '    at HTMLButtonElement.onClick (https://shop.example.com/static/js/main.4f1a9c.js:2:10423)\n' +
  '    at Object.Ce (https://shop.example.com/static/js/vendor.js:1:9876)\n' +
  '    at https://shop.example.com/static/js/main.4f1a9c.js:2:555\n' +
  '    at new Promise (<anonymous>)\n    at <anonymous>:1:1';

const FIREFOX_STACK =
  'inner@https://shop.example.com/app.js:2:9\nasync*outer@https://shop.example.com/app.js:6:9\n' +
  'Cart.prototype.total/<@https://shop.example.com/app.js:20:15\n' +
  'promise callback*checkout@https://cdn.example.com/lib@1.2.3/checkout.js:40:3\n' +
  '@https://shop.example.com/app.js:9:1\n';

const FIREFOX_EVAL_STACK =
  'evaledFn@https://shop.example.com/app.js line 12 > eval:1:30\n' +
  '@https://shop.example.com/app.js line 12 > eval:1:44\n' +
  'anonymous@https://shop.example.com/app.js line 30 > Function:1:7\n' +
  'run@https://shop.example.com/app.js:12:3\n';

const SAFARI_STACK =
  'foo@https://shop.example.com/app.js:4:20\nmap@[native code]\nbar@https://shop.example.com/app.js:8:6\n' +
  'eval code\neval@[native code]\nglobal code@https://shop.example.com/app.js:12:13';

const SAFARI_MODULE_STACK =
  'load@https://shop.example.com/main.mjs:3:11\nmodule code@https://shop.example.com/main.mjs:9:1';

describe('V8 stacks', () => {
  it('parses an ESM stack oldest → newest with constructors, anonymous frames and node internals', () => {
    expect(defaultStackParser(NODE_ESM_STACK)).toEqual([
      {
        filename: 'node:internal/modules/run_main',
        function: 'asyncRunEntryPointWithESMLoader',
        in_app: false,
        lineno: 117,
        colno: 5,
      },
      {
        filename: 'node:internal/modules/esm/loader',
        function: 'ModuleLoader.import',
        in_app: false,
        lineno: 606,
        colno: 24,
      },
      {
        filename: 'node:internal/modules/esm/module_job',
        function: 'ModuleJob.run',
        in_app: false,
        lineno: 325,
        colno: 25,
      },
      { filename: '/tmp/stk/a.mjs', function: '?', in_app: true, lineno: 4, colno: 11 },
      { filename: '<anonymous>', function: 'Array.map', in_app: false },
      { filename: '/tmp/stk/a.mjs', function: '?', in_app: true, lineno: 4, colno: 21 },
      { filename: '/tmp/stk/a.mjs', function: 'new Widget', in_app: true, lineno: 1, colno: 38 },
    ]);
  });

  it('strips the async keyword and keeps Promise.all without a filename', () => {
    const frames = defaultStackParser(NODE_ASYNC_STACK);
    expect(frames.map((f) => f.function)).toEqual(['?', 'outer', 'Promise.all', 'inner']);
    expect(frames[2]).toEqual({ function: 'Promise.all', in_app: false });
    expect(frames[0]).toMatchObject({ filename: '/tmp/stk/a.mjs', lineno: 7, colno: 1 });
  });

  it('points eval frames at the eval call site', () => {
    const frames = defaultStackParser(NODE_EVAL_STACK);
    expect(frames).toEqual([
      { filename: '/tmp/stk/a.mjs', function: '?', in_app: true, lineno: 5, colno: 7 },
      { filename: '/tmp/stk/a.mjs', function: 'eval', in_app: true, lineno: 5, colno: 7 },
      { filename: '/tmp/stk/a.mjs', function: 'evaled', in_app: true, lineno: 5, colno: 7 },
    ]);
  });

  it('parses CommonJS frames, aliases and a header with a colon-rich message', () => {
    const frames = defaultStackParser(NODE_CJS_STACK);
    expect(frames).toHaveLength(7);
    expect(frames[0]).toMatchObject({
      function: 'Function.executeUserEntryPoint [as runMain]',
      in_app: false,
    });
    expect(frames[2]).toEqual({
      filename: '/tmp/stk/b.cjs',
      function: 'Object.<anonymous>',
      in_app: true,
      lineno: 2,
      colno: 11,
    });
    expect(frames[6]).toEqual({ filename: '<anonymous>', function: 'JSON.parse', in_app: false });
  });

  it('handles Windows paths, CRLF, node_modules, percent-encoded file URLs and legacy (native)', () => {
    expect(defaultStackParser(NODE_WINDOWS_STACK)).toEqual([
      { filename: 'native', function: 'Array.forEach', in_app: false },
      { filename: 'C:/Users/dev/my app/esm.mjs', function: '?', in_app: true, lineno: 1, colno: 5 },
      {
        filename: 'C:\\Users\\dev\\app\\node_modules\\express\\lib\\router\\layer.js',
        function: 'Layer.handle [as handle_request]',
        in_app: false,
        lineno: 95,
        colno: 5,
      },
      {
        filename: 'C:\\Users\\dev\\app\\index.js',
        function: 'Object.<anonymous>',
        in_app: true,
        lineno: 3,
        colno: 9,
      },
    ]);
  });

  it('parses Chrome browser stacks with URLs, new Promise and <anonymous> scripts', () => {
    expect(defaultStackParser(CHROME_STACK)).toEqual([
      { filename: '<anonymous>', function: '?', in_app: false, lineno: 1, colno: 1 },
      { filename: '<anonymous>', function: 'new Promise', in_app: false },
      {
        filename: 'https://shop.example.com/static/js/main.4f1a9c.js',
        function: '?',
        in_app: true,
        lineno: 2,
        colno: 555,
      },
      {
        filename: 'https://shop.example.com/static/js/vendor.js',
        function: 'Object.Ce',
        in_app: true,
        lineno: 1,
        colno: 9876,
      },
      {
        filename: 'https://shop.example.com/static/js/main.4f1a9c.js',
        function: 'HTMLButtonElement.onClick',
        in_app: true,
        lineno: 2,
        colno: 10423,
      },
    ]);
  });

  it('handles parentheses inside URLs and rejects non-V8 lines', () => {
    expect(v8StackLineParser('    at load (https://x.test/a(1).js:3:4)')).toEqual({
      filename: 'https://x.test/a(1).js',
      function: 'load',
      in_app: true,
      lineno: 3,
      colno: 4,
    });
    expect(v8StackLineParser('foo@https://x.test/a.js:1:2')).toBeUndefined();
    expect(v8StackLineParser('Error: at the door')).toBeUndefined();
  });
});

describe('SpiderMonkey stacks', () => {
  it('parses named, anonymous, nested and async-cause frames', () => {
    expect(defaultStackParser(FIREFOX_STACK)).toEqual([
      { filename: 'https://shop.example.com/app.js', function: '?', in_app: true, lineno: 9, colno: 1 },
      {
        filename: 'https://cdn.example.com/lib@1.2.3/checkout.js',
        function: 'checkout',
        in_app: true,
        lineno: 40,
        colno: 3,
      },
      {
        filename: 'https://shop.example.com/app.js',
        function: 'Cart.prototype.total/<',
        in_app: true,
        lineno: 20,
        colno: 15,
      },
      { filename: 'https://shop.example.com/app.js', function: 'outer', in_app: true, lineno: 6, colno: 9 },
      { filename: 'https://shop.example.com/app.js', function: 'inner', in_app: true, lineno: 2, colno: 9 },
    ]);
  });

  it('reports eval and Function frames at the outer file line, without a column', () => {
    expect(defaultStackParser(FIREFOX_EVAL_STACK)).toEqual([
      { filename: 'https://shop.example.com/app.js', function: 'run', in_app: true, lineno: 12, colno: 3 },
      { filename: 'https://shop.example.com/app.js', function: 'anonymous', in_app: true, lineno: 30 },
      { filename: 'https://shop.example.com/app.js', function: 'eval', in_app: true, lineno: 12 },
      { filename: 'https://shop.example.com/app.js', function: 'evaledFn', in_app: true, lineno: 12 },
    ]);
  });

  it('rejects lines without a position and V8 lines', () => {
    expect(geckoStackLineParser('someone@example.com')).toBeUndefined();
    expect(geckoStackLineParser('    at f (https://cdn.test/pkg@1/x.js:1:2)')).toBeUndefined();
  });
});

describe('JavaScriptCore stacks', () => {
  it('parses global code, [native code] and eval frames', () => {
    expect(defaultStackParser(SAFARI_STACK)).toEqual([
      {
        filename: 'https://shop.example.com/app.js',
        function: 'global code',
        in_app: true,
        lineno: 12,
        colno: 13,
      },
      { filename: '[native code]', function: 'eval', in_app: false },
      { function: 'eval code', in_app: false },
      { filename: 'https://shop.example.com/app.js', function: 'bar', in_app: true, lineno: 8, colno: 6 },
      { filename: '[native code]', function: 'map', in_app: false },
      { filename: 'https://shop.example.com/app.js', function: 'foo', in_app: true, lineno: 4, colno: 20 },
    ]);
  });

  it('parses module code frames and bare [native code] lines on its own', () => {
    expect(
      createStackParser(javaScriptCoreStackLineParser)(SAFARI_MODULE_STACK).map((f) => f.function),
    ).toEqual(['module code', 'load']);
    expect(javaScriptCoreStackLineParser('[native code]')).toEqual({
      filename: '[native code]',
      function: '?',
      in_app: false,
    });
    expect(javaScriptCoreStackLineParser('justSomeText')).toBeUndefined();
  });
});

describe('createStackParser', () => {
  const v8Line = (i: number) => `    at fn${i} (/app/src/file.js:${i + 1}:1)`;

  it('keeps the 50 newest frames, ordered oldest → newest', () => {
    const stack = ['Error: deep', ...Array.from({ length: 80 }, (_, i) => v8Line(i))].join('\n');
    const frames = defaultStackParser(stack);
    expect(frames).toHaveLength(50);
    expect(frames[49].function).toBe('fn0');
    expect(frames[0].function).toBe('fn49');
  });

  it('ignores lines over 1024 characters and honours skipFirstLines', () => {
    const longLine = `    at ${'x'.repeat(1100)} (/app/a.js:1:1)`;
    const stack = ['Error: x', v8Line(1), longLine, v8Line(2)].join('\n');
    expect(defaultStackParser(stack).map((f) => f.function)).toEqual(['fn2', 'fn1']);
    expect(defaultStackParser(stack, 2).map((f) => f.function)).toEqual(['fn2']);
  });

  it('never throws: non-string input, empty text, and a line parser that throws', () => {
    const throwing: StackLineParser = () => {
      throw new Error('parser bug');
    };
    const parser = createStackParser(throwing, v8StackLineParser);
    expect(parser(v8Line(3))).toEqual([
      { filename: '/app/src/file.js', function: 'fn3', in_app: true, lineno: 4, colno: 1 },
    ]);
    expect(parser(undefined as unknown as string)).toEqual([]);
    expect(parser('')).toEqual([]);
    expect(defaultStackParser('Error: only a header\nwith a second message line')).toEqual([]);
  });

  it('parses a real stack from this runtime with this file as the newest frame', () => {
    const frames = defaultStackParser(new Error('here').stack ?? '');
    const newest = frames[frames.length - 1];
    expect(newest.filename).toMatch(/stack-parsers\.test\.ts$/);
    expect(newest.in_app).toBe(true);
    expect(newest.lineno).toBeGreaterThan(0);
  });
});
