import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseCliArgs } from '../src/cli-args';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');

describe('faultline command arguments', () => {
  it('parses dev with its options', () => {
    expect(parseCliArgs(['dev', '--port', '9000', '--db', '/tmp/x.sqlite', '--host', '0.0.0.0'])).toEqual({
      command: 'dev',
      options: { port: 9000, host: '0.0.0.0', dbPath: '/tmp/x.sqlite' },
    });
    expect(parseCliArgs(['dev', '--max-events', '50', '--max-age', '2', '--max-db-mb', '8'])).toEqual({
      command: 'dev',
      options: { retention: { maxEvents: 50, maxAgeMs: 7_200_000, maxDbBytes: 8 * 1024 * 1024 } },
    });
    expect(parseCliArgs(['dev'])).toEqual({ command: 'dev', options: {} });
  });

  it('reports bad input instead of starting', () => {
    expect(parseCliArgs([])).toMatchObject({ command: 'error', message: 'missing command' });
    expect(parseCliArgs(['serve'])).toMatchObject({ command: 'error', message: 'unknown command "serve"' });
    expect(parseCliArgs(['dev', '--port', 'abc'])).toMatchObject({ command: 'error' });
    expect(parseCliArgs(['dev', '--port', '70000'])).toMatchObject({ command: 'error' });
    expect(parseCliArgs(['dev', '--bogus'])).toMatchObject({ command: 'error' });
    expect(parseCliArgs(['--help'])).toEqual({ command: 'help' });
    expect(parseCliArgs(['-v'])).toEqual({ command: 'version' });
  });
});

describe('faultline dev, run as a process', () => {
  // The command is bundled from source next to package.json (where it finds its version and node_modules).
  let buildDir: string;
  let cli: string;
  let dataDir: string;
  beforeAll(async () => {
    buildDir = mkdtempSync(join(packageDir, '.cli-test-'));
    dataDir = mkdtempSync(join(tmpdir(), 'faultline-cli-'));
    cli = join(buildDir, 'cli.mjs');
    await build({
      entryPoints: [join(packageDir, 'src/cli.ts')],
      outfile: cli,
      bundle: true,
      platform: 'node',
      format: 'esm',
      external: ['better-sqlite3'],
      alias: { '@faultline/core': join(packageDir, '../core/src/index.ts') },
      logLevel: 'silent',
    });
  });
  afterAll(() => {
    rmSync(buildDir, { recursive: true, force: true });
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints its version and usage', async () => {
    const run = promisify(execFile);
    expect((await run(process.execPath, [cli, '--version'])).stdout.trim()).toBe('0.1.0');
    expect((await run(process.execPath, [cli, '--help'])).stdout).toContain('Usage: faultline dev');
    await expect(run(process.execPath, [cli, 'nonsense'])).rejects.toMatchObject({ code: 2 });
  });

  it('starts, serves, and stops cleanly on SIGINT', async () => {
    const child: ChildProcess = spawn(
      process.execPath,
      [cli, 'dev', '--port', '0', '--db', join(dataDir, 'cli.sqlite')],
      {
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      const banner = await new Promise<string>((resolve, reject) => {
        let output = '';
        child.stdout!.on('data', (chunk: Buffer) => {
          output += chunk;
          if (output.includes('Ctrl-C')) resolve(output);
        });
        child.on('exit', () => reject(new Error(`exited early: ${output}`)));
      });
      const url = /Faultline dev server: (http:\/\/\S+)/.exec(banner)![1]!;
      expect(banner).toMatch(/DSN\s+http:\/\/faultline@127\.0\.0\.1:\d+\/1/);
      expect(await (await fetch(`${url}/api/health`)).json()).toEqual({ ok: true });
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });
});
