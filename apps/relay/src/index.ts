// @sync-doctor/relay: the Fastify service that carries HubSpot's suspension state into Salesforce.
export { buildApp, loggerOptions, LOG_REDACTIONS } from './app.js';
export {
  loadConfig,
  ConfigError,
  ENVIRONMENT_HELP,
  parseSecretKey,
  type RelayConfig,
} from './config.js';
export { createStore, type StoreOptions } from './store/index.js';
export type * from './store/types.js';
export {
  signPayload,
  verifySignature,
  TIMESTAMP_HEADER,
  SIGNATURE_HEADER,
} from './crypto/signature.js';
export type { Signal } from './domain/signal.js';
export { applySignal } from './domain/signal.js';
export type {
  StatusPublisher,
  DeliveryTarget,
  SalesforceConnectionConfig,
} from './publisher/types.js';
export { SalesforcePublisher } from './publisher/salesforce.js';
export type { ChangeFeed, ChangeEvent } from './plugins/changeFeed.js';
export type { PortalsService, PortalView } from './plugins/portals.js';
