// The SDK set-ups the HTTP bench compares. Each runs in a fresh app process; `instrument` is the
// file `--import`ed before the app loads (the set-up Sentry's and OpenTelemetry's docs prescribe;
// Faultline is initialised the same way so every SDK starts at the same point).
const instrument = (name) => new URL(`./instrument-${name}.mjs`, import.meta.url).pathname;

export const CONFIGURATIONS = [
  { id: 'none', label: 'no SDK', sdk: 'none' },
  {
    id: 'async-context',
    label: 'no SDK, each request in an AsyncLocalStorage store',
    sdk: 'none',
    instrument: instrument('async-context'),
  },
  {
    id: 'faultline-errors',
    label: 'Faultline errors-only',
    sdk: 'faultline',
    instrument: instrument('faultline'),
  },
  {
    id: 'faultline-0.1',
    label: 'Faultline tracing 0.1',
    sdk: 'faultline',
    tracesSampleRate: 0.1,
    instrument: instrument('faultline'),
  },
  {
    id: 'faultline-1.0',
    label: 'Faultline tracing 1.0',
    sdk: 'faultline',
    tracesSampleRate: 1,
    instrument: instrument('faultline'),
  },
  { id: 'sentry-errors', label: '@sentry/node errors-only', sdk: 'sentry', instrument: instrument('sentry') },
  {
    id: 'sentry-0.1',
    label: '@sentry/node tracing 0.1',
    sdk: 'sentry',
    tracesSampleRate: 0.1,
    instrument: instrument('sentry'),
  },
  {
    id: 'sentry-1.0',
    label: '@sentry/node tracing 1.0',
    sdk: 'sentry',
    tracesSampleRate: 1,
    instrument: instrument('sentry'),
  },
  {
    id: 'opentelemetry',
    label: 'OpenTelemetry (http, no-op exporter)',
    sdk: 'opentelemetry',
    instrument: instrument('opentelemetry'),
  },
];

export const BASELINE_ID = 'none';

/** The configuration with this id; throws for an unknown one. */
export function configurationById(id) {
  const configuration = CONFIGURATIONS.find((candidate) => candidate.id === id);
  if (!configuration) throw new Error(`unknown configuration ${id}`);
  return configuration;
}
