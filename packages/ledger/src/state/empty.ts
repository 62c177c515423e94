import { emptyMerkleRoot } from '@jadechain/types';
import type { StateRoots } from './finalize.js';
import type { StateSource } from './source.js';

/** The state before the genesis block: nothing at all. */
export const EMPTY_SOURCE: StateSource = {
  latest: () => undefined,
  atRevision: () => undefined,
  listItem: () => undefined,
  transactionLocation: () => undefined,
  getNode: () => undefined,
  rootLocation: () => undefined,
  blob: () => undefined,
};

export function emptyRoots(): StateRoots {
  return {
    admin: emptyMerkleRoot(),
    users: emptyMerkleRoot(),
    dataAccounts: emptyMerkleRoot(),
    contracts: emptyMerkleRoot(),
    eventAccounts: emptyMerkleRoot(),
  };
}
