import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSeeds } from './sim-support.js';

test('simulated 10-validator networks keep agreement, validity, valid certificates and liveness over 500 seeds', (t) => {
  const outcome = checkSeeds(t, 200000, 500, { size: 10 });
  assert.equal(outcome.runs, 500);
  assert.ok(outcome.heights > 500, 'the seeds committed blocks');
});
