// What a reader needs to compare a result: when, on which machine, with which exact versions.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../', import.meta.url));

const FAULTLINE_PACKAGES = ['core', 'node', 'express', 'fastify', 'browser'];
const THIRD_PARTY_PACKAGES = [
  '@sentry/node',
  '@sentry/browser',
  '@opentelemetry/sdk-node',
  '@opentelemetry/instrumentation-http',
  '@opentelemetry/api',
  'express',
  'fastify',
  'autocannon',
  'tinybench',
  'esbuild',
];

export function machineDescription() {
  const cpus = os.cpus();
  return {
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: (os.totalmem() / 1024 ** 3).toFixed(1),
    node: process.version,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
  };
}

/** [package, version] pairs; the Faultline packages are the workspace at `sourceRevision()`. */
export function versions() {
  const faultline = FAULTLINE_PACKAGES.map((name) => [
    `@faultline/${name}`,
    packageVersion(`${root}packages/${name}`),
  ]);
  const others = THIRD_PARTY_PACKAGES.map((name) => [name, packageVersion(`${root}node_modules/${name}`)]);
  return [...faultline, ...others];
}

function packageVersion(directory) {
  try {
    return JSON.parse(readFileSync(`${directory}/package.json`, 'utf8')).version;
  } catch {
    return 'not installed';
  }
}

export function sourceRevision() {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], {
      cwd: root,
      encoding: 'utf8',
    }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'packages'], {
      cwd: root,
      encoding: 'utf8',
    });
    return dirty.trim() ? `${head} + uncommitted changes in packages/` : head;
  } catch {
    return 'unknown (not a git checkout)';
  }
}
