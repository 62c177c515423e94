import { HashDigest, SignatureDigest } from '@jadechain/crypto';
import type { BftCrypto } from '../bft/crypto.js';
import { ConsensusMessage } from '../bft/messages.js';
import type { BlockValue, ProposalContent, SignedPrecommit, SignedPrevote, SignedProposal } from '../bft/messages.js';
import { signPrecommit, signPrevote, signProposal } from '../bft/signing.js';
import type { Prng } from './prng.js';
import type { ByzantineSpec } from './scenario.js';

export interface Outgoing {
  readonly to: number;
  readonly bytes: Uint8Array;
}

/**
 * A Byzantine validator runs the honest engine but its messages pass through here on their way
 * out, re-signed with its own key where it lies, so every lie is one a real faulty node could
 * tell. Twins instead run two honest engines with one key, each talking to its own audience.
 */
export class ByzantineTransport {
  constructor(
    private readonly spec: ByzantineSpec,
    private readonly twin: 0 | 1 | undefined,
    private readonly crypto: BftCrypto,
    private readonly prng: Prng,
  ) {}

  deliveries(recipients: readonly number[], bytes: Uint8Array): Outgoing[] {
    switch (this.spec.behaviour) {
      case 'silent':
        return [];
      case 'twins': {
        const audience = this.spec.audiences[this.twin ?? 0];
        return recipients.filter((to) => audience.includes(to)).map((to) => ({ to, bytes }));
      }
      case 'garbage':
        return recipients.map((to) => ({ to, bytes: this.prng.chance(0.3) ? this.corrupt(bytes) : bytes }));
      case 'double-vote':
        return this.split(recipients, bytes, (message) => this.conflictingVote(message));
      case 'conflicting-proposal':
        return this.split(recipients, bytes, (message) => (message.type === 'PROPOSAL' ? this.conflictingProposal(message.proposal) : undefined));
      case 'bad-proposal': {
        const message = ConsensusMessage.decode(bytes);
        const lie = message.type === 'PROPOSAL' ? ConsensusMessage.encode(this.badProposal(message.proposal)) : bytes;
        return recipients.map((to) => ({ to, bytes: lie }));
      }
    }
  }

  /** Each recipient gets the honest message or the lie, at random. */
  private split(recipients: readonly number[], bytes: Uint8Array, lie: (message: ConsensusMessage) => ConsensusMessage | undefined): Outgoing[] {
    const alternative = lie(ConsensusMessage.decode(bytes));
    if (alternative === undefined) return recipients.map((to) => ({ to, bytes }));
    const lieBytes = ConsensusMessage.encode(alternative);
    return recipients.map((to) => ({ to, bytes: this.prng.chance(0.5) ? lieBytes : bytes }));
  }

  private corrupt(bytes: Uint8Array): Uint8Array {
    const kind = this.prng.int(0, 2);
    if (kind === 0) return this.prng.bytes(this.prng.int(0, 64));
    if (kind === 1) return bytes.slice(0, this.prng.int(0, Math.max(0, bytes.length - 1)));
    const flipped = bytes.slice();
    const at = this.prng.int(0, flipped.length - 1);
    flipped[at] = (flipped[at] as number) ^ (1 << this.prng.int(0, 7));
    return flipped;
  }

  private randomHash(): HashDigest {
    return new HashDigest('SHA256', this.prng.bytes(32));
  }

  /** The same round and step, another block (or nil): a second vote signed with the same key. */
  private conflictingVote(message: ConsensusMessage): ConsensusMessage | undefined {
    if (message.type === 'PREVOTE') {
      const { blockHash: _, ...rest } = message.prevote.content;
      const content = message.prevote.content.blockHash === undefined ? { ...rest, blockHash: this.randomHash() } : rest;
      const prevote: SignedPrevote = signPrevote(this.crypto, content);
      return { type: 'PREVOTE', prevote };
    }
    if (message.type === 'PRECOMMIT') {
      const { blockHash: _, ...rest } = message.precommit.content;
      const content = message.precommit.content.blockHash === undefined ? { ...rest, blockHash: this.randomHash() } : rest;
      const precommit: SignedPrecommit = signPrecommit(this.crypto, content);
      return { type: 'PRECOMMIT', precommit };
    }
    return undefined;
  }

  /** Another value for the same round: the batch reordered, or padded with a made-up transaction. */
  private conflictingProposal(proposal: SignedProposal): ConsensusMessage {
    const value = proposal.content.value;
    const transactions = value.transactions.length > 1 ? [...value.transactions].reverse() : [...value.transactions, this.randomHash()];
    return { type: 'PROPOSAL', proposal: signProposal(this.crypto, { ...proposal.content, value: { ...value, transactions } }), polka: [] };
  }

  /** A proposal broken in one of the ways validators must catch (or that execution makes harmless). */
  private badProposal(proposal: SignedProposal): ConsensusMessage {
    const content = proposal.content;
    const value = content.value;
    const withValue = (changes: Partial<BlockValue>): ProposalContent => ({ ...content, value: { ...value, ...changes } });
    const first = value.transactions[0] as HashDigest;
    const evidence = value.timeEvidence[0] as SignedPrecommit;
    const mutations: (() => ConsensusMessage)[] = [
      () => this.signed(withValue({ timestamp: value.timestamp + 1n })),
      () => this.signed(withValue({ timeEvidence: value.timeEvidence.slice(0, 1) })),
      () => this.signed(withValue({ parentHash: this.randomHash() })),
      () => this.signed(withValue({ transactions: [...value.transactions, first] })),
      () => this.signed(withValue({ transactions: [...value.transactions, this.randomHash()] })),
      () => this.signed(withValue({ height: value.height + 1n })),
      () => this.signed({ ...content, validRound: content.round }),
      () => this.signed(withValue({ timeEvidence: [{ ...evidence, content: { ...evidence.content, timestamp: evidence.content.timestamp + 7n } }, ...value.timeEvidence.slice(1)] })),
      () => {
        const raw = proposal.signature.raw;
        raw[0] = (raw[0] as number) ^ 1;
        return { type: 'PROPOSAL', proposal: { content, signature: new SignatureDigest(proposal.signature.algorithm, raw) }, polka: [] };
      },
    ];
    return this.prng.pick(mutations)();
  }

  private signed(content: ProposalContent): ConsensusMessage {
    return { type: 'PROPOSAL', proposal: signProposal(this.crypto, content), polka: [] };
  }
}
