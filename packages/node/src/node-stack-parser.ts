/** Node's stack parser: V8 frames plus module names and Node's in-app rules. */
import { dirname, posix, sep } from 'node:path';
import {
  createStackParser,
  detachedString,
  type StackFrame,
  type StackLineParser,
  type StackParser,
  v8StackLineParser,
} from '@faultline/core';

const SCRIPT_EXTENSIONS = new Set(['.js', '.mjs', '.cjs', '.ts', '.mts', '.cts', '.jsx', '.tsx']);
const NODE_MODULES_DIR = '/node_modules/';
/** Source and build folders of a package that lives in an `@faultline/` scope or a monorepo `packages/`. */
const SDK_CODE_LOCATION = /^(.*\/(?:@faultline|packages))\/[^/]+\/(?:src|dist)\//;

function toPosixPath(path: string): string {
  return path.replace(/\\/g, '/');
}

function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

/** Where the app's own files live: the entry script's folder, or the working directory for REPLs and CLIs. */
function defaultAppRoot(): string {
  const entry = process.argv[1];
  if (entry && isAbsolutePath(entry) && !toPosixPath(entry).includes(NODE_MODULES_DIR)) {
    return dirname(entry);
  }
  try {
    return process.cwd();
  } catch {
    return '/';
  }
}

/**
 * Module names in Sentry's format, so the server groups frames the same way: `pkg.sub:file` for
 * dependencies (the path below the last `node_modules`), `dir.sub:file` for app files below the app root,
 * and the bare file name elsewhere. Extensions are dropped.
 */
export function createGetModuleFromFilename(
  appRoot: string = defaultAppRoot(),
  isWindows: boolean = sep === '\\',
): (filename: string) => string | undefined {
  const root = (isWindows ? toPosixPath(appRoot) : appRoot).replace(/\/+$/, '');
  return (filename) => {
    if (!filename) return undefined;
    const parsed = posix.parse(isWindows ? toPosixPath(filename) : filename);
    const base = SCRIPT_EXTENSIONS.has(parsed.ext) ? parsed.name : parsed.base;
    const file = safeDecode(base);
    const dir = parsed.dir || '.';

    const nodeModules = `${dir}/`.lastIndexOf(NODE_MODULES_DIR);
    if (nodeModules > -1) {
      const packagePath = dir.slice(nodeModules + NODE_MODULES_DIR.length);
      return packagePath ? `${packagePath.replace(/\//g, '.')}:${file}` : file;
    }
    if (dir === root || dir.startsWith(`${root}/`)) {
      const relative = dir.slice(root.length + 1).replace(/\//g, '.');
      return relative ? `${relative}:${file}` : file;
    }
    return file;
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/**
 * The folder that holds the SDK's own packages (`node_modules/@faultline`, or `packages` in the SDK's
 * monorepo), found from where this module was loaded so a bundled copy never disowns the host app's files.
 */
function sdkPackagesFolder(): string | undefined {
  try {
    const stack = new Error().stack ?? '';
    const ownLine = stack.split('\n').find((line) => v8StackLineParser(line)?.filename);
    const ownFile = ownLine ? v8StackLineParser(ownLine)?.filename : undefined;
    return ownFile ? SDK_CODE_LOCATION.exec(toPosixPath(ownFile))?.[1] : undefined;
  } catch {
    return undefined;
  }
}

const SDK_PACKAGES_FOLDER = sdkPackagesFolder();

function isSdkFile(posixPath: string): boolean {
  return SDK_PACKAGES_FOLDER !== undefined && SDK_CODE_LOCATION.exec(posixPath)?.[1] === SDK_PACKAGES_FOLDER;
}

function isInApp(filename: string, posixPath: string): boolean {
  if (!isAbsolutePath(filename)) return false;
  if (posixPath.includes(NODE_MODULES_DIR)) return false;
  return !isSdkFile(posixPath);
}

function withNodeDetails(frame: StackFrame, getModule: (filename: string) => string | undefined): StackFrame {
  const { filename } = frame;
  if (!filename) return frame;
  const posixPath = toPosixPath(filename);
  frame.in_app = frame.in_app !== false && isInApp(filename, posixPath);
  if (isAbsolutePath(filename)) {
    frame.abs_path = filename;
    const module = getModule(filename);
    if (module) frame.module = module;
  }
  return frame;
}

/**
 * Parsed lines kept per parser. A server's errors come from a bounded set of code locations, and a
 * line parsed cold (as rare errors are) costs ~20,000 instructions against ~2,500 to look it up and
 * copy it. When full the cache starts over: no bookkeeping per hit.
 */
const CACHED_LINES = 500;

/** A V8 stack parser whose frames carry `module`, `abs_path` and Node's `in_app` rules. */
export function createNodeStackParser(
  getModule: (filename: string) => string | undefined = createGetModuleFromFilename(),
): StackParser {
  const parsedLines = new Map<string, StackFrame | undefined>();
  const nodeLineParser: StackLineParser = (line) => {
    let frame = parsedLines.get(line);
    if (frame === undefined && !parsedLines.has(line)) {
      // Parsed from a detached copy: the frame's strings are slices of the line, and the line of its
      // error's whole stack text, which the cache would otherwise keep alive.
      line = detachedString(line);
      const parsed = v8StackLineParser(line);
      frame = parsed && withNodeDetails(parsed, getModule);
      if (parsedLines.size >= CACHED_LINES) parsedLines.clear();
      parsedLines.set(line, frame);
    }
    // A copy: events' frames are written to later (context lines, processors, beforeSend).
    return frame && Object.assign({}, frame);
  };
  return createStackParser(nodeLineParser);
}

export const nodeStackParser: StackParser = createNodeStackParser();
