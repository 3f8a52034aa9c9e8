// Notifications (Express): a queue-style hand-off. The gateway publishes a message whose headers carry
// the trace (injectTraceHeaders); a worker picks messages up later and continues that trace
// (extractTraceContext + continueTrace), so the e-mail send shows up in the checkout's trace. Built-in
// fault: a slow e-mail provider.
import {
  continueTrace,
  extractTraceContext,
  httpServerIntegration,
  init,
  setupExpressErrorHandler,
  startSpan,
  withIsolationScope,
} from '@faultline/express';
import express from 'express';
import { announce, serviceOptions, sleep } from './service.mjs';

// The demo polls GET /queue to know when the worker is done: a health-style check, not traffic.
init({
  ...serviceOptions('notifications'),
  integrations: [httpServerIntegration({ ignoreIncomingRequests: [/^\/queue$/] })],
});

const queue = [];
let working = 0;
const app = express();
app.use(express.json());

app.post('/queue/:topic', (req, res) => {
  queue.push({ topic: req.params.topic, headers: req.body.headers ?? {}, body: req.body.body });
  res.status(202).json({ queued: queue.length });
  void drain();
});
app.get('/queue', (_req, res) => res.json({ pending: queue.length + working }));

async function drain() {
  while (queue.length) {
    const message = queue.shift();
    working++;
    try {
      // Each message is its own unit of work: its own isolation scope, the publisher's trace.
      await withIsolationScope(() =>
        continueTrace(extractTraceContext(message.headers), () =>
          startSpan(
            { name: `process ${message.topic}`, op: 'queue.process', forceTransaction: true, source: 'task' },
            async () => {
              await startSpan({ name: 'render e-mail template', op: 'function' }, () => sleep(5));
              // The slow provider: most sends take ~100 ms, some over a second.
              const latency = Math.random() < 0.2 ? 1200 + Math.random() * 600 : 80 + Math.random() * 60;
              await startSpan({ name: 'POST https://mail-provider.example/send', op: 'http.client' }, () =>
                sleep(latency),
              );
            },
          ),
        ),
      );
    } finally {
      working--;
    }
  }
}

setupExpressErrorHandler(app);
const server = app.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () =>
  announce('notifications', server.address().port),
);
