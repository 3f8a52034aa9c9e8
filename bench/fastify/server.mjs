// One benchmark server: `node server.mjs <fastify4|fastify5> <mode>`, mode one of `none`, `init`
// (the SDK without the plugin), `plugin`, `plugin+lifecycleSpans`; sends its port to the parent
// process once listening, then its CPU time whenever asked. BENCH_TRACES_SAMPLE_RATE sets
// tracesSampleRate (default 1).
import { createRequire } from 'node:module';

const [major, mode] = process.argv.slice(2);
const require = createRequire(new URL('../../packages/fastify/package.json', import.meta.url));
const createApp = require(major);

let plugin;
if (mode !== 'none') {
  const faultline = await import('../../packages/fastify/dist/index.js');
  faultline.init({
    dsn: process.env.BENCH_DSN,
    tracesSampleRate: Number(process.env.BENCH_TRACES_SAMPLE_RATE ?? 1),
    integrations: (defaults) => defaults.filter((i) => i.name !== 'Console'),
  });
  if (mode !== 'init') {
    plugin = [faultline.faultlineFastify, { lifecycleSpans: mode === 'plugin+lifecycleSpans' }];
  }
}

const app = createApp({ logger: false });
if (plugin) await app.register(...plugin);
app.addHook('onRequest', function authenticate(request, _reply, done) {
  request.headers['x-user'] = 'bench';
  done();
});
app.addHook('preHandler', async function authorize() {});
app.get('/users/:id', async function getUser(request) {
  return { id: request.params.id, name: 'Ada', roles: ['admin', 'dev'] };
});
await app.listen({ port: 0, host: '127.0.0.1' });
process.send(app.server.address().port);
// CPU time spent so far, asked for around each measured load: less sensitive than req/s to other
// processes competing for the cores.
process.on('message', () => {
  const { user, system } = process.cpuUsage();
  process.send({ cpuMicros: user + system });
});
