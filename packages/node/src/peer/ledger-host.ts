import type { HashDigest, PrivKey, PubKey } from '@jadechain/crypto';
import { cryptoSuite } from '@jadechain/crypto';
import {
  BftConsensusEngine,
  EngineError,
  Listeners,
  SingleNodeEngine,
  digestKey,
  suiteCrypto,
  type CommittedBlock,
  type ConsensusEngine,
  type RejectedTransaction,
} from '@jadechain/consensus';
import { Ledger, SignatureCache, decodeTransaction, type AcceptedTransaction, type DecodedTransaction, type LedgerView, type WriteSet } from '@jadechain/ledger';
import { peerContractExecutor } from '@jadechain/contracts/peer';
import { LmdbStore } from '@jadechain/storage';
import { TransactionRequest, signedBytesOf, type Voter } from '@jadechain/types';
import type { Connection } from '@jadechain/p2p';
import { NodeError, type ResultNotice, type SubmitVerdict, type TransactionDropped, type TransactionOutcome } from '@jadechain/service';
import { FailedEngine } from './failed-engine.js';
import { holdsApproveTx } from './gateway-authority.js';
import { Mempool, type Admission, type BatchSignatureVerifier, type Eviction } from '../mempool/index.js';
import type { ConsensusConfig, PeerLedgerConfig } from './config.js';
import type { PeerMetrics } from './metrics.js';
import {
  DurableRecordFile,
  FollowerEngine,
  LedgerCluster,
  MAX_ANSWER_BYTES,
  consensusRoleOf,
  validatorSetOf,
  type ClusterParts,
  type ConsensusRole,
  type ConsensusStatus,
  type ServedLedger,
} from '../cluster/index.js';

/** What every ledger of a peer shares. */
export interface HostParts {
  readonly identity: { readonly privateKey: PrivKey; readonly publicKey: PubKey };
  /** Worker threads verifying signatures for every mempool of the peer. */
  readonly verifier: BatchSignatureVerifier;
  readonly limits: { readonly maxTransactions: number; readonly maxBytes: number };
  readonly metrics: PeerMetrics;
  readonly notify: Notify;
  readonly consensus: ConsensusConfig;
  /** The links to the other peers and what the peer↔peer side counts and logs. */
  readonly cluster: ClusterParts;
}

/** Sends a RESULT notice to a connection that submitted some of its transactions. */
export type Notify = (connection: Connection, notice: ResultNotice) => void;

/**
 * Why a host stopped ordering: the peer is closing (CLOSED) or the consensus engine failed for
 * good (ENGINE_FAILED). Every transaction still waiting is dropped with this code, and every later
 * submission refused with it.
 */
export type HaltCode = 'CLOSED' | 'ENGINE_FAILED';

interface Waiting {
  readonly hash: HashDigest;
  readonly connections: Set<Connection>;
}

function describeRole(role: ConsensusRole): string {
  return role.kind === 'validator' ? `validator ${role.id}` : role.kind;
}

/** Whether two roles are the same part in consensus (a validator under the same id). */
function sameRole(a: ConsensusRole, b: ConsensusRole): boolean {
  return a.kind === b.kind && (a.kind !== 'validator' || (b.kind === 'validator' && a.id === b.id));
}

/**
 * One ledger the peer holds: its LMDB environment, the ledger, the mempool, the consensus engine
 * (and, for BFT, its links to the other peers), and who waits for which transaction. The
 * signature cache is shared by the pool (which verifies on entry) and the ledger (which then
 * finds every signature already checked).
 *
 * A BFT peer's role follows the ledger: when a committed block makes its identity a CONSENSUS
 * participant (activation) or takes that away (deactivation), the host stops the engine and the
 * cluster of the old role and starts those of the new one at the new tip, without a restart
 * (docs/consensus.md, "Membership"). The pool, the store and who waits for what carry over.
 */
