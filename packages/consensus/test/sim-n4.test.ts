import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSeeds } from './sim-support.js';

test('simulated 4-validator networks keep agreement, validity, valid certificates and liveness over 1500 seeds', (t) => {
  const outcome = checkSeeds(t, 0, 1500, { size: 4 });
  assert.equal(outcome.runs, 1500);
  assert.ok(outcome.heights > 1500, 'the seeds committed blocks');
});
