/** `init` for core alone, and `initAndBind`, which runtime packages call with their own defaults. */
import { Client } from './client';
import type { ClientOptions } from './client-options';
import { makeFetchTransport } from './fetch-transport';
import { getCurrentScope, getIsolationScope } from './hub';
import { dedupeIntegration } from './integrations/dedupe';
import { inboundFiltersIntegration } from './integrations/inbound-filters';
import { type RuntimeDefaults, resolveClientOptions } from './resolve-options';
import { getSdkEnvVar } from './runtime-env';
import { makeSdkInfo } from './sdk-info';
import { defaultStackParser } from './stack-parsers';
import type { Integration } from './types/integration';
import type { Options } from './types/options';

/** Creates the client, binds it to the current scope and installs its integrations. */
export function initAndBind<C extends Client>(
  ClientClass: new (options: ClientOptions) => C,
  options: ClientOptions,
): C {
  const client = new ClientClass(options);
  const scope = getCurrentScope();
  scope.setClient(client);
  if (options.initialScope) getIsolationScope().update(options.initialScope);
  client.init();
  return client;
}

export function getDefaultIntegrations(): Integration[] {
  return [inboundFiltersIntegration(), dedupeIntegration()];
}

/** Starts the SDK with core's runtime-neutral defaults (global fetch transport, all stack formats). */
export function init(options: Options = {}): Client {
  const runtime: RuntimeDefaults = {
    platform: 'javascript',
    sdk: makeSdkInfo('core'),
    defaultIntegrations: getDefaultIntegrations(),
    stackParser: defaultStackParser,
    transport: makeFetchTransport,
    readEnv: getSdkEnvVar,
  };
  return initAndBind(Client, resolveClientOptions(options, runtime));
}
