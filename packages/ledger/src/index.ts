export * from './merkle/index.js';
