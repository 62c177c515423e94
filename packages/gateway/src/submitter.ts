import { CryptoError, cryptoSuite, HASH_ALGORITHMS, type HashAlgorithm, type HashDigest, type PrivKey, type PubKey } from '@jadechain/crypto';
import { MAX_SUBMIT_BATCH_BYTES, type TransactionOutcome } from '@jadechain/service';
import { CodecError, TransactionRequest, signHash, transactionHash, transactionHashOfContentBytes, verifyHashSignature } from '@jadechain/types';
import type { Batcher } from './batcher.js';
import { GatewayError } from './errors.js';
import type { NetworkView } from './network-view.js';
import type { PeerLinks } from './peer-links.js';
import { askAny, askPeer, type QueryAnswer } from './peer-query.js';
import { recordedOutcome, type FinalityTracker, type FinalityWait } from './results.js';
import { describeOutcome, type Decision, type Tally } from './tally.js';

export type Submission =
  | { readonly kind: 'committed'; readonly transactionHash: HashDigest; readonly outcome: TransactionOutcome }
  | { readonly kind: 'timeout'; readonly transactionHash: HashDigest };

/** A ledger's hash algorithm may change (HashAlgorithmUpdate); it is asked for again after this long. */
const SETTINGS_TTL_MS = 10_000;

/** Maps a codec failure of a client's transaction to the gateway's code. */
export function codecRefusal(error: CodecError | CryptoError): GatewayError {
  if (error instanceof CryptoError || error.code === 'INVALID_CRYPTO_VALUE') return new GatewayError('BAD_BASE58', error.message);
  if (error.code === 'UNKNOWN_TYPE_CODE') return new GatewayError('UNKNOWN_OPERATION', error.message);
  return new GatewayError('MALFORMED_TRANSACTION', error.message);
}

/**
 * What the gateway does with a client's transaction: checks it (ledger, endpoint signatures),
 * adds its own node signature, hands it to the batcher (which sends it to every connected
 * peer), and waits until the peers' reports decide it (tally.ts) or the wait runs out.
 */
export class Submitter {
  readonly #algorithms = new Map<string, { readonly algorithm: HashAlgorithm; readonly until: number }>();
  readonly #publicKey: PubKey;

  constructor(
    private readonly links: PeerLinks,
    private readonly view: NetworkView,
    private readonly batcher: Batcher,
    private readonly tracker: FinalityTracker,
    private readonly privateKey: PrivKey,
    private readonly commitWaitMs: number,
  ) {
    this.#publicKey = cryptoSuite.publicKeyOf(privateKey);
  }

  /**
   * `contentBytes`: the content's canonical encoding when the request came as bytes
   * (decodeTransactionRequest), hashed as it is. The decoded request stays out of the frames
   * that wait for the commit: a suspended async function keeps every local alive, and the
   * request's object graph (≈4 KB per transaction) then lived as long as the commit took, to be
   * copied by each scavenge and promoted.
   */
  async submit(ledgerHash: HashDigest, request: TransactionRequest, contentBytes?: Uint8Array): Promise<Submission> {
    if (!request.content.ledgerHash.equals(ledgerHash)) {
      throw new GatewayError('WRONG_LEDGER', `the transaction is for ledger ${request.content.ledgerHash.toBase58()}, the path names ${ledgerHash.toBase58()}`);
    }
    const algorithm = await this.#hashAlgorithm(ledgerHash);
    return this.#send(ledgerHash, this.#cosign(algorithm, request, contentBytes));
  }

