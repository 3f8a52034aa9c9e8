/** Reads environment variables where the runtime has them (Node, Deno, Bun), without importing anything. */

export function getEnvVar(name: string): string | undefined {
  try {
    const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
    const value = env?.[name];
    return value === undefined || value === '' ? undefined : value;
  } catch {
    // Deno without --allow-env throws on access.
    return undefined;
  }
}

/** The first `FAULTLINE_X` then `SENTRY_X` variable that is set. */
export function getSdkEnvVar(suffix: string): string | undefined {
  return getEnvVar(`FAULTLINE_${suffix}`) ?? getEnvVar(`SENTRY_${suffix}`);
}
