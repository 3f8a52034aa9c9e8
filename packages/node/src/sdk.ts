/** `init` for Node: core's options pipeline with Node's runtime defaults and async context. */
import { hostname } from 'node:os';
import {
  Client,
  extractTraceContext,
  getDefaultIntegrations as getCoreDefaultIntegrations,
  getCurrentScope,
  getIsolationScope,
  getSdkEnvVar,
  type Integration,
  initAndBind,
  makeSdkInfo,
  type Options,
  propagationContextFromIncoming,
  type RuntimeDefaults,
  resolveClientOptions,
  setHexEncoder,
} from '@faultline/core';
import { installAsyncContextStrategy } from './async-context-strategy';
import { makeNodeTransport, type NodeTransport, type NodeTransportOptions } from './http-transport';
import { consoleIntegration } from './integrations/console-breadcrumbs';
import { contextLinesIntegration } from './integrations/context-lines';
import { fetchClientIntegration } from './integrations/fetch-client';
import { httpClientIntegration } from './integrations/http-client';
import { httpServerIntegration } from './integrations/http-server';
import { modulesIntegration } from './integrations/modules';
import { nodeContextIntegration } from './integrations/node-context';
import { onUncaughtExceptionIntegration } from './integrations/on-uncaught-exception';
import { onUnhandledRejectionIntegration } from './integrations/on-unhandled-rejection';
import { processExitFlushIntegration } from './integrations/process-exit-flush';
import { requestDataIntegration } from './integrations/request-data';
import { nodeStackParser } from './node-stack-parser';

export interface NodeOptions extends Omit<Options, 'transportOptions'> {
  /** Options of the undici transport: `timeout`, `compressionThreshold`, `proxy`, `keepAliveTimeout`. */
  transportOptions?: Partial<NodeTransportOptions>;
}

/**
 * Core's defaults, then Node's: HTTP in and out (isolation, traces, spans, breadcrumbs), request data
 * on events, context lines and runtime contexts, loaded modules, console breadcrumbs, and the process
 * handlers. Each is removable by name through `integrations: (defaults) => ...`.
 */
export function getDefaultIntegrations(_options: NodeOptions = {}): Integration[] {
  return [
    ...getCoreDefaultIntegrations(),
    httpServerIntegration(),
    httpClientIntegration(),
    fetchClientIntegration(),
    requestDataIntegration(),
    contextLinesIntegration(),
    nodeContextIntegration(),
    modulesIntegration(),
    consoleIntegration(),
    onUncaughtExceptionIntegration(),
    onUnhandledRejectionIntegration(),
    processExitFlushIntegration(),
  ];
}

function nodeRuntimeDefaults(options: NodeOptions): RuntimeDefaults {
  return {
    platform: 'node',
    sdk: makeSdkInfo('node'),
    defaultIntegrations: getDefaultIntegrations(options),
    stackParser: nodeStackParser,
    transport: makeNodeTransport,
    readEnv: getSdkEnvVar,
  };
}

/**
 * Starts the SDK: scopes follow async execution from here on, errors go to the DSN's ingest over
 * undici, and uncaught exceptions, unhandled rejections and shutdown signals are handled. Options
 * fall back to `FAULTLINE_*` (then `SENTRY_*`) environment variables.
 */
export function init(options: NodeOptions = {}): Client {
  installAsyncContextStrategy();
  setHexEncoder(hexOfBytes);
  const withServerName: NodeOptions = { ...options, serverName: options.serverName ?? hostname() };
  const client = initAndBind(Client, resolveClientOptions(withServerName, nodeRuntimeDefaults(options)));
  continueTraceFromEnvironment();
  const transport = client.getTransport() as Partial<NodeTransport> | undefined;
  if (typeof transport?.close === 'function') {
    // After close's bounded flush, requests still hanging must not hold the process open.
    client.on('close', () => void transport.close?.());
  }
  return client;
}

function hexOfBytes(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}

/** A parent process that spawned us inside a span passed its trace in SENTRY_TRACE / SENTRY_BAGGAGE. */
function continueTraceFromEnvironment(): void {
  const { SENTRY_TRACE, SENTRY_BAGGAGE } = process.env;
  if (!SENTRY_TRACE) return;
  const context = propagationContextFromIncoming(extractTraceContext({ SENTRY_TRACE, SENTRY_BAGGAGE }));
  getIsolationScope().setPropagationContext(context);
  getCurrentScope().setPropagationContext(context);
}
