export { BodyDecodingError, decodeBody } from './body-decoding';
export { type EnvelopeRequest, HttpRejection, readEnvelopeRequest } from './envelope-request';
export { describeTraffic, labelledSchemaErrors, sumDiscardedEvents } from './ingest-queries';
export type {
  ReceivedEnvelope,
  ReceivedItem,
  ReceivedRequest,
  ScriptedResponse,
  StartIngestOptions,
  WaitCondition,
  WaitOptions,
} from './ingest-types';
export { checkItem, payloadJson } from './item-checks';
export { AuthError, authenticate, type IngestIdentity, requestPublicKey } from './request-auth';
export { loadValidators, validateEvent, validateTransaction } from './schema-validation';
export { startIngest, TestIngest } from './test-ingest';
