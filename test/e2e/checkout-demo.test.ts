/**
 * Acceptance (issue 7): the checkout demo runs end to end in CI mode against its dev server, prints
 * the report, and the failing checkout's trace crosses gateway → payments with the error attached.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const demo = fileURLToPath(new URL('../../examples/checkout/demo.mjs', import.meta.url));

describe('the checkout demo (--ci)', () => {
  it('drives checkouts through four services and reports the payment bug on a gateway → payments trace', () => {
    if (!existsSync(fileURLToPath(new URL('../../packages/devserver/dist/index.js', import.meta.url)))) {
      throw new Error('The demo runs the built packages: run `pnpm build` first.');
    }
    const result = spawnSync(process.execPath, [demo, '--ci', '--checkouts', '30'], {
      encoding: 'utf8',
      timeout: 120_000,
    });
    expect(result.stderr).not.toContain('did not show');
    expect(result.status, result.stdout + result.stderr).toBe(0);
    const output = result.stdout;
    expect(output).toMatch(/Checkouts: .*× 200/);
    expect(output).toMatch(
      /\d+ events\s+\d+ users\s+TypeError: Cannot read properties of undefined \(reading 'amount'\)/,
    );
    expect(output).toContain('A failing checkout');
    expect(output).toMatch(/payments http\.server POST \/charge\/:cartId.*✖ TypeError/);
    expect(output).toContain('The slowest checkout');
    expect(output).toContain('Demo OK');
  }, 150_000);
});
