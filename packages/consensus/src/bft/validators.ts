import type { PubKey } from '@jadechain/crypto';
import { BftError } from './errors.js';

/** A consensus participant: its participant id (as in the ledger) and its signing key. */
export interface Validator {
  readonly id: number;
  readonly publicKey: PubKey;
}

/**
 * The validators of a height, in ascending id order. With n validators the protocol tolerates
 * f = ⌊(n−1)/3⌋ Byzantine ones and decides with quorums of q = n − f votes: any two quorums share
 * at least n − 2f ≥ f + 1 validators, so at least one honest one.
 */
export class ValidatorSet {
  readonly members: readonly Validator[];
  readonly maxFaulty: number;
  readonly quorum: number;
  private readonly byId: ReadonlyMap<number, Validator>;

  constructor(validators: readonly Validator[]) {
    if (validators.length === 0) throw new BftError('INVALID_VALIDATOR_SET', 'a validator set needs at least one validator');
    const sorted = [...validators].sort((a, b) => a.id - b.id);
    const byId = new Map<number, Validator>();
    for (const validator of sorted) {
      if (!Number.isInteger(validator.id) || validator.id < 0 || validator.id > 0xffffffff) {
        throw new BftError('INVALID_VALIDATOR_SET', `validator id ${validator.id} is not a u32`);
      }
      if (byId.has(validator.id)) throw new BftError('INVALID_VALIDATOR_SET', `validator id ${validator.id} appears twice`);
      byId.set(validator.id, validator);
    }
    this.members = sorted;
    this.byId = byId;
    this.maxFaulty = Math.floor((sorted.length - 1) / 3);
    this.quorum = sorted.length - this.maxFaulty;
  }

  get(id: number): Validator | undefined {
    return this.byId.get(id);
  }

  has(id: number): boolean {
    return this.byId.has(id);
  }

  /** Whether both sets hold the same validators with the same keys. */
  equals(other: ValidatorSet): boolean {
    return (
      this.members.length === other.members.length &&
      this.members.every((validator) => other.get(validator.id)?.publicKey.equals(validator.publicKey) === true)
    );
  }

  /** The leader of a round: validators take turns by position, shifted by one each height. */
  proposer(height: number, round: number): Validator {
    return this.members[(height + round) % this.members.length] as Validator;
  }
}
