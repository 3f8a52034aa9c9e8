import type { StackFrame } from './types/event';
import type { StackLineParser, StackParser } from './types/stacktrace';

const UNKNOWN_FUNCTION = '?';
const MAX_FRAMES = 50;
const MAX_LINE_LENGTH = 1024;

const HEADER_LINE = /^\s*\S*Error: /;
const WEBPACK_ERROR_WRAPPER = /\(error: (.*)\)/;
const LOCATION_WITH_POSITION = /^(.*?):(\d+)(?::(\d+))?$/;
const V8_EVAL_ORIGIN = /\(([^()]+?):(\d+):(\d+)\)/;
const GECKO_EVAL_LOCATION = /^(.*?) line (\d+)(?: > (?:eval|Function) line \d+)* > (?:eval|Function)/;
const GECKO_ASYNC_CAUSE = /^[a-z ]+\*/i;
const JSC_BARE_FUNCTIONS = new Set(['eval code', 'global code', 'module code']);

/** Frames the user did not write: dependencies, runtime internals and code without a source file. */
function isInApp(filename: string | undefined): boolean {
  if (!filename) return false;
  if (filename === 'native' || filename === '<anonymous>' || filename === '[native code]') return false;
  if (filename.startsWith('node:') || filename.startsWith('internal/')) return false;
  return !/[\\/]node_modules[\\/]/.test(filename);
}

function toNumber(text: string | undefined): number | undefined {
  if (!text) return undefined;
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : undefined;
}

