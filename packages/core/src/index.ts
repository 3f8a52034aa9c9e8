export {
  addBreadcrumb,
  addEventProcessor,
  captureEvent,
  captureException,
  captureMessage,
  close,
  flush,
  lastEventId,
  recordBreadcrumb,
  setContext,
  setExtra,
  setExtras,
  setTag,
  setTags,
  setUser,
} from './api';
export type { AsyncContextStrategy } from './async-context';
export { dscToBaggage, mergeBaggage, parseBaggage } from './baggage';
export { createTransport } from './base-transport';
export { checkOrMarkCaptured } from './captured-once';
export { getCarrier, setAsyncContextStrategy } from './carrier';
export { Client, type ClientHooks } from './client';
export type { ClientOptions } from './client-options';
export { ClientReportRecorder, clientReportItem } from './client-report-recorder';
export { dataCategoryForItemType } from './data-category';
export { debug } from './debug-logger';
export { detachedString } from './detached-string';
export {
  type Dsn,
  dsnToString,
  envelopeEndpoint,
  envelopeEndpointWithAuth,
  orgIdFromDsn,
  parseDsn,
} from './dsn';
export { baseDynamicSamplingContext, dscFromPropagationContext } from './dynamic-sampling-context';
export { addItemToEnvelope, createEnvelope, envelopeParts, serializeEnvelope } from './envelope';
export { EnvelopeParseError, itemPayloadJson, itemPayloadText, parseEnvelope } from './envelope-parser';
export { attachmentItem, createEventEnvelope } from './event-envelope';
export { eventFromMessage, eventFromUnknownInput, exceptionFromError } from './exception-from-error';
export { type FetchTransportOptions, makeFetchTransport } from './fetch-transport';
export {
  getClient,
  getCurrentScope,
  getGlobalScope,
  getIsolationScope,
  withIsolationScope,
  withScope,
} from './hub';
export { dedupeIntegration } from './integrations/dedupe';
export { type InboundFiltersOptions, inboundFiltersIntegration } from './integrations/inbound-filters';
export { normalize, normalizeToSize } from './normalize';
export { makePromiseBuffer } from './promise-buffer';
export { generatePropagationContext, type PropagationContext } from './propagation-context';
export { generateSpanId, generateTraceId, setHexEncoder, uuid4 } from './random';
export { isRateLimited, parseRetryAfterHeader, type RateLimits, updateRateLimits } from './rate-limits';
export { type RuntimeDefaults, resolveClientOptions, resolveOptions, validateRate } from './resolve-options';
export { getEnvVar, getSdkEnvVar } from './runtime-env';
export { hasSpansEnabled, type SamplingDecision, sampleRootSpan } from './sampling';
export { Scope, type ScopeData, setActiveSpanSlot } from './scope';
export { getDefaultIntegrations, init, initAndBind } from './sdk';
export { makeSdkInfo, SDK_VERSION } from './sdk-info';
export { parseSentryTraceHeader, sentryTraceHeader, type TraceHeaderData } from './sentry-trace-header';
export {
  MAX_SPANS_PER_TRANSACTION,
  NonRecordingSpan,
  RecordingSpan,
  type Span,
  type SpanAttributes,
  type SpanAttributeValue,
  type SpanContext,
  type SpanTime,
} from './span';
export {
  getDynamicSamplingContextFromSpan,
  getRootSpan,
  recordsChildren,
  spanSampled,
  spanToTraceContext,
} from './span-context';
export { type SpanStatus, spanStatusFromHttpCode } from './span-status';
export { createStackParser, defaultStackParser, v8StackLineParser } from './stack-parsers';
export { matchesAnyPattern, matchesPattern } from './string-matching';
export { dateTimestampInSeconds, timestampInSeconds } from './time';
export {
  getActiveSpan,
  type StartSpanOptions,
  startInactiveSpan,
  startSpan,
  startSpanManual,
  suppressTracing,
  withActiveSpan,
} from './trace';
export { type IncomingTraceHeaders, propagationContextFromHeaders } from './trace-continuation';
export {
  continueTrace,
  extractTraceContext,
  getTraceData,
  injectTraceHeaders,
  propagationContextFromIncoming,
  shouldPropagateTraceTo,
  startNewTrace,
  type TraceData,
} from './trace-data';
export {
  DEFAULT_SERVER_PROPAGATION_TARGETS,
  shouldPropagateTo,
  stripUrlQueryAndFragment,
} from './trace-propagation-targets';
export {
  parseTraceparentHeader,
  parseTracestate,
  traceparentHeader,
  tracestateHeader,
} from './traceparent-header';
export { truncate } from './truncate';
export type * from './types/data-category';
export type * from './types/envelope';
export type * from './types/event';
export type * from './types/integration';
export type * from './types/options';
export type * from './types/stacktrace';
export type * from './types/transport';
export { jsonByteLength, utf8ByteLength } from './utf8-byte-length';
