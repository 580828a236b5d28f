export * from './thresholds.js';
export * from './evaluate.js';
export * from './politeSearch.js';
export * from './checkPortal.js';
export * from './relaySignal.js';
export * from './scheduler.js';
