import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { cryptoSuite } from '@jadechain/crypto';
import type { HashDigest } from '@jadechain/crypto';
import { commitVoteMessage } from '@jadechain/types';
import type { CommitCertificate } from '@jadechain/types';
import { hashKey } from '../src/bft/crypto.js';
import { ValidatorSet } from '../src/bft/validators.js';
import { DoubleSignWatch, checkAgreement, checkCertificates, checkLiveness, checkTimestamps, checkValidity } from '../src/sim/checkers.js';
import type { ChainView } from '../src/sim/checkers.js';
import { LedgerStore } from '../src/sim/ledger.js';
import type { CommittedBlock } from '../src/sim/ledger.js';
import { SIM_EPOCH_MS } from '../src/sim/node.js';
import { Fixture } from './bft-support.js';

const fx = new Fixture();
const genesis: CommittedBlock = {
  height: 0,
  blockHash: fx.ledgerHash,
  key: hashKey(fx.ledgerHash),
  parentKey: '',
  timestamp: BigInt(SIM_EPOCH_MS),
  applied: [],
  stateRoot: new Uint8Array(32),
  validators: [0, 1, 2, 3],
  certificate: undefined,
};

function certificate(height: number, blockHash: HashDigest, voters: readonly number[]): CommitCertificate {
  const message = commitVoteMessage({ ledgerHash: fx.ledgerHash, height: BigInt(height), round: 0, blockHash });
  return {
    height: BigInt(height),
    round: 0,
    blockHash,
    votes: voters.map((id) => ({ voter: { type: 'PARTICIPANT_ID' as const, id }, signature: fx.cryptos[id]!.sign(message) })),
  };
}

/** A chain of one block after genesis, applying `applied`, certified by `voters`. */
function chain(validator: number, tag: string, applied: string[], options: { voters?: number[]; timestamp?: bigint; genesisValidators?: number[] } = {}): ChainView {
  const store = new LedgerStore({ ...genesis, validators: options.genesisValidators ?? genesis.validators });
  const blockHash = cryptoSuite.hash('SHA256', new TextEncoder().encode(tag));
  const block = { height: 1, blockHash, key: hashKey(blockHash), parentKey: genesis.key, timestamp: options.timestamp ?? BigInt(SIM_EPOCH_MS + 10), applied, stateRoot: new Uint8Array(32), validators: [0, 1, 2, 3] };
  store.append(block, certificate(1, blockHash, options.voters ?? [0, 1, 2]));
  return { validator, store };
}

describe('simulator checkers catch what they are for', () => {
  test('agreement: different blocks at one height', () => {
    assert.deepEqual(checkAgreement([chain(0, 'a', []), chain(1, 'a', [])]), []);
    assert.match(checkAgreement([chain(0, 'a', []), chain(1, 'b', [])])[0] ?? '', /v0 and v1 committed different blocks at height 1/);
  });

  test('validity: a transaction never submitted, or applied twice', () => {
    assert.deepEqual(checkValidity([chain(0, 'a', ['t1'])], new Set(['t1'])), []);
    assert.match(checkValidity([chain(0, 'a', ['t9'])], new Set(['t1']))[0] ?? '', /never submitted valid/);
    assert.match(checkValidity([chain(0, 'a', ['t1', 't1'])], new Set(['t1']))[0] ?? '', /twice/);
  });

  test('certificates: fewer than a quorum, a forged vote, a repeated voter', () => {
    const setOf = (ids: readonly number[]): ValidatorSet => new ValidatorSet(ids.map((id) => fx.validators.get(id)!));
    const check = (view: ChainView): string[] => checkCertificates([view], setOf, fx.ledgerHash, cryptoSuite);
    assert.deepEqual(check(chain(0, 'a', [])), []);
    assert.match(check(chain(0, 'a', [], { voters: [0, 1] })).join(), /2 valid votes, a quorum is 3/);
    assert.match(check(chain(0, 'a', [], { voters: [0, 1, 1] })).join(), /unknown, repeated or invalid/);
    const forged = chain(0, 'a', []);
    const block = forged.store.chain[1]!;
    const votes = block.certificate!.votes.map((vote, i) => (i === 0 ? { ...vote, signature: block.certificate!.votes[1]!.signature } : vote));
    (forged.store.chain as CommittedBlock[])[1] = { ...block, certificate: { ...block.certificate!, votes } };
    assert.match(check(forged).join(), /unknown, repeated or invalid/);
  });

  test('certificates are checked against the validators the parent names, not today\'s', () => {
    const setOf = (ids: readonly number[]): ValidatorSet => new ValidatorSet(ids.map((id) => fx.validators.get(id)!));
    const check = (view: ChainView): string[] => checkCertificates([view], setOf, fx.ledgerHash, cryptoSuite);
    assert.deepEqual(check(chain(0, 'a', [], { voters: [1, 2, 3], genesisValidators: [1, 2, 3] })), []);
    assert.match(check(chain(0, 'a', [], { voters: [0, 1, 2], genesisValidators: [1, 2, 3] })).join(), /unknown, repeated or invalid/);
  });

  test('timestamps: not after the parent, or ahead of every honest clock', () => {
    assert.deepEqual(checkTimestamps([chain(0, 'a', [])], new Map([[1, 10]]), 0), []);
    assert.match(checkTimestamps([chain(0, 'a', [], { timestamp: BigInt(SIM_EPOCH_MS) })], new Map(), 0).join(), /not after its parent/);
    assert.match(checkTimestamps([chain(0, 'a', [], { timestamp: BigInt(SIM_EPOCH_MS + 500) })], new Map([[1, 10]]), 100).join(), /ms ahead of every honest clock/);
  });

  test('liveness: a valid submitted transaction some honest node never committed', () => {
    assert.deepEqual(checkLiveness([chain(0, 'a', ['t1'])], new Set(['t1'])), []);
    assert.match(checkLiveness([chain(0, 'a', ['t1']), chain(1, 'a', [])], new Set(['t1'])).join(), /v1 lacks 1 of 1/);
  });

  test('double signing: two different votes of one honest validator for one height, round and step', () => {
    const watch = new DoubleSignWatch();
    const nil = fx.prevote(2, 3, 1, undefined);
    watch.observe(2, { type: 'PREVOTE', prevote: nil });
    watch.observe(2, { type: 'PREVOTE', prevote: nil });
    assert.deepEqual(watch.violations, []);
    watch.observe(2, { type: 'PREVOTE', prevote: fx.prevote(2, 3, 1, fx.ledgerHash) });
    assert.match(watch.violations[0] ?? '', /honest v2 signed two PREVOTEs at height 3 round 1/);
  });
});
