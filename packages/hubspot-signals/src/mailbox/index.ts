export * from './checkpoints.js';
export * from './notification.js';
export * from './reader.js';
export * from './oauth.js';
