// What every service of the example shares: its name, the release, and how it reports its port.
export const RELEASE = 'checkout@1.4.0';

export function serviceOptions(name) {
  return {
    dsn: process.env.FAULTLINE_DSN,
    release: RELEASE,
    environment: 'demo',
    serverName: name,
    tracesSampleRate: 1,
    initialScope: { tags: { service: name } },
  };
}

/** The demo reads this line to learn the port (services listen on port 0 unless PORT is set). */
export function announce(name, port) {
  console.log(`${name} listening ${port}`);
}

export const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
