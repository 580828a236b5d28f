// @sync-doctor/hubspot-simulator: a local HubSpot CRM API (search on contacts, companies and deals
// with the Salesforce connector's properties) for tests of the stalled-sync detector.
export * from './properties.js';
export * from './search.js';
export * from './scenarios.js';
export * from './simulator.js';
