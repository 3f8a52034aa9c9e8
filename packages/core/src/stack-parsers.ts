import { attempt } from './safe-read';
import type { StackFrame } from './types/event';
import type { StackLineParser, StackParser } from './types/stacktrace';

const MAX_FRAMES = 50;
const MAX_LINE_LENGTH = 1024;

const HEADER_LINE = /^\s*\S*Error: /;
const WEBPACK_ERROR_WRAPPER = /\(error: (.*)\)/;
const LOCATION_WITH_POSITION = /^(.*?):(\d+)(?::(\d+))?$/;
const V8_EVAL_ORIGIN = /\(([^()]+?):(\d+):(\d+)\)/;
const GECKO_EVAL_LOCATION = /^(.*?) line (\d+)(?: > (?:eval|Function) line \d+)* > (?:eval|Function)/;

/** Frames the user did not write: dependencies, runtime internals and code without a source file. */
const isInApp = (filename: string | undefined): boolean =>
  !!filename &&
  !/^(native|<anonymous>|\[native code\])$|^(node:|internal\/)|[\\/]node_modules[\\/]/.test(filename);

/** A 1-based line or column from its text; undefined for anything else. */
function position(text: string | undefined): number | undefined {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/**
 * A frame at `location` (`file://` URLs become plain paths, `file:///C:/x` → `C:/x`, so frames match
 * paths on disk) with the line and column texts a pattern captured.
 */
function createFrame(
  location: string | undefined,
  func: string | undefined,
  line?: string,
  column?: string,
): StackFrame {
  const path = location?.replace(/^file:\/\/(\/(?=[A-Za-z]:\/))?/, '');
  const filename = path === location ? path : attempt(() => decodeURIComponent(path!), path);
  // A literal stored into, not spreads: V8 adds properties to a spread-built object on a slow path
  // (~1 µs each), and runtimes add more per frame (abs_path, module).
  const frame: StackFrame = { function: func || '?', in_app: isInApp(filename) };
  if (filename) frame.filename = filename;
  const lineno = position(line);
  const colno = position(column);
  if (lineno) frame.lineno = lineno;
  if (colno) frame.colno = colno;
  return frame;
}

/** The frame for a `file:line[:column]` location, or undefined when it has no position. */
function frameAtPosition(location: string, func: string | undefined): StackFrame | undefined {
  const match = LOCATION_WITH_POSITION.exec(location);
  return match?.[1] ? createFrame(match[1], func, match[2], match[3]) : undefined;
}

/**
 * V8 (Chrome, Edge, Node, Deno; Bun prints the same format): `    at fn (file:1:2)`, `    at file:1:2`,
 * `    at async fn (...)`, `    at new Foo (...)`, `    at Array.map (<anonymous>)`,
 * `    at eval (eval at fn (file:1:2), <anonymous>:1:1)`, `node:internal/...`, `file://` URLs, Windows paths.
 */
export const v8StackLineParser: StackLineParser = (line) => {
  const rest = /^\s*at (.*\S)/.exec(line)?.[1].replace(/^async /, '');
  if (!rest) return undefined;

  // The function name precedes the parenthesised location, which may itself contain parentheses.
  let func: string | undefined;
  let location = rest;
  if (rest.endsWith(')')) {
    for (let i = rest.length, depth = 0; i--; ) {
      depth += rest[i] === ')' ? 1 : rest[i] === '(' ? -1 : 0;
      if (!depth) {
        if (i > 0) {
          func = rest.slice(0, i).trim();
          location = rest.slice(i + 1, -1).trim();
        }
        break;
      }
    }
  }
  location = location.replace(/^address at /, '');
  if (func === '<anonymous>') func = undefined;

  if (location.startsWith('eval at ')) {
    const origin = V8_EVAL_ORIGIN.exec(location) ?? [];
    return createFrame(origin[1], func || 'eval', origin[2], origin[3]);
  }
  return (
    frameAtPosition(location, func) ??
    createFrame(/[\\/]|^(native|<anonymous>)$/.test(location) ? location : undefined, func)
  );
};

/**
 * `fn@location` lines of SpiderMonkey (Firefox) and JavaScriptCore (Safari, WebKit webviews), one
 * parser for both since neither prints the other's extras: `fn@url:1:2`, `@url:1:2`, `fn/<@url:1:2`,
 * `global code@url:1:2`, `module code@url:1:2`. SpiderMonkey adds async causes (`async*fn@url:1:2`)
 * and eval frames (`fn@url line 10 > eval:1:2`, which report the line of the eval call in the outer
 * file); JavaScriptCore adds `map@[native code]` and bare `eval code` / `[native code]` lines.
 */
export const atSignStackLineParser: StackLineParser = (line) => {
  const trimmed = line.trim();
  if (trimmed === '[native code]') return createFrame(trimmed, undefined);
  if (/^(eval|global|module) code$/.test(trimmed)) return createFrame(undefined, trimmed);
  const at = line.indexOf('@');
  if (at < 0 || /^\s+at /.test(line)) return undefined;
  const func = line
    .slice(0, at)
    .trim()
    .replace(/^[a-z ]+\*/i, '');
  const location = line.slice(at + 1).trim();
  const evalMatch = GECKO_EVAL_LOCATION.exec(location);
  if (evalMatch) return createFrame(evalMatch[1], func || 'eval', evalMatch[2]);
  if (location === '[native code]') return createFrame(location, func);
  return frameAtPosition(location, func);
};

/** SpiderMonkey (Firefox) lines: see `atSignStackLineParser`, which reads them. */
export const geckoStackLineParser: StackLineParser = atSignStackLineParser;

/** JavaScriptCore (Safari) lines: see `atSignStackLineParser`, which reads them. */
export const javaScriptCoreStackLineParser: StackLineParser = atSignStackLineParser;

/**
 * Combines line parsers (tried in order, first match wins) into a parser for whole `Error.stack` texts.
 * Keeps the 50 newest frames and returns them oldest → newest, as the protocol orders frames.
 */
export function createStackParser(...lineParsers: StackLineParser[]): StackParser {
  return (stack, skipFirstLines = 0) => {
    const frames: StackFrame[] = [];
    if (typeof stack !== 'string') return frames;
    for (const rawLine of stack.split('\n').slice(Math.max(0, skipFirstLines))) {
      if (frames.length >= MAX_FRAMES) break;
      const line = rawLine.replace(/\r$/, '');
      if (line.length > MAX_LINE_LENGTH || HEADER_LINE.test(line)) continue;
      const unwrapped = line.replace(WEBPACK_ERROR_WRAPPER, '$1');
      // First frame wins; a faulty line parser must not cost the other frames.
      lineParsers.some((parse) => {
        const frame = attempt(() => parse(unwrapped));
        return frame && frames.push(frame);
      });
    }
    return frames.reverse();
  };
}

export const defaultStackParser: StackParser = createStackParser(v8StackLineParser, atSignStackLineParser);
