export type * from './kv.js';