/** `file://` URLs become plain paths (`file:///C:/x` → `C:/x`) so frames match paths on disk. */
function filenameFromLocation(location: string): string {
  if (!location.startsWith('file://')) return location;
  let path = location.slice('file://'.length);
  if (/^\/[A-Za-z]:\//.test(path)) path = path.slice(1);
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function createFrame(
  filename: string | undefined,
  func: string | undefined,
  lineno?: number,
  colno?: number,
): StackFrame {
  const frame: StackFrame = {};
  if (filename) frame.filename = filename;
  frame.function = func || UNKNOWN_FUNCTION;
  frame.in_app = isInApp(filename);
  if (lineno !== undefined) frame.lineno = lineno;
  if (colno !== undefined) frame.colno = colno;
  return frame;
}

function frameFromLocation(location: string, func: string | undefined): StackFrame {
  const match = LOCATION_WITH_POSITION.exec(location);
  if (match) {
    return createFrame(filenameFromLocation(match[1]), func, toNumber(match[2]), toNumber(match[3]));
  }
  const isPathOrKnown = /[\\/]/.test(location) || location === 'native' || location === '<anonymous>';
  return createFrame(isPathOrKnown ? filenameFromLocation(location) : undefined, func);
}

/** Index of the `(` that opens the parenthesised group closing at the end of `text`, or -1. */
function openingParenOfTrailingGroup(text: string): number {
  let depth = 0;
  for (let i = text.length - 1; i >= 0; i--) {
    const char = text[i];
    if (char === ')') depth += 1;
    else if (char === '(') {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return -1;
}

/**
 * V8 (Chrome, Edge, Node, Deno; Bun prints the same format): `    at fn (file:1:2)`, `    at file:1:2`,
 * `    at async fn (...)`, `    at new Foo (...)`, `    at Array.map (<anonymous>)`,
 * `    at eval (eval at fn (file:1:2), <anonymous>:1:1)`, `node:internal/...`, `file://` URLs, Windows paths.
 */
export const v8StackLineParser: StackLineParser = (line) => {
  const atMatch = /^\s*at (.*?)\s*$/.exec(line);
  if (!atMatch) return undefined;
  const rest = atMatch[1].replace(/^async /, '');
  if (!rest) return undefined;

  let func: string | undefined;
  let location = rest;
  if (rest.endsWith(')')) {
    const open = openingParenOfTrailingGroup(rest);
    if (open > 0) {
      func = rest.slice(0, open).trim();
      location = rest.slice(open + 1, -1).trim();
    }
  }
  location = location.replace(/^address at /, '');
  if (func === '<anonymous>') func = undefined;

  if (location.startsWith('eval at ')) {
    const origin = V8_EVAL_ORIGIN.exec(location);
    if (origin) {
      return createFrame(
        filenameFromLocation(origin[1]),
        func || 'eval',
        toNumber(origin[2]),
        toNumber(origin[3]),
      );
    }
    return createFrame(undefined, func || 'eval');
  }
  return frameFromLocation(location, func);
};

function splitAtSign(line: string): { func: string; location: string } | undefined {
  if (/^\s+at /.test(line)) return undefined;
  const at = line.indexOf('@');
  if (at < 0) return undefined;
  return { func: line.slice(0, at).trim(), location: line.slice(at + 1).trim() };
}

/**
 * SpiderMonkey (Firefox): `fn@url:1:2`, `@url:1:2`, `async*fn@url:1:2`, `fn/<@url:1:2`, and eval frames
 * `fn@url line 10 > eval:1:2`, which report the line of the eval call in the outer file.
 */
export const geckoStackLineParser: StackLineParser = (line) => {
  const parts = splitAtSign(line);
  if (!parts) return undefined;
  const func = parts.func.replace(GECKO_ASYNC_CAUSE, '');

  const evalMatch = GECKO_EVAL_LOCATION.exec(parts.location);
  if (evalMatch) {
    return createFrame(filenameFromLocation(evalMatch[1]), func || 'eval', toNumber(evalMatch[2]));
  }
  const match = LOCATION_WITH_POSITION.exec(parts.location);
  if (!match?.[1]) return undefined;
  return createFrame(filenameFromLocation(match[1]), func, toNumber(match[2]), toNumber(match[3]));
};

/**
 * JavaScriptCore (Safari, WebKit webviews): `fn@url:1:2`, `global code@url:1:2`, `module code@url:1:2`,
 * `map@[native code]`, and bare `eval code` / `[native code]` lines without a location.
 */
export const javaScriptCoreStackLineParser: StackLineParser = (line) => {
  const trimmed = line.trim();
  if (trimmed === '[native code]') return createFrame('[native code]', undefined);
  if (JSC_BARE_FUNCTIONS.has(trimmed)) return createFrame(undefined, trimmed);

  const parts = splitAtSign(line);
  if (!parts) return undefined;
  if (parts.location === '[native code]') return createFrame('[native code]', parts.func);
  const match = LOCATION_WITH_POSITION.exec(parts.location);
  if (!match?.[1]) return undefined;
  return createFrame(filenameFromLocation(match[1]), parts.func, toNumber(match[2]), toNumber(match[3]));
};

function parseLine(lineParsers: StackLineParser[], line: string): StackFrame | undefined {
  for (const parser of lineParsers) {
    try {
      const frame = parser(line);
      if (frame) return frame;
    } catch {
      // A faulty line parser must not cost the other frames.
    }
  }
  return undefined;
}

/**
 * Combines line parsers (tried in order, first match wins) into a parser for whole `Error.stack` texts.
 * Keeps the 50 newest frames and returns them oldest → newest, as the protocol orders frames.
 */
export function createStackParser(...lineParsers: StackLineParser[]): StackParser {
  return (stack, skipFirstLines = 0) => {
    if (typeof stack !== 'string' || !stack) return [];
    const frames: StackFrame[] = [];
    const lines = stack.split('\n');
    for (let i = Math.max(0, skipFirstLines); i < lines.length && frames.length < MAX_FRAMES; i++) {
      const rawLine = lines[i].replace(/\r$/, '');
      if (rawLine.length > MAX_LINE_LENGTH || HEADER_LINE.test(rawLine)) continue;
      const line = rawLine.replace(WEBPACK_ERROR_WRAPPER, '$1');
      const frame = parseLine(lineParsers, line);
      if (frame) frames.push(frame);
    }
    return frames.reverse();
  };
}

export const defaultStackParser: StackParser = createStackParser(
  v8StackLineParser,
  geckoStackLineParser,
  javaScriptCoreStackLineParser,
);
