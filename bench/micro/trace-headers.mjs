// Trace propagation headers: parsing an incoming sentry-trace + baggage pair into a propagation
// context, and injecting sentry-trace + baggage into an outgoing carrier inside a sampled span.
import { runCases } from './measure.mjs';
import { startSdk } from './sdk-under-test.mjs';

const faultline = startSdk({ tracesSampleRate: 1 });

const incoming = {
  sentryTrace: '771a43a4192642f0b136d5159a501700-a5a1b6dbf2a24ba8-1',
  baggage:
    'sentry-trace_id=771a43a4192642f0b136d5159a501700,sentry-public_key=0123456789abcdef0123456789abcdef,' +
    'sentry-sample_rate=1,sentry-sampled=true,sentry-release=shop%401.4.0,sentry-environment=production,' +
    'other-vendor=value',
};

await faultline.startSpan({ name: 'outgoing', op: 'http.client' }, () =>
  runCases([
    { name: 'parse sentry-trace + baggage', fn: () => faultline.propagationContextFromIncoming(incoming) },
    { name: 'inject sentry-trace + baggage', fn: () => faultline.injectTraceHeaders({}) },
  ]),
);
