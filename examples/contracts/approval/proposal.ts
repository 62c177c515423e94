import type { ContractContext } from '@jadechain/contracts';

/** A proposal as stored (JSON) under "proposal:<id>"; the threshold is decimal text. */
export interface Proposal {
  readonly proposer: string;
  readonly description: string;
  readonly events: string;
  readonly approvers: string[];
  readonly threshold: string;
  readonly approvals: string[];
  readonly state: 'PENDING' | 'APPROVED' | 'REJECTED';
}

export function loadProposal(ctx: ContractContext, store: string, id: string): Proposal | null {
  return ctx.kv.get<Proposal>(store, `proposal:${id}`)?.value ?? null;
}

/** Writes the proposal, stating the version it replaces (−1 for a new one). */
export function saveProposal(ctx: ContractContext, store: string, id: string, proposal: Proposal, expectedVersion: bigint): void {
  ctx.kv.set(store, `proposal:${id}`, proposal, expectedVersion);
}

export function requireApprover(proposal: Proposal, who: string): void {
  if (!proposal.approvers.includes(who)) throw new Error(`${who} is not an approver of this proposal`);
}
