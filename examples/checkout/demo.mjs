#!/usr/bin/env node
// The checkout demo: a dev server, the four services, a burst of checkouts with realistic faults,
// then a report of what broke and where. `--ci` runs headless, checks the failing trace crosses
// gateway → payments with the error attached, and exits (0 when everything worked).
import { startDevServer } from '@faultline/devserver';
import { collectReport, formatReport } from './report.mjs';
import { runStorefront, startCheckoutSystem, waitForQueue } from './system.mjs';

const args = process.argv.slice(2);
const ci = args.includes('--ci');
const option = (name, fallback) => {
  const index = args.indexOf(name);
  return index >= 0 ? args[index + 1] : fallback;
};
const checkouts = Number(option('--checkouts', ci ? 40 : 120));
const port = Number(option('--port', ci ? 0 : 8969));
const dbPath = option('--db', ci ? ':memory:' : '.faultline/demo.sqlite');

const devServer = await startDevServer({ port, dbPath });
const dsn = devServer.dsn();
console.log(`Faultline dev server on ${devServer.url}`);
const system = await startCheckoutSystem(dsn);
console.log(`Services up: gateway ${system.gatewayUrl}; running ${checkouts} checkouts`);

let exitCode = 0;
try {
  const counts = await runStorefront(system.gatewayUrl, dsn, checkouts, (done, total) => {
    const filled = Math.round((done / total) * 30);
    process.stdout.write(`\r[${'#'.repeat(filled)}${'.'.repeat(30 - filled)}] ${done}/${total} checkouts`);
  });
  process.stdout.write('\n');
  await waitForQueue(system.notificationsUrl);
  await system.stop();
  const report = await collectReport(devServer.url);
  console.log(formatReport(report, counts, devServer.url));
  const paymentBug = report.issues.find((i) => i.services.includes('payments') && i.type === 'TypeError');
  const failingOk =
    report.failing?.spans.some((s) => s.service === 'payments' && s.error) &&
    report.failing.services.includes('gateway');
  if (!paymentBug || !failingOk) {
    console.error('\nThe demo did not show the payment bug on a gateway → payments trace.');
    exitCode = 1;
  } else if (ci) {
    console.log('\nDemo OK: the failing checkout crosses gateway → payments with the error attached.');
  }
} catch (error) {
  console.error(error);
  exitCode = 1;
  await system.stop();
}

if (ci || exitCode !== 0) {
  await devServer.close();
  process.exit(exitCode);
}
console.log('\nThe dev server keeps running for the UI; press Ctrl+C to stop.');
process.on('SIGINT', async () => {
  await devServer.close();
  process.exit(0);
});
