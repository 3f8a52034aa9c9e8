/**
 * From what the user passed to `init` to what the client runs with: env var fallbacks, defaults
 * and validation. Bad values give one clear warning and a disabled or clamped feature, never a throw.
 */
import type { ClientOptions } from './client-options';
import { debug } from './debug-logger';
import { resolveIntegrations } from './integration';
import type { SdkInfo } from './types/event';
import type { Integration } from './types/integration';
import type { Options } from './types/options';
import type { StackParser } from './types/stacktrace';
import type { Transport, TransportOptions } from './types/transport';

/** What a runtime package (node, browser, ...) supplies. */
export interface RuntimeDefaults {
  platform: string;
  sdk: SdkInfo;
  defaultIntegrations: Integration[];
  stackParser: StackParser;
  transport?: (options: TransportOptions) => Transport;
  /**
   * Reads `FAULTLINE_<suffix>` / `SENTRY_<suffix>` where the runtime has environment variables
   * (`getSdkEnvVar`), for `resolveClientOptions`.
   */
  readEnv?: (suffix: string) => string | undefined;
}

/**
 * For runtimes with environment variables (`runtime.readEnv`): options the user left unset are read
 * from `FAULTLINE_<suffix>` / `SENTRY_<suffix>` first, then resolved as `resolveOptions` does.
 */
export function resolveClientOptions(options: Options, runtime: RuntimeDefaults): ClientOptions {
  const env = runtime.readEnv;
  if (!env) return resolveOptions(options, runtime);
  const envNumber = (suffix: string): number | undefined => {
    const raw = env(suffix);
    return raw === undefined ? undefined : Number(raw);
  };
  return resolveOptions(
    {
      ...options,
      debug: options.debug ?? isTruthy(env('DEBUG')),
      dsn: options.dsn ?? env('DSN'),
      release: options.release ?? env('RELEASE'),
      environment: options.environment ?? env('ENVIRONMENT'),
      sampleRate: options.sampleRate ?? envNumber('SAMPLE_RATE'),
      tracesSampleRate: options.tracesSampleRate ?? envNumber('TRACES_SAMPLE_RATE'),
    },
    runtime,
  );
}

/**
 * Defaults and validation, without environment variables: what runtimes that have none (browsers)
 * call, so their bundles do not carry the lookups.
 */
export function resolveOptions(options: Options, runtime: RuntimeDefaults): ClientOptions {
  const debugEnabled = options.debug ?? false;
  if (debugEnabled) debug.enable();
  const { integrations, defaultIntegrations, transport, ...rest } = options;
  const { dsn } = options;
  if (!dsn) debug.log('No DSN: SDK disabled.');
  return {
    ...rest,
    dsn: dsn || undefined,
    debug: debugEnabled,
    environment: options.environment ?? 'production',
    sampleRate: validateRate('sampleRate', options.sampleRate) ?? 1,
    tracesSampleRate: validateRate('tracesSampleRate', options.tracesSampleRate),
    maxBreadcrumbs: validateCount(options, 'maxBreadcrumbs', 100),
    normalizeDepth: validateCount(options, 'normalizeDepth', 3),
    normalizeMaxBreadth: validateCount(options, 'normalizeMaxBreadth', 1000),
    sendDefaultPii: options.sendDefaultPii ?? false,
    sendClientReports: options.sendClientReports ?? true,
    stackParser: options.stackParser ?? runtime.stackParser,
    transport: transport ?? runtime.transport,
    platform: runtime.platform,
    sdk: options._metadata?.sdk ?? runtime.sdk,
    integrations: resolveIntegrations(runtime.defaultIntegrations, { integrations, defaultIntegrations }),
  };
}

/** A rate in [0, 1]: out-of-range values are clamped, non-numbers ignored, each with a warning. */
export function validateRate(name: string, value: unknown): number | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value !== 'number' || Number.isNaN(value)) {
    debug.warnOnce(`${name} must be a number in [0, 1], got ${JSON.stringify(value)}: ignored.`);
    return undefined;
  }
  if (value < 0 || value > 1) {
    const clamped = Math.min(1, Math.max(0, value));
    debug.warnOnce(`${name} must be in [0, 1], got ${value}: using ${clamped}.`);
    return clamped;
  }
  return value;
}

function validateCount(
  options: Options,
  name: 'maxBreadcrumbs' | 'normalizeDepth' | 'normalizeMaxBreadth',
  fallback: number,
): number {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) {
    debug.warnOnce(`${name} must be a number ≥ 0, got ${JSON.stringify(value)}: using ${fallback}.`);
    return fallback;
  }
  return Math.floor(value);
}

function isTruthy(value: string | undefined): boolean {
  return value !== undefined && /^(1|true|yes|on)$/i.test(value);
}
