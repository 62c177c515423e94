import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkSeeds } from './sim-support.js';

test('simulated 7-validator networks keep agreement, validity, valid certificates and liveness over 1000 seeds', (t) => {
  const outcome = checkSeeds(t, 100000, 1000, { size: 7 });
  assert.equal(outcome.runs, 1000);
  assert.ok(outcome.heights > 1000, 'the seeds committed blocks');
});
