/**
 * Finds the copies of Express the process loaded, at the first request of each HTTP server, and
 * instruments their router layers, so routes are named even before (or without)
 * `setupExpressErrorHandler`, and a missing error handler is noticed. Reads the module cache only;
 * nothing is loaded. Bundled apps are instrumented through `setupExpressErrorHandler(app)` instead.
 */
import { subscribe } from 'node:diagnostics_channel';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { debug, type Integration } from '@faultline/node';
import { instrumentLayerPrototype } from './layer-instrumentation';

const LAYER_MODULE = /[\\/]node_modules[\\/](?:express[\\/]lib[\\/]router|router[\\/]lib)[\\/]layer\.js$/;

export function expressIntegration(): Integration {
  return {
    name: 'Express',
    setupOnce() {
      const seenServers = new WeakSet<object>();
      subscribe('http.server.request.start', (message) => {
        const { server } = message as { server?: object };
        if (!server || seenServers.has(server)) return;
        seenServers.add(server);
        instrumentLoadedExpress();
      });
    },
  };
}

function instrumentLoadedExpress(): void {
  try {
    const cache = createRequire(join(process.cwd(), 'index.js')).cache;
    for (const [file, loaded] of Object.entries(cache)) {
      if (!LAYER_MODULE.test(file)) continue;
      const Layer = loaded?.exports as { prototype?: unknown } | undefined;
      if (typeof Layer === 'function') instrumentLayerPrototype(Layer.prototype);
    }
  } catch (sdkError) {
    debug.errorOnce('Faultline: failed to look for Express', sdkError);
  }
}
