/**
 * What a handled request leaves to the garbage collector. A request's objects die with it, in the
 * young generation, which is cheap to collect. Whatever keeps them through two scavenges is copied
 * into the old generation instead, and only a full mark-compact frees it: the app pays for the
 * request's objects three times over. On Node 22 and 24 every request did that (~1 KB each, against
 * ~0 without the SDK) while the SDK stored a closure of its own as the request's `emit`; Node 20 did
 * not. A fixture process (the built package, no test runner's objects in its heap) loads a server kept
 * out of the instrumentation and an instrumented one in turns, over keep-alive connections, and reads
 * with v8.GCProfiler what each scavenge added to the old generation.
 */
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { expect, it } from 'vitest';

const packageDir = fileURLToPath(new URL('..', import.meta.url));
const fixture = fileURLToPath(
  new URL('./fixtures/young-generation/promoted-per-request.mjs', import.meta.url),
);

interface Window {
  bytes: number;
  scavenges: number;
}

const median = (windows: Window[]) => {
  const bytes = windows.map((window) => window.bytes).sort((a, b) => a - b);
  return bytes[bytes.length >> 1]!;
};

it.each([
  ['', false],
  [', with sendDefaultPii (its body captured)', true],
])(
  'a request handled in its own scopes leaves nothing for the old generation%s',
  async (_, pii) => {
    if (!existsSync(fileURLToPath(new URL('../dist/index.js', import.meta.url)))) {
      throw new Error('This test runs the built package: run `pnpm build` first.');
    }
    const { stdout } = await promisify(execFile)(process.execPath, [fixture], {
      cwd: packageDir,
      // Nothing listens there: the fixture sends no event, and the SDK must not need an ingest to run.
      env: {
        PATH: process.env.PATH,
        FAULTLINE_DSN: 'http://public@127.0.0.1:9/1',
        SEND_DEFAULT_PII: pii ? '1' : '0',
      },
      timeout: 60_000,
    });
    const { baseline, instrumented } = JSON.parse(stdout) as Record<string, Window[]>;
    for (const window of [...baseline, ...instrumented]) expect(window.scavenges).toBeGreaterThan(1);
    // Three windows of 8,000 requests each; a request's whole graph, when kept, is ~1 KB.
    expect(median(instrumented) - median(baseline)).toBeLessThan(300);
  },
  90_000,
);
