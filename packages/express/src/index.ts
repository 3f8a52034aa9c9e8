export * from '@faultline/node';
export { EXPRESS_MECHANISM, expressErrorHandler, setupExpressErrorHandler } from './error-handler';
export { expressIntegration } from './express-integration';
export type { ExpressHandlerOptions } from './options';
export { getDefaultIntegrations, init } from './sdk';
