import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, test } from 'node:test';
import { LocalLedger, buildContract, fromTypedValue, invokeOn, labelAddress } from '../src/index.js';

const EXAMPLES = new URL('../../../../examples/contracts/', import.meta.url).pathname;
const notary = buildContract(`${EXAMPLES}notary/notary.ts`);
const approval = buildContract(`${EXAMPLES}approval/approval.ts`);

const documentHash = createHash('sha256').update('the signed lease, version 3').digest('hex');

describe('notary example', () => {
  async function notaryLedger(): Promise<{ ledger: LocalLedger; contract: ReturnType<typeof labelAddress>; store: string }> {
    const ledger = await LocalLedger.create();
    const contract = await ledger.deploy('notary', notary.code);
    const store = (await ledger.createDataAccount('notary-store', [contract])).toBase58();
    return { ledger, contract, store };
  }

  test('anchors a document once, by hash, with who and when; anyone verifies it', async () => {
    const { ledger, contract, store } = await notaryLedger();
    const anchored = await invokeOn(ledger, contract, 'anchor', [store, documentHash, 'lease'], { signers: ['alice'] });
    assert.equal(anchored.state, 'SUCCESS');
    const verified = await invokeOn(ledger, contract, 'verify', [store, documentHash], { signers: ['bob'] });
    assert.deepEqual(verified.value, {
      holder: labelAddress('alice').toBase58(),
      anchoredBy: labelAddress('alice').toBase58(),
      description: 'lease',
      blockHeight: String(anchored.value),
      timestamp: String(ledger.ledger.block(Number(anchored.value))?.header.timestamp),
    });
    const again = await invokeOn(ledger, contract, 'anchor', [store, documentHash, 'forged'], { signers: ['bob'] });
    assert.equal(again.state, 'CONTRACT_EXECUTE_ERROR');
    assert.match(again.invocation?.failure?.message ?? '', /already anchored/);
    assert.equal((await invokeOn(ledger, contract, 'verify', [store, '00'.repeat(32)])).value, null);
  });

  test('refuses malformed hashes and hand-overs by anyone but the holder', async () => {
    const { ledger, contract, store } = await notaryLedger();
    const malformed = await invokeOn(ledger, contract, 'anchor', [store, 'not-a-hash', 'x']);
    assert.match(malformed.invocation?.failure?.message ?? '', /64 lowercase hex digits/);
    await invokeOn(ledger, contract, 'anchor', [store, documentHash, 'lease'], { signers: ['alice'] });
    const stolen = await invokeOn(ledger, contract, 'handOver', [store, documentHash, labelAddress('bob').toBase58()], { signers: ['bob'] });
    assert.match(stolen.invocation?.failure?.message ?? '', /only the holder/);
    const handed = await invokeOn(ledger, contract, 'handOver', [store, documentHash, labelAddress('bob').toBase58()], { signers: ['alice'] });
    assert.equal(handed.value, 1n);
    const entry = ledger.kv(labelAddress('notary-store'), `doc:${documentHash}`);
    assert.equal((fromTypedValue(entry?.value ?? { type: 'NIL' }) as { holder: string }).holder, labelAddress('bob').toBase58());
  });
});

describe('multi-party approval example', () => {
  const approvers = ['carol', 'dave', 'erin'].map((label) => labelAddress(label).toBase58());

  async function proposal(threshold: bigint): Promise<{ ledger: LocalLedger; contract: ReturnType<typeof labelAddress>; store: string; events: ReturnType<typeof labelAddress> }> {
    const ledger = await LocalLedger.create();
    const contract = await ledger.deploy('approval', approval.code);
    const store = (await ledger.createDataAccount('approval-store', [contract])).toBase58();
    const events = await ledger.createEventAccount('approval-events', [contract]);
    const proposed = await invokeOn(ledger, contract, 'propose', [store, events.toBase58(), 'p1', 'buy a server', approvers, threshold], { signers: ['alice'] });
    assert.equal(proposed.value, 'PENDING');
    return { ledger, contract, store, events };
  }

  test('two of three approvers, signing one transaction together, approve it; an event tells', async () => {
    const { ledger, contract, store, events } = await proposal(2n);
    const outsider = await invokeOn(ledger, contract, 'approve', [store, 'p1'], { signers: ['alice'] });
    assert.match(outsider.invocation?.failure?.message ?? '', /no signer of this transaction is an approver/);
    const together = await invokeOn(ledger, contract, 'approve', [store, 'p1'], { signers: ['carol', 'erin'] });
    assert.equal(together.value, 'APPROVED');
    const [event] = ledger.events(events, 'approved');
    assert.deepEqual(fromTypedValue(event?.content ?? { type: 'NIL' }), { id: 'p1', approvals: [approvers[0], approvers[2]] });
    const late = await invokeOn(ledger, contract, 'approve', [store, 'p1'], { signers: ['dave'] });
    assert.match(late.invocation?.failure?.message ?? '', /is APPROVED/);
  });

  test('approvals accumulate across transactions; an approver cannot count twice; one rejection ends it', async () => {
    const { ledger, contract, store } = await proposal(3n);
    assert.equal((await invokeOn(ledger, contract, 'approve', [store, 'p1'], { signers: ['carol'] })).value, 'PENDING');
    const twice = await invokeOn(ledger, contract, 'approve', [store, 'p1'], { signers: ['carol'] });
    assert.equal(twice.state, 'CONTRACT_EXECUTE_ERROR');
    assert.equal((await invokeOn(ledger, contract, 'reject', [store, 'p1', 'too expensive'], { signers: ['dave'] })).value, 'REJECTED');
    const status = (await invokeOn(ledger, contract, 'status', [store, 'p1'])).value as { state: string; approvals: string[] };
    assert.equal(status.state, 'REJECTED');
    assert.deepEqual(status.approvals, [approvers[0]]);
  });

  test('a proposal must be well-formed', async () => {
    const ledger = await LocalLedger.create();
    const contract = await ledger.deploy('approval', approval.code);
    const store = (await ledger.createDataAccount('approval-store', [contract])).toBase58();
    const bad = await invokeOn(ledger, contract, 'propose', [store, store, 'p', 'd', approvers, 4n]);
    assert.match(bad.invocation?.failure?.message ?? '', /threshold must be from 1 to 3/);
  });
});
