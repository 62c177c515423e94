export * from './codec/index.js';
export * from './model/index.js';
export * from './proof/index.js';
