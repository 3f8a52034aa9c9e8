/** Opt-in trace propagation to child processes through SENTRY_TRACE / SENTRY_BAGGAGE, both sides real. */
import childProcess from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startIngest, type TestIngest } from '../../../test/ingest';
import { childProcessTraceIntegration, close, getDefaultIntegrations, init, startSpan } from '../src/index';

const PROCESS_HANDLERS = new Set(['OnUncaughtException', 'OnUnhandledRejection', 'ProcessExitFlush']);
const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(new URL('./fixtures/process/child-in-trace.mjs', import.meta.url));

let ingest: TestIngest;
beforeAll(async () => {
  if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
    throw new Error('The child process runs the built package: run `pnpm build` first.');
  }
  ingest = await startIngest();
  init({
    dsn: ingest.dsn,
    tracesSampleRate: 1,
    defaultIntegrations: getDefaultIntegrations().filter((i) => !PROCESS_HANDLERS.has(i.name)),
    integrations: [childProcessTraceIntegration()],
  });
});
afterAll(async () => {
  await close(2000);
  await ingest.close();
});

function runChild(viaSync: boolean): Promise<{ trace: string | null; baggage: string | null }> {
  const env = { PATH: process.env.PATH, FAULTLINE_DSN: ingest.dsn };
  if (viaSync) {
    const output = childProcess.execFileSync(process.execPath, [fixture], {
      cwd: packageDir,
      env,
      encoding: 'utf8',
    });
    return Promise.resolve(JSON.parse(output));
  }
  return new Promise((resolve, reject) => {
    childProcess.execFile(process.execPath, [fixture], { cwd: packageDir, env }, (error, stdout) =>
      error ? reject(error) : resolve(JSON.parse(stdout)),
    );
  });
}

describe('child processes spawned inside a span', () => {
  for (const viaSync of [false, true]) {
    it(`continue the parent's trace (${viaSync ? 'execFileSync' : 'execFile'})`, async () => {
      ingest.reset();
      const { traceId, spanId, seen } = await startSpan({ name: 'nightly export' }, async (span) => {
        const seen = await runChild(viaSync);
        return { ...span.spanContext(), seen };
      });
      expect(seen.trace).toBe(`${traceId}-${spanId}-1`);
      expect(seen.baggage).toContain(`sentry-trace_id=${traceId}`);
      await ingest.waitFor(() =>
        ingest.events().some((e) => e.exception?.values?.at(-1)?.value === 'failed in the child'),
      );
      const childEvent = ingest
        .events()
        .find((e) => e.exception?.values?.at(-1)?.value === 'failed in the child')!;
      expect(childEvent.contexts!.trace).toMatchObject({ trace_id: traceId, parent_span_id: spanId });
      expect(ingest.schemaErrors()).toEqual([]);
    });
  }

  it('outside a span the environment is left alone', async () => {
    const seen = await runChild(false);
    expect(seen).toEqual({ trace: null, baggage: null });
  });
});
