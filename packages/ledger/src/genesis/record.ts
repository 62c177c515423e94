import { LedgerInitProposal, LedgerInitSignature } from '@jadechain/types';
import { LedgerError } from '../errors.js';

/**
 * Stored once under `G`: the init proposal and the founding signatures, each as
 * u32 length ‖ canonical encoding (proposal first). Opening a ledger reads the state hash
 * algorithm from here, since the state itself cannot be read without it.
 */
export function encodeGenesisRecord(proposal: LedgerInitProposal, signatures: readonly LedgerInitSignature[]): Uint8Array {
  const parts = [LedgerInitProposal.encode(proposal), ...signatures.map((signature) => LedgerInitSignature.encode(signature))];
  const out = new Uint8Array(parts.reduce((total, part) => total + 4 + part.length, 0));
  const view = new DataView(out.buffer);
  let offset = 0;
  for (const part of parts) {
    view.setUint32(offset, part.length);
    out.set(part, offset + 4);
    offset += 4 + part.length;
  }
  return out;
}

export function decodeGenesisRecord(bytes: Uint8Array): { proposal: LedgerInitProposal; signatures: LedgerInitSignature[] } {
  try {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const parts: Uint8Array[] = [];
    for (let offset = 0; offset < bytes.length; ) {
      const length = view.getUint32(offset);
      if (offset + 4 + length > bytes.length) throw new RangeError('a part runs past the end');
      parts.push(bytes.subarray(offset + 4, offset + 4 + length));
      offset += 4 + length;
    }
    const [proposal, ...signatures] = parts;
    if (proposal === undefined) throw new RangeError('no proposal');
    return { proposal: LedgerInitProposal.decode(proposal), signatures: signatures.map((part) => LedgerInitSignature.decode(part)) };
  } catch (error) {
    throw new LedgerError('CORRUPT_STATE', `the stored genesis record does not decode: ${(error as Error).message}`);
  }
}