export class LedgerHost implements ServedLedger {
  readonly ledger: Ledger;
  readonly pool: Mempool;
  #role: ConsensusRole;
  #engine: ConsensusEngine;
  /** BFT only: the consensus network, transaction fetch and block sync of this ledger. */
  #cluster: LedgerCluster | undefined;
  readonly #parts: HostParts;
  readonly #ledgerPath: string;
  readonly #engineFailures = new Listeners<EngineError>();
  /** A change of role under way (one at a time); undefined otherwise. */
  #switching: Promise<void> | undefined;
  #stopping = false;
  readonly #store: LmdbStore;
  readonly #cache: SignatureCache;
  readonly #metrics: PeerMetrics;
  readonly #notify: Notify;
  readonly #committedListeners = new Listeners<CommittedBlock>();
  /** Admitted transaction (digest key) → the connections that submitted it, until its outcome is sent. */
  readonly #waiting = new Map<string, Waiting>();
  /** Admissions under way (digest key): a second copy of a transaction waits for the first's verdict. */
  readonly #admitting = new Map<string, Promise<Admission>>();
  /** Whether each gateway (base58) held APPROVE_TX at a tip (the tip view itself, which changes with every block). */
  readonly #approvals = new Map<string, { readonly tip: LedgerView; readonly approved: boolean }>();
  #halted: { readonly code: HaltCode; readonly message: string } | undefined;
  /** BFT only: the consensus record's slot files, closed with the store. */
  #records: DurableRecordFile | undefined;

  private constructor(store: LmdbStore, ledger: Ledger, cache: SignatureCache, pool: Mempool, parts: HostParts, ledgerPath: string) {
    this.#store = store;
    this.ledger = ledger;
    this.#cache = cache;
    this.pool = pool;
    this.#metrics = parts.metrics;
    this.#notify = parts.notify;
    this.#parts = parts;
    this.#ledgerPath = ledgerPath;
    this.#role = consensusRoleOf(ledger, parts.identity.publicKey, parts.consensus.protocol);
    this.#cluster = this.#createCluster(this.#role);
    this.#engine = this.#createEngine();
    pool.onEvicted((eviction) => this.#evicted(eviction));
  }

  /** This peer's part in the ledger's consensus now. */
  get role(): ConsensusRole {
    return this.#role;
  }

  /** The consensus engine of the current role. */
  get engine(): ConsensusEngine {
    return this.#engine;
  }

  /** BFT only: the consensus network, transaction fetch and block sync of the current role. */
  get cluster(): LedgerCluster | undefined {
    return this.#cluster;
  }

  /** The engine failed for good (whichever role's engine it was); the host has halted. */
  onEngineFailed(listener: (error: EngineError) => void): () => void {
    return this.#engineFailures.add(listener);
  }

  static open(config: PeerLedgerConfig, parts: HostParts): LedgerHost {
    const store = LmdbStore.open(config.path);
    try {
      const cache = new SignatureCache();
      const ledger = Ledger.open(store, { suite: cryptoSuite, signatureCache: cache, contractExecutor: peerContractExecutor });
      if (!ledger.ledgerHash.equals(config.hash)) {
        throw new NodeError('UNKNOWN_LEDGER', `the store at ${config.path} holds ledger ${ledger.ledgerHash.toBase58()}, not ${config.hash.toBase58()}`);
      }
      const pool = new Mempool({ ledger, verifier: parts.verifier, maxTransactions: parts.limits.maxTransactions, maxBytes: parts.limits.maxBytes });
      return new LedgerHost(store, ledger, cache, pool, parts, config.path);
    } catch (error) {
      void store.close();
      throw error;
    }
  }

  #createCluster(role: ConsensusRole): LedgerCluster | undefined {
    if (role.kind === 'single') return undefined;
    return new LedgerCluster({
      ledger: this.ledger,
      role,
      identity: this.#parts.identity.publicKey,
      parts: this.#parts.cluster,
      admit: (bytes) => this.admitFetched(bytes),
      pooled: (hash) => this.pool.has(hash),
      committed: (block) => this.#syncCommitted(block),
    });
  }

