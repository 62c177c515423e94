import { hashKey } from './crypto.js';
import type { Machine } from './machine.js';
import type { BlockValue } from './messages.js';
import { samePrecommit, verifyPrecommit } from './signing.js';
import { blockTimestamp, precommitIsFor } from './timestamps.js';

/**
 * The checks of a block value that need no execution (spec/consensus.md §4.2): it builds on this
 * node's parent, lists each transaction once, and its timestamp follows the rule from a quorum of
 * genuine precommits for the parent — signed by the validators that decided the parent, who differ
 * from this height's right after a set change. Returns why it is invalid, or undefined. The answer
 * depends on the value and the height only, so it holds for every proposal of the same value.
 */
export function valueDefect(machine: Machine, value: BlockValue, height: bigint): string | undefined {
  const parent = machine.state.parent;
  const deciders = machine.parentValidators;
  if (value.height !== height) return `value for height ${value.height} proposed at height ${height}`;
  if (!value.parentHash.equals(parent.blockHash)) return 'value does not build on the decided parent';
  const transactions = new Set<string>();
  for (const hash of value.transactions) {
    const key = hashKey(hash);
    if (transactions.has(key)) return 'a transaction appears twice';
    transactions.add(key);
  }
  const voters = new Set<number>();
  for (const precommit of value.timeEvidence) {
    const voter = precommit.content.voter;
    if (voters.has(voter)) return `time evidence repeats validator ${voter}`;
    voters.add(voter);
    if (!precommitIsFor(precommit, machine.ledgerHash, parent.height, parent.blockHash)) return 'time evidence is not a precommit for the parent';
    const known = machine.state.parentEvidence.get(voter);
    const verified = known !== undefined && samePrecommit(known, precommit);
    if (!verified && !verifyPrecommit(machine.crypto, deciders, precommit, false)) return `time evidence of validator ${voter} does not verify`;
  }
  if (voters.size < deciders.quorum) return `time evidence from ${voters.size} validators, a quorum is ${deciders.quorum}`;
  const expected = blockTimestamp(
    value.timeEvidence.map((precommit) => precommit.content.timestamp),
    deciders.maxFaulty,
  );
  if (value.timestamp !== expected) return `timestamp ${value.timestamp} is not the evidence's ${expected}`;
  if (value.timestamp <= parent.timestamp) return `timestamp ${value.timestamp} is not after the parent's ${parent.timestamp}`;
  return undefined;
}
