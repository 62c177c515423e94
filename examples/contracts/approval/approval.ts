import type { ContractContext } from '@jadechain/contracts';
import { loadProposal, requireApprover, saveProposal, type Proposal } from './proposal.js';

/**
 * A multi-party approval workflow: a proposal names its approvers and how many approvals it
 * needs; each approver approves (several may sign one transaction together) or rejects; the
 * proposal is APPROVED once the threshold is reached and REJECTED by any rejection. Decisions are
 * published on the event account given at creation.
 */
export function propose(ctx: ContractContext, store: string, events: string, id: string, description: string, approvers: string[], threshold: bigint): string {
  if (!Array.isArray(approvers) || approvers.length === 0) throw new Error('a proposal needs at least one approver');
  if (new Set(approvers).size !== approvers.length) throw new Error('approvers must be distinct');
  if (threshold < 1n || threshold > BigInt(approvers.length)) throw new Error(`the threshold must be from 1 to ${approvers.length}`);
  if (loadProposal(ctx, store, id) !== null) throw new Error(`proposal ${id} exists already`);
  const proposal: Proposal = { proposer: ctx.caller, description, events, approvers, threshold: threshold.toString(), approvals: [], state: 'PENDING' };
  saveProposal(ctx, store, id, proposal, -1n);
  return proposal.state;
}

/** Records the approval of every approver signing this transaction; returns the proposal's state. */
export function approve(ctx: ContractContext, store: string, id: string): string {
  const { proposal, version } = pending(ctx, store, id);
  const approving = ctx.signers.filter((signer) => proposal.approvers.includes(signer) && !proposal.approvals.includes(signer));
  if (approving.length === 0) throw new Error('no signer of this transaction is an approver who has not approved yet');
  const approvals = [...proposal.approvals, ...approving];
  const state = BigInt(approvals.length) >= BigInt(proposal.threshold) ? 'APPROVED' : 'PENDING';
  saveProposal(ctx, store, id, { ...proposal, approvals, state }, version);
  if (state === 'APPROVED') ctx.events.publish(proposal.events, 'approved', { id, approvals });
  return state;
}

/** One approver's rejection ends the proposal. */
export function reject(ctx: ContractContext, store: string, id: string, reason: string): string {
  const { proposal, version } = pending(ctx, store, id);
  requireApprover(proposal, ctx.caller);
  saveProposal(ctx, store, id, { ...proposal, state: 'REJECTED' }, version);
  ctx.events.publish(proposal.events, 'rejected', { id, by: ctx.caller, reason });
  return 'REJECTED';
}

export function status(ctx: ContractContext, store: string, id: string): Proposal | null {
  return loadProposal(ctx, store, id);
}

function pending(ctx: ContractContext, store: string, id: string): { proposal: Proposal; version: bigint } {
  const entry = ctx.kv.get<Proposal>(store, `proposal:${id}`);
  if (entry === null) throw new Error(`no proposal ${id}`);
  if (entry.value.state !== 'PENDING') throw new Error(`proposal ${id} is ${entry.value.state}`);
  return { proposal: entry.value, version: entry.version };
}
