import { HashDigest, PrivKey, cryptoSuite } from '@jadechain/crypto';
import type { PubKey, SignatureDigest } from '@jadechain/crypto';
import { BftCore } from '../src/bft/core.js';
import type { BftCrypto } from '../src/bft/crypto.js';
import { suiteCrypto } from '../src/bft/crypto.js';
import type { BftConfig, BftInput, BftOutput, BftTimeouts, ChainTip, Misbehaviour, TimerStep } from '../src/bft/io.js';
import { BlockValue } from '../src/bft/messages.js';
import type { ConsensusMessage, Decision, SignedPrecommit, SignedPrevote, SignedProposal } from '../src/bft/messages.js';
import type { SafetyRecord } from '../src/bft/record.js';
import { signPrecommit, signPrevote, signProposal } from '../src/bft/signing.js';
import { blockTimestamp } from '../src/bft/timestamps.js';
import { ValidatorSet } from '../src/bft/validators.js';

export const TIMEOUTS: BftTimeouts = { proposeMs: 300, prevoteMs: 100, precommitMs: 100, roundIncrementMs: 50, retransmitMs: 1000 };
export const GENESIS_TIME = 1_700_000_000_000n;

/** Crypto that counts what it does (so tests can say "verified once"). */
export interface CountingCrypto extends BftCrypto {
  readonly counts: { signed: number; verified: number };
}

export function counting(inner: BftCrypto): CountingCrypto {
  const counts = { signed: 0, verified: 0 };
  return {
    counts,
    sign: (message: Uint8Array): SignatureDigest => {
      counts.signed++;
      return inner.sign(message);
    },
    verify: (publicKey: PubKey, message: Uint8Array, signature: SignatureDigest): boolean => {
      counts.verified++;
      return inner.verify(publicKey, message, signature);
    },
    hash: (data: Uint8Array): HashDigest => inner.hash(data),
  };
}

/** Four (or more) validators with fixed Ed25519 keys, a ledger hash and a genesis tip. */
export class Fixture {
  readonly keys: PrivKey[];
  readonly cryptos: BftCrypto[];
  readonly validators: ValidatorSet;
  readonly ledgerHash = cryptoSuite.hash('SHA256', new TextEncoder().encode('bft test ledger'));
  readonly genesis: ChainTip = { height: 0, blockHash: this.ledgerHash, timestamp: GENESIS_TIME };

  constructor(readonly size = 4) {
    this.keys = Array.from({ length: size }, (_, i) => new PrivKey('ED25519', new Uint8Array(32).fill(i + 1)));
    this.cryptos = this.keys.map((key) => suiteCrypto(cryptoSuite, key, 'SHA256'));
    this.validators = new ValidatorSet(this.keys.map((key, id) => ({ id, publicKey: cryptoSuite.publicKeyOf(key) })));
  }

  transaction(n: number): HashDigest {
    return cryptoSuite.hash('SHA256', new TextEncoder().encode(`tx ${n}`));
  }

  /** What the probe's host computes for a value: a block hash committing to the parent and the value. */
  blockHashOf(parentHash: HashDigest, value: BlockValue): HashDigest {
    const encoded = BlockValue.encode(value);
    const input = new Uint8Array(parentHash.toBytes().length + encoded.length);
    input.set(parentHash.toBytes());
    input.set(encoded, parentHash.toBytes().length);
    return cryptoSuite.hash('SHA256', input);
  }

  precommit(voter: number, height: number, round: number, blockHash: HashDigest | undefined, timestamp: bigint): SignedPrecommit {
    const content = { ledgerHash: this.ledgerHash, height: BigInt(height), round, voter, ...(blockHash ? { blockHash } : {}), timestamp };
    return signPrecommit(this.cryptos[voter] as BftCrypto, content);
  }

  prevote(voter: number, height: number, round: number, blockHash: HashDigest | undefined): SignedPrevote {
    return signPrevote(this.cryptos[voter] as BftCrypto, { ledgerHash: this.ledgerHash, height: BigInt(height), round, voter, ...(blockHash ? { blockHash } : {}) });
  }

  /** Genesis precommits of `voters` at GENESIS_TIME + offset each: the time evidence of block 1. */
  genesisEvidence(voters: readonly number[], offsets: readonly bigint[] = voters.map((v) => BigInt(10 * (v + 1)))): SignedPrecommit[] {
    return voters.map((voter, i) => {
      const { content, signature } = this.precommit(voter, 0, 0, this.ledgerHash, GENESIS_TIME + (offsets[i] as bigint));
      return { content, signature };
    });
  }

  value(height: number, parentHash: HashDigest, transactions: readonly HashDigest[], evidence: SignedPrecommit[]): BlockValue {
    const timestamp = blockTimestamp(
      evidence.map((p) => p.content.timestamp),
      this.validators.maxFaulty,
    );
    return { height: BigInt(height), parentHash, timestamp, transactions, timeEvidence: evidence };
  }

  proposal(proposer: number, height: number, round: number, value: BlockValue, validRound?: number): SignedProposal {
    const content = { ledgerHash: this.ledgerHash, height: BigInt(height), round, proposer, ...(validRound === undefined ? {} : { validRound }), value };
    return signProposal(this.cryptos[proposer] as BftCrypto, content);
  }
}

