// A real @faultline/node client (built package, default integrations) whose transport hands each
// envelope to the bench instead of the network, so a case can await the end of the pipeline.
const faultline = await import(new URL('../../packages/node/dist/index.js', import.meta.url).href);

let waiting = [];

export function startSdk(options) {
  faultline.init({
    dsn: 'http://0123456789abcdef0123456789abcdef@127.0.0.1:9/1',
    transport: () => ({
      send(envelope) {
        const resolvers = waiting;
        waiting = [];
        for (const resolve of resolvers) resolve(envelope);
        return Promise.resolve({ statusCode: 200 });
      },
      flush: () => Promise.resolve(true),
    }),
    ...options,
  });
  return faultline;
}

/** The next envelope the SDK sends. */
export function nextEnvelope() {
  return new Promise((resolve) => waiting.push(resolve));
}
