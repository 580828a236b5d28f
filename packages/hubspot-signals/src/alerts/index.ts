export * from './types.js';
export * from './content.js';
export * from './signature.js';
export * from './validate.js';
export * from './senders.js';
export * from './deliver.js';
export * from './destination.js';
