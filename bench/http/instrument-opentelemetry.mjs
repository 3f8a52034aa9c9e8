// `--import`ed before the app: the OpenTelemetry Node SDK with the http instrumentation and an
// exporter that drops every batch, so what is measured is the instrumentation and span pipeline.
import { HttpInstrumentation } from '@opentelemetry/instrumentation-http';
import { NodeSDK } from '@opentelemetry/sdk-node';

const noopExporter = {
  export(_spans, resultCallback) {
    resultCallback({ code: 0 });
  },
  shutdown: () => Promise.resolve(),
  forceFlush: () => Promise.resolve(),
};

new NodeSDK({
  serviceName: 'bench-app',
  traceExporter: noopExporter,
  instrumentations: [new HttpInstrumentation()],
}).start();
