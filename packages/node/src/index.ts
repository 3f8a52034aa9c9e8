export * from '@faultline/core';
export { installAsyncContextStrategy } from './async-context-strategy';
export { detectCloudResource } from './cloud-resource-context';
export { nameRequestAfterRoute } from './http-route';
export {
  makeNodeTransport,
  type NodeTransport,
  type NodeTransportOptions,
  USER_AGENT,
} from './http-transport';
export { childProcessTraceIntegration } from './integrations/child-process-trace';
export { consoleIntegration } from './integrations/console-breadcrumbs';
export { type ContextLinesOptions, contextLinesIntegration } from './integrations/context-lines';
export { type FetchClientOptions, fetchClientIntegration } from './integrations/fetch-client';
export { type HttpClientOptions, httpClientIntegration } from './integrations/http-client';
export {
  excludeServerFromInstrumentation,
  type HttpServerOptions,
  httpServerIntegration,
} from './integrations/http-server';
export { type ModulesOptions, modulesIntegration } from './integrations/modules';
export { nodeContextIntegration } from './integrations/node-context';
export {
  type OnUncaughtExceptionOptions,
  onUncaughtExceptionIntegration,
} from './integrations/on-uncaught-exception';
export {
  type OnUnhandledRejectionOptions,
  onUnhandledRejectionIntegration,
} from './integrations/on-unhandled-rejection';
export { type ProcessExitFlushOptions, processExitFlushIntegration } from './integrations/process-exit-flush';
export { requestDataIntegration } from './integrations/request-data';
export type { UnhandledRejectionsMode } from './integrations/unhandled-rejections-mode';
export { createGetModuleFromFilename, createNodeStackParser, nodeStackParser } from './node-stack-parser';
export { isExcludedByNoProxy, proxyForUrl } from './proxy-from-env';
export {
  type ExtractRequestDataOptions,
  extractRequestData,
  extractUserFromRequest,
  getClientIpAddress,
  INCOMING_REQUEST_METADATA_KEY,
  type IncomingRequestLike,
  REQUEST_DATA_METADATA_KEY,
} from './request-data';
export {
  captureRequestError,
  defaultShouldHandleError,
  type RequestErrorOptions,
  statusCodeOfError,
} from './request-error';
export { getFrameworkState, getServerSpan, setFrameworkState } from './request-slots';
export { getDefaultIntegrations, init, type NodeOptions } from './sdk';
export { isSdkRequest, type SdkRequestTarget } from './sdk-requests';
export { setServerTimingTraceHeader } from './server-timing';
