/** Span statuses as the protocol names them (PROTOCOL.md §3.2) and the mapping from HTTP codes. */

export type SpanStatus =
  | 'ok'
  | 'cancelled'
  | 'unknown'
  | 'invalid_argument'
  | 'deadline_exceeded'
  | 'not_found'
  | 'already_exists'
  | 'permission_denied'
  | 'resource_exhausted'
  | 'failed_precondition'
  | 'aborted'
  | 'out_of_range'
  | 'unimplemented'
  | 'internal_error'
  | 'unavailable'
  | 'data_loss'
  | 'unauthenticated';

/** The codes with a status of their own; other 4xx are `invalid_argument`, other 5xx `internal_error`. */
const BY_CODE: Record<number, SpanStatus> = {
  401: 'unauthenticated',
  403: 'permission_denied',
  404: 'not_found',
  409: 'already_exists',
  413: 'failed_precondition',
  429: 'resource_exhausted',
  499: 'cancelled',
  501: 'unimplemented',
  503: 'unavailable',
  504: 'deadline_exceeded',
};

/** The span status for an HTTP response code: `ok` below 400, the protocol's names above. */
export function spanStatusFromHttpCode(code: number): SpanStatus {
  if (code < 400) return 'ok';
  return BY_CODE[code] ?? (code < 500 ? 'invalid_argument' : code < 600 ? 'internal_error' : 'unknown');
}
