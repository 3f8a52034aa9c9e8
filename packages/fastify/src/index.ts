export * from '@faultline/node';
export { faultlineFastify, setupFastifyErrorHandler } from './fastify-plugin';
export { FASTIFY_MECHANISM, FASTIFY_ORIGIN, type FastifyIntegrationOptions } from './options';
export { init } from './sdk';
