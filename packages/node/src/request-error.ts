/**
 * Capturing an error raised while handling a request, as framework error hooks do: `handled: false`
 * with the framework's mechanism, only for responses the app would count as server errors (≥ 500
 * unless `shouldHandleError` says otherwise), once per error object (core marks captured errors).
 */
import { captureException } from '@faultline/core';

export interface RequestErrorOptions {
  /** Which errors to report, given the response status they lead to; default: status ≥ 500. */
  shouldHandleError?: (error: unknown, statusCode: number) => boolean;
}

/** The status code an error asks for (`status`, `statusCode`, `status_code`), else 500. */
export function statusCodeOfError(error: unknown): number {
  if (typeof error === 'object' && error !== null) {
    const record = error as Record<string, unknown>;
    for (const key of ['status', 'statusCode', 'status_code']) {
      const value = Number(record[key]);
      if (Number.isInteger(value) && value >= 100 && value <= 599) return value;
    }
  }
  return 500;
}

export function defaultShouldHandleError(_error: unknown, statusCode: number): boolean {
  return statusCode >= 500;
}

/** Returns the event id, or undefined when the error is not one to report. */
export function captureRequestError(
  error: unknown,
  mechanismType: string,
  statusCode: number,
  options: RequestErrorOptions = {},
): string | undefined {
  const shouldHandle = options.shouldHandleError ?? defaultShouldHandleError;
  let handle: boolean;
  try {
    handle = shouldHandle(error, statusCode);
  } catch {
    handle = defaultShouldHandleError(error, statusCode);
  }
  if (!handle) return undefined;
  return captureException(error, { mechanism: { type: mechanismType, handled: false } });
}
