/** `init` of @faultline/node, identifying events as sent by the Fastify SDK. */
import { type Client, init as initNode, makeSdkInfo, type NodeOptions } from '@faultline/node';

export function init(options: NodeOptions = {}): Client {
  return initNode({ ...options, _metadata: { sdk: options._metadata?.sdk ?? makeSdkInfo('fastify') } });
}
