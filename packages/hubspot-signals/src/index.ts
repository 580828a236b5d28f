// @sync-doctor/hubspot-signals: HubSpot-side signals for the relay, as plain modules it registers as plugins.
export * from './detector/index.js';
export * from './mailbox/index.js';
export * from './alerts/index.js';
