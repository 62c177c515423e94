export * from './errors.js';
export * from './algorithms.js';
export type * from './backend.js';
