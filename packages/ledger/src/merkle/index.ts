export { MerkleTreeError } from './errors.js';
export type { MerkleTreeErrorCode } from './errors.js';
export { KVNodeReader, OverlayNodeReader, putMerkleNodes } from './node-store.js';
export type { MerkleNode, NodeReader } from './node-store.js';
export { MerkleTree } from './tree.js';
export type { MerkleChange, MerkleEntry, MerkleProofResult, MerkleUpdate } from './tree.js';
