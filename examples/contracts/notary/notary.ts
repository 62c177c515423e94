import type { ContractContext } from '@jadechain/contracts';

/**
 * A notary: documents are anchored by their SHA-256 hash (64 hex digits) in a data account the
 * contract owns. An anchor records who anchored it, when (block height and consensus time) and
 * a short description; it can be handed to a new holder, never rewritten.
 */
interface Anchor {
  readonly holder: string;
  readonly anchoredBy: string;
  readonly description: string;
  readonly blockHeight: string;
  readonly timestamp: string;
}

const HASH = /^[0-9a-f]{64}$/;
const MAX_DESCRIPTION = 256;

function anchorKey(documentHash: string): string {
  if (!HASH.test(documentHash)) throw new Error(`a document hash is 64 lowercase hex digits, got "${documentHash.slice(0, 80)}"`);
  return `doc:${documentHash}`;
}

/** Anchors a document; fails if it is anchored already. Returns the block height. */
export function anchor(ctx: ContractContext, store: string, documentHash: string, description: string): bigint {
  const key = anchorKey(documentHash);
  if (description.length > MAX_DESCRIPTION) throw new Error(`a description has at most ${MAX_DESCRIPTION} characters`);
  if (ctx.kv.get(store, key) !== null) throw new Error(`document ${documentHash} is already anchored`);
  const record: Anchor = {
    holder: ctx.caller,
    anchoredBy: ctx.caller,
    description,
    blockHeight: ctx.tx.blockHeight.toString(),
    timestamp: ctx.tx.blockTimestamp.toString(),
  };
  ctx.kv.set(store, key, record, -1n);
  return ctx.tx.blockHeight;
}

/** The anchor of a document, or null when it was never anchored. */
export function verify(ctx: ContractContext, store: string, documentHash: string): Anchor | null {
  return ctx.kv.get<Anchor>(store, anchorKey(documentHash))?.value ?? null;
}

/** Hands a document to a new holder; only its current holder may. Returns the anchor's new version. */
export function handOver(ctx: ContractContext, store: string, documentHash: string, newHolder: string): bigint {
  const key = anchorKey(documentHash);
  const entry = ctx.kv.get<Anchor>(store, key);
  if (entry === null) throw new Error(`document ${documentHash} is not anchored`);
  if (entry.value.holder !== ctx.caller) throw new Error('only the holder may hand a document over');
  return ctx.kv.set(store, key, { ...entry.value, holder: newHolder }, entry.version);
}