  /** Checks the endpoint signatures and adds this gateway's node signature: the hash and the co-signed bytes. */
  #cosign(algorithm: HashAlgorithm, request: TransactionRequest, contentBytes: Uint8Array | undefined): { readonly hash: HashDigest; readonly bytes: Uint8Array } {
    const hash = contentBytes === undefined ? transactionHash(cryptoSuite, algorithm, request.content) : transactionHashOfContentBytes(cryptoSuite, algorithm, contentBytes);
    if (request.endpointSignatures.length === 0) throw new GatewayError('NO_ENDPOINT_SIGNATURE', 'the transaction has no endpoint signature');
    for (const signature of request.endpointSignatures) {
      if (!verifies(signature, hash)) throw new GatewayError('INVALID_ENDPOINT_SIGNATURE', `the signature of ${signature.pubKey.toBase58()} does not verify`);
    }
    const cosigned: TransactionRequest = {
      ...request,
      nodeSignatures: [...request.nodeSignatures.filter((signature) => !signature.pubKey.equals(this.#publicKey)), signHash(cryptoSuite, this.privateKey, hash)],
    };
    let bytes: Uint8Array;
    try {
      bytes = TransactionRequest.encode(cosigned);
    } catch (error) {
      if (error instanceof CodecError) throw codecRefusal(error);
      throw error;
    }
    if (bytes.length > MAX_SUBMIT_BATCH_BYTES) {
      throw new GatewayError('TRANSACTION_TOO_LARGE', `the co-signed transaction is ${bytes.length} bytes; a batch to the peers carries at most ${MAX_SUBMIT_BATCH_BYTES}`);
    }
    return { hash, bytes };
  }

  /** Registers the wait and hands the bytes to the batcher; the frame that waits for the decision holds only the hash. */
  async #send(ledgerHash: HashDigest, { hash, bytes }: { readonly hash: HashDigest; readonly bytes: Uint8Array }): Promise<Submission> {
    const wait = this.tracker.wait(hash, await this.view.finalityOf(ledgerHash.toBase58()), this.commitWaitMs);
    this.batcher.enqueue(ledgerHash, bytes, wait.sink);
    return this.#decide(ledgerHash, hash, wait);
  }

  async #decide(ledgerHash: HashDigest, hash: HashDigest, wait: FinalityWait): Promise<Submission> {
    const decision = (await wait.settled) ?? (await this.#lookUp(ledgerHash, hash, wait.tally));
    switch (decision.kind) {
      case 'committed':
        return { kind: 'committed', transactionHash: hash, outcome: decision.outcome };
      case 'failed':
        throw decision.error;
      case 'conflict':
        throw new GatewayError('CONFLICTING_RESULTS', `peers name different blocks for ${hash.toBase58()}: ${decision.outcomes.map(describeOutcome).join('; ')}`);
      case 'pending':
        return { kind: 'timeout', transactionHash: hash };
    }
  }

  /**
   * The wait ran out: asks every connected peer that has not reported a commit whether the
   * transaction is recorded, and decides again by the same rule (f+1 naming the same block).
   */
  async #lookUp(ledgerHash: HashDigest, hash: HashDigest, tally: Tally): Promise<Decision> {
    const asked = this.links.connected().filter((peer) => tally.reports.get(peer)?.kind !== 'committed');
    await Promise.all(asked.map(async (peer) => {
      const outcome = await recordedOutcome((path) => askPeer(this.links, peer, { method: 'GET', path, query: '' }), ledgerHash, hash);
      if (outcome === undefined) return;
      const disagreement = tally.report(peer, { kind: 'committed', outcome });
      if (disagreement !== undefined) this.tracker.logDisagreement(hash, disagreement);
    }));
    const decision = tally.decision();
    return decision.kind === 'committed' || decision.kind === 'conflict' ? decision : { kind: 'pending' };
  }

  /**
   * Proxies a query to a peer, preferring those at the highest known height of the ledger and
   * asking the others when one answers "not found" (askAny); the status and envelope come back as they are.
   */
  async query(method: 'GET' | 'POST', path: string, query: string, body: string | undefined): Promise<QueryAnswer> {
    return askAny(this.links, { method, path, query, ...(body === undefined ? {} : { body }) }, this.view.preferredFor(path));
  }

  /** The ledger's current hash algorithm, from its crypto settings (UNKNOWN_LEDGER when no peer holds it). */
  async #hashAlgorithm(ledgerHash: HashDigest): Promise<HashAlgorithm> {
    const key = ledgerHash.toBase58();
    const known = this.#algorithms.get(key);
    if (known !== undefined && known.until > Date.now()) return known.algorithm;
    const answer = await this.query('GET', `/ledgers/${key}/settings/crypto`, '', undefined);
    const algorithm = hashAlgorithmOf(JSON.parse(answer.body) as unknown);
    if (algorithm === undefined) throw new GatewayError('UNKNOWN_LEDGER', `no peer holds ledger ${key}`);
    this.#algorithms.set(key, { algorithm, until: Date.now() + SETTINGS_TTL_MS });
    return algorithm;
  }

  get publicKey(): PubKey {
    return this.#publicKey;
  }
}

function verifies(signature: TransactionRequest['endpointSignatures'][number], hash: HashDigest): boolean {
  try {
    return verifyHashSignature(cryptoSuite, signature, hash);
  } catch (error) {
    if (error instanceof CryptoError) return false;
    throw error;
  }
}

/**
 * Reads the hash algorithm from JD Chain's CryptoSetting JSON: `hashAlgorithm` is a JD code,
 * named in `supportedProviders[].algorithms[]`. Undefined when the envelope is a failure.
 */
function hashAlgorithmOf(envelope: unknown): HashAlgorithm | undefined {
  const data = (envelope as { success?: boolean; data?: { hashAlgorithm?: number; supportedProviders?: Array<{ algorithms?: Array<{ name?: string; code?: number }> }> } }).data;
  if ((envelope as { success?: boolean }).success !== true || data === undefined) return undefined;
  for (const provider of data.supportedProviders ?? []) {
    for (const algorithm of provider.algorithms ?? []) {
      if (algorithm.code === data.hashAlgorithm && algorithm.name !== undefined) {
        return HASH_ALGORITHMS.find((known) => known === algorithm.name);
      }
    }
  }
  return undefined;
}
