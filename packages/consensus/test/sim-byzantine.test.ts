import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { MisbehaviourKind } from '../src/bft/io.js';
import type { Behaviour } from '../src/sim/scenario.js';
import { checkSeeds } from './sim-support.js';

const SEEDS_PER_BEHAVIOUR = 40;

/** What honest nodes must report for each behaviour (nothing for silence, which only costs rounds). */
const DETECTED_AS: Record<Behaviour, readonly MisbehaviourKind[]> = {
  silent: [],
  twins: ['CONFLICTING_PREVOTE', 'CONFLICTING_PRECOMMIT', 'CONFLICTING_PROPOSAL'],
  'double-vote': ['CONFLICTING_PREVOTE', 'CONFLICTING_PRECOMMIT'],
  'bad-proposal': ['INVALID_PROPOSAL', 'INVALID_SIGNATURE'],
  'conflicting-proposal': ['CONFLICTING_PROPOSAL'],
  garbage: ['MALFORMED_MESSAGE'],
};

describe('simulated Byzantine validators (f of them, all behaving alike)', () => {
  let offset = 300_000;
  for (const [behaviour, kinds] of Object.entries(DETECTED_AS) as [Behaviour, readonly MisbehaviourKind[]][]) {
    const from = offset;
    offset += 10_000;
    test(`${behaviour}: no safety or liveness violation, ${kinds.length > 0 ? `detected as ${kinds.join(' / ')}` : 'harmless'}`, (t) => {
      const detected = new Map<MisbehaviourKind, number>();
      checkSeeds(t, from, SEEDS_PER_BEHAVIOUR, { behaviour, byzantineCount: Number.MAX_SAFE_INTEGER }, (result) => {
        for (const [kind, count] of result.detected) detected.set(kind, (detected.get(kind) ?? 0) + count);
      });
      t.diagnostic(`reported: ${[...detected].map(([kind, count]) => `${kind}×${count}`).join(', ') || 'nothing'}`);
      if (kinds.length === 0) {
        assert.deepEqual([...detected.keys()], [], 'a silent validator gives nothing to report');
      } else {
        assert.ok(kinds.some((kind) => (detected.get(kind) ?? 0) > 0), `expected ${kinds.join(' or ')}`);
      }
    });
  }
});
