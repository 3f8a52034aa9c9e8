#!/usr/bin/env node
/** `faultline dev`: runs the dev server until Ctrl-C. */
import { createRequire } from 'node:module';
import { parseCliArgs, USAGE } from './cli-args';
import { startDevServer } from './dev-server';

async function main(): Promise<number> {
  const parsed = parseCliArgs(process.argv.slice(2));
  switch (parsed.command) {
    case 'help':
      console.log(USAGE);
      return 0;
    case 'version':
      console.log((createRequire(import.meta.url)('../package.json') as { version: string }).version);
      return 0;
    case 'error':
      console.error(`faultline: ${parsed.message}\n\n${USAGE}`);
      return 2;
  }
  const server = await startDevServer({
    ...parsed.options,
    log: (line) => console.error(`[faultline] ${line}`),
  });
  console.log(`Faultline dev server: ${server.url}
  UI            ${server.url}/
  DSN           ${server.dsn()}
  Spotlight     ${server.url}/stream
  JSON API      ${server.url}/api/issues, /api/traces, /api/stream
Press Ctrl-C to stop.`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await server.close();
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: Error & { code?: string }) => {
    console.error(
      error.code === 'EADDRINUSE'
        ? 'faultline: the port is in use; choose another with --port'
        : `faultline: ${error.stack ?? error.message}`,
    );
    process.exitCode = 1;
  },
);