  /** The one place a ledger's consensus engine is chosen and built (see `consensusRoleOf`), with the host listening to it. */
  #createEngine(): ConsensusEngine {
    const engine = this.#buildEngine();
    engine.onCommitted((block) => this.#committed(block));
    engine.onRejected((rejected) => this.#drop(rejected));
    engine.onFailed((error) => {
      this.#engineFailures.emit(error);
      this.#halt('ENGINE_FAILED', `consensus stopped on this ledger: ${error.code}: ${error.message}`);
    });
    return engine;
  }

  #buildEngine(): ConsensusEngine {
    const { identity, consensus } = this.#parts;
    const { ledger, pool, cluster, role } = this;
    if (role.kind === 'follower') return new FollowerEngine(ledger);
    if (role.kind === 'single' || cluster === undefined) {
      const participant = ledger.tip.state().participants().find((candidate) => candidate.pubKey.equals(identity.publicKey));
      const voter: Voter = participant === undefined ? { type: 'PUBKEY', pubKey: identity.publicKey } : { type: 'PARTICIPANT_ID', id: participant.id };
      return new SingleNodeEngine<AcceptedTransaction, LedgerView, WriteSet>({
        ledger,
        pool,
        signer: { voter, sign: (message: Uint8Array) => cryptoSuite.sign(identity.privateKey, message) },
        minBlockIntervalMs: consensus.minBlockIntervalMs,
        maxProposalBytes: MAX_ANSWER_BYTES,
      });
    }
    const engine = new BftConsensusEngine<AcceptedTransaction, LedgerView, WriteSet>({
      ledger,
      pool,
      network: cluster.network,
      records: (this.#records = DurableRecordFile.open(this.#ledgerPath)),
      validatorsOf: validatorSetOf,
      viewAt: (height) => ledger.view(height),
      self: role.id,
      crypto: suiteCrypto(cryptoSuite, identity.privateKey, ledger.tip.settings().crypto.hashAlgorithm),
      timeouts: consensus.timeouts,
      ...(consensus.maxTransactionsPerBlock === undefined ? {} : { maxTransactionsPerBlock: consensus.maxTransactionsPerBlock }),
      fetchMissing: (hashes) => cluster.fetcher.fetch(hashes),
      onProposerSilent: (silence) => cluster.hints.send(silence),
      minBlockIntervalMs: consensus.minBlockIntervalMs,
      // Every block this node proposes fits one block-sync answer (a lone larger transaction
      // still does, below the 4 MiB frame): followers and lagging peers can always fetch it.
      maxProposalBytes: MAX_ANSWER_BYTES,
    });
    cluster.attach(engine);
    return engine;
  }

  /** Every block this ledger commits, by consensus or by block sync, after waiting gateways were told. */
  onCommitted(listener: (block: CommittedBlock) => void): () => void {
    return this.#committedListeners.add(listener);
  }

  /** What /status shows of consensus. */
  consensusStatus(): ConsensusStatus {
    if (this.cluster !== undefined) return this.cluster.status();
    return { protocol: 'single', role: 'single', height: this.ledger.tip.height, validators: [], syncing: false };
  }

  /** The canonical bytes of a pooled or committed transaction (what a peer fetching it gets). */
  transactionBytes(hash: HashDigest): Uint8Array | undefined {
    const pooled = this.pool.get(hash);
    if (pooled !== undefined) return pooled.bytes;
    const recorded = this.ledger.transaction(hash);
    return recorded === undefined ? undefined : TransactionRequest.encode(recorded.request);
  }

  /**
   * Admits a transaction fetched from another peer for a proposal: checked by the pool like any
   * other (every signature verified), with nobody waiting for its result here.
   */
  async admitFetched(bytes: Uint8Array): Promise<Admission> {
    if (this.#halted !== undefined) return { admitted: false, code: 'CLOSED', message: this.#halted.message };
    let transaction: DecodedTransaction;
    try {
      transaction = decodeTransaction(this.ledger.tip.settings(), bytes, cryptoSuite);
    } catch (error) {
      return { admitted: false, code: 'MALFORMED', message: (error as Error).message };
    }
    return this.#enter(digestKey(transaction.transactionHash), transaction);
  }

  start(): void {
    this.engine.start();
    this.cluster?.start();
  }

  /** Transactions someone still waits for (each is answered with an outcome or a drop, never forgotten). */
  get waitingResults(): number {
    return this.#waiting.size;
  }

  /**
   * Stops ordering: blocks in flight commit and are notified, then the mempool closes and every
   * transaction still waiting is dropped with code CLOSED, so each submitter learns at once that
   * it must submit again (the mempool does not survive a restart). The store stays open for queries.
   */
  async stop(): Promise<void> {
    this.#stopping = true;
    await this.#switching;
    await this.cluster?.stop();
    await this.engine.stop();
    this.#halt('CLOSED', 'the peer stopped before the transaction entered a block; submit it again');
  }

  /** Stops (see `stop`), then closes the store. */
  async close(): Promise<void> {
    await this.stop();
    await this.#records?.close();
    await this.#store.close();
  }

  /**
   * Admits the transactions of a batch whose co-signature already verified. The gateway must be
   * an APPROVE_TX holder now (UNAUTHORIZED_GATEWAY); then each transaction is answered on its own.
   */
  async submit(transactions: readonly Uint8Array[], gateway: PubKey, from: Connection): Promise<SubmitVerdict[]> {
    if (this.role.kind === 'follower') {
      throw new NodeError('UNAVAILABLE', `this peer follows ledger ${this.ledger.ledgerHash.toBase58()} without voting: submit to its validators`);
    }
    if (!this.#gatewayApproved(gateway)) {
      throw new NodeError('UNAUTHORIZED_GATEWAY', `${gateway.toBase58()} holds no APPROVE_TX on ledger ${this.ledger.ledgerHash.toBase58()}`);
    }
    return Promise.all(transactions.map((bytes) => this.#admit(bytes, gateway, from)));
  }

  /** holdsApproveTx as of the tip, remembered until the tip moves: a gateway sends many batches a block. */
  #gatewayApproved(gateway: PubKey): boolean {
    const tip = this.ledger.tip;
    const known = this.#approvals.get(gateway.toBase58());
    if (known !== undefined && known.tip === tip) return known.approved;
    const approved = holdsApproveTx(tip.state(), gateway);
    if (this.#approvals.size >= 64) this.#approvals.clear();
    this.#approvals.set(gateway.toBase58(), { tip, approved });
    return approved;
  }

  async #admit(bytes: Uint8Array, gateway: PubKey, from: Connection): Promise<SubmitVerdict> {
    // Decoded and hashed once here; the pool takes the result as it is.
    let transaction: DecodedTransaction;
    try {
      transaction = decodeTransaction(this.ledger.tip.settings(), bytes, cryptoSuite);
    } catch (error) {
      return this.#refused(undefined, 'MALFORMED', (error as Error).message);
    }
    const hash = transaction.transactionHash;
    this.#vouchForGatewaySignature(transaction.request, hash, gateway);
    const key = digestKey(hash);
    const admission = await this.#enter(key, transaction);
    // Halted meanwhile (or before): the pool is closed and nobody would ever answer a wait.
    if (this.#halted !== undefined) return this.#refused(hash, this.#halted.code, this.#halted.message);
    if (!admission.admitted && admission.code === 'ALREADY_COMMITTED') return this.#recorded(hash);
    // A transaction already pooled (a client's retry, another gateway) is waited for like a new one.
    if (!admission.admitted && admission.code !== 'DUPLICATE') return this.#refused(hash, admission.code, admission.message);
    // No block can take it before this runs: the pool answered in this same chain of microtasks,
    // and engines propose and commit only on later turns of the event loop.
    let waiting = this.#waiting.get(key);
    if (waiting === undefined) this.#waiting.set(key, (waiting = { hash, connections: new Set() }));
    waiting.connections.add(from);
    this.#metrics.admitted += 1;
    return { status: 'ADMITTED', transactionHash: hash, code: '', message: '' };
  }

  /**
   * Puts a transaction through the pool, one copy of a hash at a time. A copy arriving while
   * another copy is checked takes that verdict if it was admitted; if it was refused (the other
   * copy's signatures were bad, say), this copy is checked on its own bytes. The pool alone would
   * answer DUPLICATE and leave this copy waiting for a transaction that never entered it.
   */
  async #enter(key: string, transaction: DecodedTransaction): Promise<Admission> {
    for (let earlier = this.#admitting.get(key); earlier !== undefined; earlier = this.#admitting.get(key)) {
      const verdict = await earlier;
      if (verdict.admitted) return verdict;
    }
    const admission = this.pool.add(transaction);
    this.#admitting.set(key, admission);
    try {
      return await admission;
    } finally {
      if (this.#admitting.get(key) === admission) this.#admitting.delete(key);
    }
  }

  /**
   * The gateway's batch co-signature covers this transaction's exact bytes, its own node signature
   * included: the peer takes that signature as checked (docs/adr/0009), so the pool and the ledger
   * do not verify it again. Other node signatures are verified as usual.
   */
  #vouchForGatewaySignature(request: TransactionRequest, hash: HashDigest, gateway: PubKey): void {
    const message = signedBytesOf(hash);
    for (const signature of request.nodeSignatures) {
      if (signature.pubKey.equals(gateway)) this.#cache.remember({ message, publicKey: signature.pubKey, signature: signature.signature });
    }
  }

  /** A resubmitted transaction: its recorded result stands. */
  #recorded(hash: HashDigest): SubmitVerdict {
    const recorded = this.ledger.transaction(hash);
    const block = recorded === undefined ? undefined : this.ledger.block(Number(recorded.result.blockHeight));
    if (recorded === undefined || block === undefined) return this.#refused(hash, 'UNAVAILABLE', 'the transaction was reported committed but is not found');
    const outcome = { transactionHash: hash, blockHeight: recorded.result.blockHeight, blockHash: block.blockHash, state: recorded.result.state };
    return { status: 'COMMITTED', transactionHash: hash, code: '', message: '', outcome };
  }

  #refused(hash: HashDigest | undefined, code: string, message: string): SubmitVerdict {
    this.#metrics.rejections.add(code);
    return { status: 'REFUSED', ...(hash === undefined ? {} : { transactionHash: hash }), code, message: message.slice(0, 1000) };
  }

  #committed(block: CommittedBlock): void {
    this.#metrics.blocks += 1;
    this.#metrics.blockRounds.add(block.certificate.round === 0 ? '0' : block.certificate.round === 1 ? '1' : '2+');
    this.#metrics.committed += block.results.length;
    const byConnection = new Map<Connection, TransactionOutcome[]>();
    for (const result of block.results) {
      const key = digestKey(result.transactionHash);
      const outcome = { transactionHash: result.transactionHash, blockHeight: result.blockHeight, blockHash: block.blockHash, state: result.state };
      for (const connection of this.#waiting.get(key)?.connections ?? []) {
        let list = byConnection.get(connection);
        if (list === undefined) byConnection.set(connection, (list = []));
        list.push(outcome);
      }
      this.#waiting.delete(key);
    }
    for (const [connection, outcomes] of byConnection) this.#notify(connection, { ledgerHash: this.ledger.ledgerHash, outcomes, dropped: [] });
    this.#committedListeners.emit(block);
    this.#reconsiderRole();
  }

