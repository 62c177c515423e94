import { Address } from '@jadechain/crypto';
import type { PubKey } from '@jadechain/crypto';
import type { DigitalSignature } from '@jadechain/types';
import { OperationFailure } from '../ops/context.js';
import { signerOf } from '../security/privileges.js';
import type { Signer } from '../security/privileges.js';
import { BytesMap } from '../state/bytes-map.js';
import type { LedgerState } from '../state/records.js';

const ADDRESS_CACHE_LIMIT = 100_000;

/** Addresses of public keys; deriving one costs two hashes and signers repeat a lot. */
export class AddressCache {
  private readonly known = new Map<string, Address>();

  addressOf(pubKey: PubKey): Address {
    const key = pubKey.toLatin1();
    let address = this.known.get(key);
    if (address === undefined) {
      address = Address.fromPublicKey(pubKey);
      if (this.known.size >= ADDRESS_CACHE_LIMIT) this.known.clear();
      this.known.set(key, address);
    }
    return address;
  }
}

/**
 * Signers already resolved in the block being executed. Users and roles only change through the
 * users and admin datasets, so the block forgets them all whenever a transaction writes those.
 */
export class SignerCache {
  private readonly known = new BytesMap<Signer>();

  get(pubKey: PubKey): Signer | undefined {
    return this.known.get(pubKey.bytesView());
  }

  set(signer: Signer): void {
    this.known.set(signer.pubKey.bytesView(), signer);
  }

  clear(): void {
    this.known.clear();
  }
}

/**
 * The signers of a transaction as users: each must be registered, in state NORMAL and hold the
 * key it signed with. A key that signed twice counts once.
 */
export function resolveSigners(
  state: LedgerState,
  signatures: readonly DigitalSignature[],
  addresses: AddressCache,
  cache: SignerCache,
  who: string,
): Signer[] {
  const signers: Signer[] = [];
  for (const { pubKey } of signatures) {
    let signer = cache.get(pubKey);
    if (signer === undefined) {
      signer = resolveSigner(state, pubKey, addresses, who);
      cache.set(signer);
    }
    if (!signers.some((known) => known.address.equals(signer.address))) signers.push(signer);
  }
  return signers;
}

function resolveSigner(state: LedgerState, pubKey: PubKey, addresses: AddressCache, who: string): Signer {
  const address = addresses.addressOf(pubKey);
  const user = state.user(address);
  if (user === undefined || !user.pubKey.equals(pubKey)) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `${who} signer ${address.toBase58()} is not a registered user`);
  }
  if (user.state !== 'NORMAL') {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', `${who} signer ${address.toBase58()} is ${user.state}`);
  }
  return signerOf(state, address, pubKey);
}

/** Node signers (gateways) are users too; at least one must hold APPROVE_TX. */
export function requireApprovingNode(nodeSigners: readonly Signer[]): void {
  if (!nodeSigners.some((signer) => signer.ledgerPermissions.has('APPROVE_TX'))) {
    throw new OperationFailure('REJECTED_BY_SECURITY_POLICY', 'no node signer holds APPROVE_TX');
  }
}
