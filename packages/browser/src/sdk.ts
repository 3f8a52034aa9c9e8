/** `init` for browsers: core's options pipeline with the browser's runtime defaults. */
import {
  Client,
  defaultStackParser,
  getDefaultIntegrations as getCoreDefaultIntegrations,
  type Integration,
  initAndBind,
  makeSdkInfo,
  type Options,
  resolveOptions,
} from '@faultline/core';
import { type BrowserTransportOptions, makeBrowserTransport } from './browser-transport';
import { breadcrumbsIntegration } from './integrations/breadcrumbs';
import { browserApiErrorsIntegration } from './integrations/browser-api-errors';
import { browserSessionIntegration } from './integrations/browser-session';
import { globalHandlersIntegration } from './integrations/global-handlers';
import { httpContextIntegration } from './integrations/http-context';

export interface BrowserOptions extends Omit<Options, 'transportOptions'> {
  /** `maxConcurrentRequests` (default 4), `timeout`, `bufferSize`, `headers`. */
  transportOptions?: Partial<BrowserTransportOptions>;
}

/**
 * Core's defaults (inbound filters, dedupe), then the browser's: global error handlers, wrapped
 * browser API callbacks, breadcrumbs, page URL and user agent on events, and release health. Each
 * is removable by name through `integrations: (defaults) => ...`.
 */
export function getDefaultIntegrations(): Integration[] {
  return [
    ...getCoreDefaultIntegrations(),
    browserApiErrorsIntegration(),
    globalHandlersIntegration(),
    breadcrumbsIntegration(),
    httpContextIntegration(),
    browserSessionIntegration(),
  ];
}

/**
 * Starts the SDK in a page: uncaught errors and rejections are reported, breadcrumbs recorded, and
 * events sent over fetch (keepalive while the browser allows it). Add
 * `browserTracingIntegration()` to `integrations` for page load and navigation traces.
 */
export function init(options: BrowserOptions = {}): Client {
  return initAndBind(
    Client,
    resolveOptions(options as Options, {
      platform: 'javascript',
      sdk: makeSdkInfo('browser'),
      defaultIntegrations: getDefaultIntegrations(),
      stackParser: defaultStackParser,
      transport: makeBrowserTransport,
    }),
  );
}
