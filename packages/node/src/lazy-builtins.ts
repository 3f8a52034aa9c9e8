/**
 * Builtins loaded through `process.getBuiltinModule` when first needed instead of imported: those
 * only some processes use (sockets to the ingest, patched client modules), and those whose ESM
 * import costs start-up. An ESM import of a builtin builds its namespace from every export, lazy
 * getters included: `node:fs` then loads its streams and `fs/promises`, `node:readline` its promise
 * API, `node:util` its argument parser and MIME classes, `node:module` the source map support. With
 * `node:zlib` that was ~5 ms of start-up in every process, for code most processes never run.
 */
type Builtins = {
  child_process: typeof import('node:child_process');
  fs: typeof import('node:fs');
  http: typeof import('node:http');
  module: typeof import('node:module');
  net: typeof import('node:net');
  readline: typeof import('node:readline');
  tls: typeof import('node:tls');
  util: typeof import('node:util');
  zlib: typeof import('node:zlib');
};

const loaded: Partial<Builtins> = {};

function builtin<K extends keyof Builtins>(name: K): Builtins[K] {
  const known = loaded[name];
  if (known) return known as Builtins[K];
  const module = process.getBuiltinModule(`node:${name}`) as Builtins[K];
  loaded[name] = module;
  return module;
}

export const childProcess = (): Builtins['child_process'] => builtin('child_process');
export const fs = (): Builtins['fs'] => builtin('fs');
export const fsPromises = (): Builtins['fs']['promises'] => builtin('fs').promises;
export const http = (): Builtins['http'] => builtin('http');
export const nodeModule = (): Builtins['module'] => builtin('module');
export const net = (): Builtins['net'] => builtin('net');
export const readline = (): Builtins['readline'] => builtin('readline');
export const tls = (): Builtins['tls'] => builtin('tls');
export const util = (): Builtins['util'] => builtin('util');
export const zlib = (): Builtins['zlib'] => builtin('zlib');
