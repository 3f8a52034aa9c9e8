/** `init` of @faultline/node with the Express integration, identifying events as the Express SDK. */
import {
  type Client,
  getDefaultIntegrations as getNodeDefaultIntegrations,
  type Integration,
  init as initNode,
  makeSdkInfo,
  type NodeOptions,
} from '@faultline/node';
import { expressIntegration } from './express-integration';

/** Node's default integrations plus `expressIntegration()`. */
export function getDefaultIntegrations(options: NodeOptions = {}): Integration[] {
  return [...getNodeDefaultIntegrations(options), expressIntegration()];
}

export function init(options: NodeOptions = {}): Client {
  return initNode({
    ...options,
    defaultIntegrations: options.defaultIntegrations ?? getDefaultIntegrations(options),
    _metadata: { sdk: options._metadata?.sdk ?? makeSdkInfo('express') },
  });
}
