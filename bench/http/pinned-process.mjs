// Starts a Node process pinned to one CPU core (taskset execs node, so the pid is node's) and waits
// for the `listening <port>` line every bench server prints once ready.
import { spawn } from 'node:child_process';
import { performance } from 'node:perf_hooks';

const READY_TIMEOUT_MS = 30_000;

/** Resolves { child, port, spawnedAt } where spawnedAt is the performance.now() just before spawn. */
export function startPinned(core, nodeArgs, env) {
  const spawnedAt = performance.now();
  const child = spawn('taskset', ['-c', String(core), process.execPath, ...nodeArgs], {
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr = (stderr + chunk).slice(-4000);
  });
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => fail(new Error(`${nodeArgs.join(' ')} not ready in time`)),
      READY_TIMEOUT_MS,
    );
    let stdout = '';
    const onData = (chunk) => {
      stdout += chunk;
      const match = /listening (\d+)/.exec(stdout);
      if (!match) return;
      clearTimeout(timer);
      child.stdout.off('data', onData);
      child.stdout.resume();
      child.off('exit', onExit);
      resolve({ child, port: Number(match[1]), spawnedAt, stderr: () => stderr });
    };
    const onExit = (code) => fail(new Error(`${nodeArgs.join(' ')} exited with ${code}: ${stderr}`));
    function fail(error) {
      clearTimeout(timer);
      child.kill('SIGKILL');
      reject(error);
    }
    child.stdout.on('data', onData);
    child.once('exit', onExit);
  });
}

export async function stopProcess(child) {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGKILL');
  await exited;
}
