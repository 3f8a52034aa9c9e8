// A real @faultline/node client (built package, default integrations) whose transport hands each
// envelope to the bench instead of the network, so a case can await the end of the pipeline, and
// reports the categories in `rateLimited` as limited, as core's transport does after a 429.
const faultline = await import(new URL('../../packages/node/dist/index.js', import.meta.url).href);

let waiting = [];

/** Categories the transport reports as rate-limited. */
export const rateLimited = new Set();

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
      isRateLimited: (category) => rateLimited.has(category),
    }),
    ...options,
  });
  return faultline;
}

/** The next envelope the SDK sends. */
export function nextEnvelope() {
  return new Promise((resolve) => waiting.push(resolve));
}
