/** Arguments of the `faultline` command. */
import { parseArgs } from 'node:util';
import type { DevServerOptions } from './dev-server';

export const USAGE = `Usage: faultline dev [options]

Starts the Faultline dev server: a local Sentry-compatible ingest with a web UI.
Point any Sentry or Faultline SDK at it with the DSN it prints.

Options:
  --port <n>          port to listen on (default 8969; 0 picks a free one)
  --host <address>    address to bind (default 127.0.0.1)
  --db <path>         SQLite file (default .faultline/devserver.sqlite)
  --max-events <n>    keep at most this many events (default 10000)
  --max-age <hours>   drop data older than this (default 168)
  --max-db-mb <n>     keep the database under this size (default 256)
  -h, --help          show this help
  -v, --version       print the version`;

export type CliCommand =
  | { command: 'dev'; options: DevServerOptions }
  | { command: 'help' }
  | { command: 'version' }
  | { command: 'error'; message: string };

export function parseCliArgs(argv: string[]): CliCommand {
  let parsed: ReturnType<typeof parse>;
  try {
    parsed = parse(argv);
  } catch (error) {
    return { command: 'error', message: (error as Error).message };
  }
  const { values, positionals } = parsed;
  if (values.help) return { command: 'help' };
  if (values.version) return { command: 'version' };
  if (positionals.length !== 1 || positionals[0] !== 'dev') {
    return {
      command: 'error',
      message: positionals.length === 0 ? 'missing command' : `unknown command "${positionals.join(' ')}"`,
    };
  }
  const numbers: Record<string, number | undefined> = {};
  for (const name of ['port', 'max-events', 'max-age', 'max-db-mb'] as const) {
    const raw = values[name];
    if (raw === undefined) continue;
    const number = Number(raw);
    if (
      !Number.isFinite(number) ||
      number < 0 ||
      (name === 'port' && (!Number.isInteger(number) || number > 65535))
    ) {
      return { command: 'error', message: `--${name} needs a non-negative number, got "${raw}"` };
    }
    numbers[name] = number;
  }
  const retention = {
    ...(numbers['max-events'] !== undefined && { maxEvents: numbers['max-events'] }),
    ...(numbers['max-age'] !== undefined && { maxAgeMs: numbers['max-age'] * 3_600_000 }),
    ...(numbers['max-db-mb'] !== undefined && { maxDbBytes: numbers['max-db-mb'] * 1024 * 1024 }),
  };
  return {
    command: 'dev',
    options: {
      ...(numbers.port !== undefined && { port: numbers.port }),
      ...(values.host && { host: values.host }),
      ...(values.db && { dbPath: values.db }),
      ...(Object.keys(retention).length > 0 && { retention }),
    },
  };
}

function parse(argv: string[]) {
  return parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      db: { type: 'string' },
      'max-events': { type: 'string' },
      'max-age': { type: 'string' },
      'max-db-mb': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
      version: { type: 'boolean', short: 'v' },
    },
  });
}