  /** After a commit: has the block changed this peer's part in consensus? Then switch (see the class comment). */
  #reconsiderRole(): void {
    if (this.#parts.consensus.protocol === 'single' || this.#switching !== undefined || this.#stopping || this.#halted !== undefined) return;
    if (sameRole(consensusRoleOf(this.ledger, this.#parts.identity.publicKey, 'bft'), this.#role)) return;
    // Not inside the engine's or the block sync's turn: they are stopped first, and finish what they were doing.
    this.#switching = this.#switchRole()
      .catch((error: unknown) => {
        // Neither role runs now: stop ordering for good, as when an engine fails, and say why
        // where an operator looks (the log, /health, /status, every refused submission).
        const failure = new EngineError('INVALID_STATE', `this peer could not become ${describeRole(this.#role)}: ${error instanceof Error ? error.message : String(error)}`);
        this.#engine = new FailedEngine(this.ledger, failure);
        this.#engineFailures.emit(failure);
        this.#halt('ENGINE_FAILED', failure.message);
      })
      .finally(() => {
        this.#switching = undefined;
        // The ledger may have moved on while the switch ran (another change of membership, say).
        this.#reconsiderRole();
      });
  }

  async #switchRole(): Promise<void> {
    const { logger } = this.#parts.cluster;
    const from = this.#role;
    await this.#cluster?.stop();
    await this.#engine.stop();
    await this.#records?.close();
    this.#records = undefined;
    if (this.#stopping || this.#halted !== undefined) return;
    // The role is the ledger's to say, whether or not its engine then starts.
    this.#role = consensusRoleOf(this.ledger, this.#parts.identity.publicKey, 'bft');
    this.#cluster = this.#createCluster(this.#role);
    this.#engine = this.#createEngine();
    this.#engine.start();
    this.#cluster?.start();
    logger.info('consensus role changed', { ledger: this.ledger.ledgerHash.toBase58(), height: this.ledger.tip.height, from: describeRole(from), to: describeRole(this.#role) });
  }

  /** A block sync committed: the pool forgets its transactions (as an engine's commit tells it), then as any commit. */
  #syncCommitted(block: CommittedBlock): void {
    this.pool.committed({ height: block.height, timestamp: block.header.timestamp, transactionHashes: block.results.map((result) => result.transactionHash) });
    this.#committed(block);
  }

  #evicted(eviction: Eviction): void {
    this.#drop(eviction.transactionHashes.map((transactionHash) => ({ transactionHash, code: eviction.code, message: 'the timestamp window moved past the transaction' })));
  }

  /** Stops for good: the pool closes and every waiting transaction is dropped with `code`. */
  #halt(code: HaltCode, message: string): void {
    if (this.#halted !== undefined) return;
    this.#halted = { code, message };
    this.pool.close();
    this.#drop([...this.#waiting.values()].map(({ hash }) => ({ transactionHash: hash, code, message })));
  }

  /** Transactions that will never be recorded: each waiting connection learns why. */
  #drop(rejected: readonly RejectedTransaction[]): void {
    const byConnection = new Map<Connection, TransactionDropped[]>();
    for (const { transactionHash: hash, code, message } of rejected) {
      this.#metrics.rejections.add(code);
      const key = digestKey(hash);
      for (const connection of this.#waiting.get(key)?.connections ?? []) {
        let list = byConnection.get(connection);
        if (list === undefined) byConnection.set(connection, (list = []));
        list.push({ transactionHash: hash, code, message: message.slice(0, 1000) });
      }
      this.#waiting.delete(key);
    }
    for (const [connection, dropped] of byConnection) this.#notify(connection, { ledgerHash: this.ledger.ledgerHash, outcomes: [], dropped });
  }

  /** A gateway went away: nobody waits on its behalf any more. */
  forget(connection: Connection): void {
    for (const [key, waiting] of this.#waiting) {
      waiting.connections.delete(connection);
      if (waiting.connections.size === 0) this.#waiting.delete(key);
    }
  }
}
