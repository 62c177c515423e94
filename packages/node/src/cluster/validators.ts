import { ValidatorSet } from '@jadechain/consensus';
import type { PubKey } from '@jadechain/crypto';
import type { LedgerView } from '@jadechain/ledger';

/**
 * The validator set of the height after `view`: the participants in state CONSENSUS in the state
 * committed at `view`, by participant id (validator id = participant id). A membership change
 * committed in block h therefore takes effect at height h+1. Throws BftError
 * INVALID_VALIDATOR_SET when no participant is in state CONSENSUS.
 */
export function validatorSetOf(view: LedgerView): ValidatorSet {
  const members = view
    .state()
    .participants()
    .filter((participant) => participant.state === 'CONSENSUS')
    .map((participant) => ({ id: participant.id, publicKey: participant.pubKey }));
  return new ValidatorSet(members);
}

/** The participant id of `publicKey` in `view`'s state, whatever its state; undefined for a non-participant. */
export function participantIdOf(view: LedgerView, publicKey: PubKey): number | undefined {
  return view
    .state()
    .participants()
    .find((participant) => participant.pubKey.equals(publicKey))?.id;
}
