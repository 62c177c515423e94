import { writeFileSync } from 'node:fs';
import { cryptoSuite, type Address, type HashDigest } from '@jadechain/crypto';
import { SubmitTimeoutError, type GatewayClient, type SubmitResult } from '@jadechain/sdk';
import { TransactionRequest, transactionHash } from '@jadechain/types';
import type { CommandContext } from '../context.js';
import { EXIT_NEGATIVE } from '../errors.js';

/** What a transaction command reports besides the result: e.g. the address of a new account. */
export interface Created {
  readonly address?: Address;
}

function print(ctx: CommandContext, json: boolean, fields: Record<string, string | number>): void {
  if (json) ctx.io.stdout(`${JSON.stringify(fields, null, 2)}\n`);
  else for (const [name, value] of Object.entries(fields)) ctx.io.stdout(`${name.padEnd(12)} ${value}\n`);
}

function withAddress(fields: Record<string, string | number>, created: Created): Record<string, string | number> {
  // The new address goes last, so that scripts can take the last word of the output.
  return created.address === undefined ? fields : { ...fields, address: created.address.toBase58() };
}

export function hashOfRequest(request: TransactionRequest, ledgerHash: HashDigest): HashDigest {
  return transactionHash(cryptoSuite, ledgerHash.algorithm, request.content);
}

/** Writes a signed request for `tx send` to submit later, from a machine that may be online. */
export function saveOffline(ctx: CommandContext, file: string, request: TransactionRequest, json: boolean, created: Created): void {
  writeFileSync(file, `${TransactionRequest.toJsonText(request)}\n`);
  const hash = hashOfRequest(request, request.content.ledgerHash);
  print(ctx, json, withAddress({ transaction: hash.toBase58(), signed: file }, created));
}

/**
 * Submits and reports: exit 0 when committed with SUCCESS, 1 when the ledger recorded another
 * state or the gateway stopped waiting (the hash is printed so the outcome can be asked later).
 */
export async function submitAndReport(ctx: CommandContext, client: GatewayClient, request: TransactionRequest, json: boolean, created: Created): Promise<void> {
  let result: SubmitResult;
  try {
    result = await client.submit(request);
  } catch (err) {
    if (!(err instanceof SubmitTimeoutError)) throw err;
    print(ctx, json, { transaction: err.transactionHash, state: 'TIMEOUT' });
    ctx.io.stderr(`jadechain: ${err.message} [TIMEOUT]\n`);
    ctx.exitCode = EXIT_NEGATIVE;
    return;
  }
  print(ctx, json, withAddress({ transaction: result.transactionHash, state: result.state, block: result.blockHeight }, created));
  if (result.state !== 'SUCCESS') {
    ctx.io.stderr(`jadechain: the ledger rejected the transaction [${result.state}]\n`);
    ctx.exitCode = EXIT_NEGATIVE;
  }
}