/** Validator sets other than the fixture's, and values known to change the set (see `reconfiguringValues`). */
export type ProbeOptions = Pick<BftConfig, 'parentValidators' | 'retainedDecisions'> & {
  readonly validators?: ValidatorSet;
  readonly reconfiguringValues?: Set<string>;
};

/**
 * One core driven by hand: the test plays every other validator and the host. Executions and
 * persistence are answered at once unless told otherwise; everything the core emits is kept.
 */
export class Probe {
  readonly core: BftCore;
  readonly crypto: CountingCrypto;
  readonly outputs: BftOutput[] = [];
  now = GENESIS_TIME + 1000n;
  autoPersist = true;
  mempool: HashDigest[] = [];
  invalidValues = new Set<string>();
  /** Values (by digest, base58) whose block the test ledger says changes the validator set. */
  reconfiguringValues = new Set<string>();
  private pendingInputs: BftInput[] = [];

  constructor(
    readonly fixture: Fixture,
    readonly self = 0,
    tip: ChainTip = fixture.genesis,
    record?: SafetyRecord,
    options: ProbeOptions = {},
  ) {
    this.crypto = counting(fixture.cryptos[self] as BftCrypto);
    const { reconfiguringValues, ...sets } = options;
    if (reconfiguringValues !== undefined) this.reconfiguringValues = reconfiguringValues;
    const config = { ledgerHash: fixture.ledgerHash, validators: fixture.validators, self, crypto: this.crypto, timeouts: TIMEOUTS, ...sets };
    const { core, outputs } = BftCore.start(config, tip, record, this.now);
    this.core = core;
    this.absorb(outputs);
    this.drain();
  }

  input(input: BftInput): BftOutput[] {
    const before = this.outputs.length;
    this.pendingInputs.push(input);
    this.drain();
    return this.outputs.slice(before);
  }

  private drain(): void {
    while (this.pendingInputs.length > 0) this.absorb(this.core.handle(this.pendingInputs.shift() as BftInput, this.now));
  }

  receive(from: number, message: ConsensusMessage): BftOutput[] {
    return this.input({ type: 'message', from, message });
  }

  /** Fires the most recent timer of this step (as a host would when it expires). */
  fire(step: TimerStep): BftOutput[] {
    const timer = [...this.outputs].reverse().find((o): o is Extract<BftOutput, { type: 'set-timer' }> => o.type === 'set-timer' && o.timer.step === step);
    if (timer === undefined) throw new Error(`no ${step} timer was set`);
    return this.input({ type: 'timeout', timer: timer.timer });
  }

  timers(step: TimerStep): Extract<BftOutput, { type: 'set-timer' }>[] {
    return this.outputs.filter((o): o is Extract<BftOutput, { type: 'set-timer' }> => o.type === 'set-timer' && o.timer.step === step);
  }

  sent(): ConsensusMessage[] {
    return this.outputs.flatMap((o) => (o.type === 'broadcast' || o.type === 'send' ? [o.message] : []));
  }

  prevotesSent(): SignedPrevote[] {
    return this.sent().flatMap((m) => (m.type === 'PREVOTE' ? [m.prevote] : []));
  }

  precommitsSent(): SignedPrecommit[] {
    return this.sent().flatMap((m) => (m.type === 'PRECOMMIT' ? [m.precommit] : []));
  }

  proposalsSent(): SignedProposal[] {
    return this.sent().flatMap((m) => (m.type === 'PROPOSAL' ? [m.proposal] : []));
  }

  evidence(): Misbehaviour[] {
    return this.outputs.flatMap((o) => (o.type === 'evidence' ? [o.misbehaviour] : []));
  }

  commits(): Extract<BftOutput, { type: 'commit' }>[] {
    return this.outputs.filter((o): o is Extract<BftOutput, { type: 'commit' }> => o.type === 'commit');
  }

  lastRecord(): SafetyRecord | undefined {
    const persisted = this.outputs.filter((o): o is Extract<BftOutput, { type: 'persist' }> => o.type === 'persist');
    return persisted.at(-1)?.record;
  }

  decision(height: number): Decision | undefined {
    return this.commits().find((c) => c.height === height)?.decision;
  }

  private absorb(outputs: readonly BftOutput[]): void {
    for (const output of outputs) {
      this.outputs.push(output);
      if (output.type === 'execute') {
        const digest = output.valueDigest.toBase58();
        const blockHash = this.fixture.blockHashOf(output.parentHash, output.value);
        const outcome = this.invalidValues.has(digest)
          ? { valid: false as const, reason: 'refused by the test ledger' }
          : this.reconfiguringValues.has(digest)
            ? { valid: true as const, blockHash, changesValidators: true }
            : { valid: true as const, blockHash };
        this.pendingInputs.push({ type: 'executed', height: output.height, valueDigest: output.valueDigest, outcome });
      } else if (output.type === 'persist' && this.autoPersist) {
        this.pendingInputs.push({ type: 'persisted', sequence: output.sequence });
      } else if (output.type === 'request-batch') {
        this.pendingInputs.push({ type: 'batch', height: output.height, round: output.round, transactions: this.mempool.slice(0, output.maxTransactions) });
      }
    }
  }
}

export function isPrevoteFor(prevote: SignedPrevote | undefined, blockHash: HashDigest | undefined): boolean {
  if (prevote === undefined) return false;
  const voted = prevote.content.blockHash;
  return blockHash === undefined ? voted === undefined : voted !== undefined && voted.equals(blockHash);
}
