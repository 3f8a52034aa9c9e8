// Starts and stops the checkout system's services as child processes, wired to each other.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const here = (path) => fileURLToPath(new URL(path, import.meta.url));

function startService(name, env) {
  const child = spawn(process.execPath, [here(`./services/${name}.mjs`)], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
      const port = new RegExp(`${name} listening (\\d+)`).exec(stdout)?.[1];
      if (port) resolve({ name, child, url: `http://127.0.0.1:${port}` });
    });
    child.once('exit', (code) => reject(new Error(`${name} exited (${code}) before listening:\n${stderr}`)));
  });
}

/** Starts inventory, payments, notifications and the gateway, reporting to `dsn`. */
export async function startCheckoutSystem(dsn) {
  const env = { FAULTLINE_DSN: dsn };
  const [inventory, payments, notifications] = await Promise.all([
    startService('inventory', env),
    startService('payments', env),
    startService('notifications', env),
  ]);
  const gateway = await startService('gateway', {
    ...env,
    INVENTORY_URL: inventory.url,
    PAYMENTS_URL: payments.url,
    NOTIFICATIONS_URL: notifications.url,
  });
  const services = [gateway, inventory, payments, notifications];
  return {
    gatewayUrl: gateway.url,
    notificationsUrl: notifications.url,
    /** SIGTERM lets each service flush what it captured (the SDK's exit handling), then waits for exits. */
    async stop() {
      await Promise.all(
        services.map(
          ({ child }) =>
            new Promise((resolve) => {
              if (child.exitCode !== null) return resolve();
              child.once('exit', resolve);
              child.kill('SIGTERM');
            }),
        ),
      );
    },
  };
}

/** Runs the storefront traffic driver; `onProgress(done, total)` follows it. Resolves with counts by status. */
export function runStorefront(gatewayUrl, dsn, count, onProgress) {
  const child = spawn(process.execPath, [here('./storefront.mjs'), String(count)], {
    env: { ...process.env, FAULTLINE_DSN: dsn, GATEWAY_URL: gatewayUrl },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  let output = '';
  child.stdout.on('data', (chunk) => {
    output += chunk;
    const progress = [...String(chunk).matchAll(/checkout (\d+)\/(\d+)/g)].at(-1);
    if (progress) onProgress?.(Number(progress[1]), Number(progress[2]));
  });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      const counts = output.trim().split('\n').at(-1);
      if (code !== 0) reject(new Error(`the storefront exited with ${code}`));
      else resolve(JSON.parse(counts));
    });
  });
}

/** Waits until the notifications worker has sent every queued message. */
export async function waitForQueue(notificationsUrl, timeoutMs = 30_000) {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const { pending } = await (await fetch(`${notificationsUrl}/queue`)).json();
    if (pending === 0) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error('the notifications queue did not drain');
}
