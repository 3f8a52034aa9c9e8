export * from '@faultline/core';
export { type BrowserTransportOptions, makeBrowserTransport } from './browser-transport';
export { type BreadcrumbsOptions, breadcrumbsIntegration } from './integrations/breadcrumbs';
export { type BrowserApiErrorsOptions, browserApiErrorsIntegration } from './integrations/browser-api-errors';
export { browserSessionIntegration } from './integrations/browser-session';
export { type GlobalHandlersOptions, globalHandlersIntegration } from './integrations/global-handlers';
export { httpContextIntegration } from './integrations/http-context';
export { type BrowserOptions, getDefaultIntegrations, init } from './sdk';
export {
  type BrowserTracingOptions,
  browserTracingIntegration,
} from './tracing/browser-tracing';
