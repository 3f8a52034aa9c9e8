// An orders service: `GET /orders/:id` calls DOWNSTREAM_URL (trace headers added by the SDK),
// `GET /orders/:id/fail` throws. Env: PORT (0 = any free port), FAULTLINE_DSN, DOWNSTREAM_URL,
// TRACES_SAMPLE_RATE (default 1). Prints `listening on <port>` when ready.
import * as Faultline from '@faultline/express';
import express from 'express';

Faultline.init({
  dsn: process.env.FAULTLINE_DSN,
  release: 'orders@1.0.0',
  tracesSampleRate: Number(process.env.TRACES_SAMPLE_RATE ?? 1),
});

const downstream = process.env.DOWNSTREAM_URL;
const app = express();

app.use(function identifyCaller(req, _res, next) {
  const caller = req.header('x-user-id');
  if (caller) Faultline.setUser({ id: caller });
  next();
});

app.get('/orders/:id', async (req, res) => {
  const quote = downstream
    ? await (await fetch(`${downstream}/quotes/${req.params.id}`)).text()
    : 'no downstream';
  res.json({ order: req.params.id, quote });
});

app.get('/orders/:id/fail', function loadBrokenOrder(req) {
  throw new Error(`order ${req.params.id} could not be loaded`);
});

Faultline.setupExpressErrorHandler(app);
app.use((_error, _req, res, _next) => {
  res.status(500).json({ error: 'internal error' });
});

const server = app.listen(Number(process.env.PORT ?? 3000), () => {
  console.log(`listening on ${server.address().port}`);
});
