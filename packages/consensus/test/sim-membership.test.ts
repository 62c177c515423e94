import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { SimulationResult } from '../src/sim/simulation.js';
import { checkSeeds } from './sim-support.js';

/**
 * A validator joins and another leaves while the network runs (spec/consensus.md §13): the joiner
 * is activated by a transaction, syncs the blocks it lacks and starts voting at the height after
 * the block that activated it; the leaver is deactivated once that block is committed. The
 * checkers verify each block's certificate against the validators its parent names, and time
 * evidence across each change is signed by the set that decided the parent.
 */
describe('simulated membership changes: activate a validator, then deactivate another', () => {
  const joinerVoted = (results: SimulationResult[]): number => results.filter((result) => result.joinerVotes > 0).length;

  test('4 validators become 5, then 4 again, under crashes, partitions and up to f Byzantine ones', (t) => {
    const results: SimulationResult[] = [];
    const outcome = checkSeeds(t, 400_000, 150, { size: 4, membership: true }, (result) => results.push(result));
    assert.equal(outcome.runs, 150);
    // The joiner's votes certify blocks in most runs (in others a quorum formed without it every time).
    assert.ok(joinerVoted(results) > 100, `the joiner voted in ${joinerVoted(results)} runs`);
  });

  test('7 validators become 8, then 7 again, under the same faults', (t) => {
    const results: SimulationResult[] = [];
    checkSeeds(t, 410_000, 30, { size: 7, membership: true }, (result) => results.push(result));
    assert.ok(joinerVoted(results) > 15, `the joiner voted in ${joinerVoted(results)} runs`);
  });
});
