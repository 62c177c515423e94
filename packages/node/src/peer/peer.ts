import type { PubKey } from '@jadechain/crypto';
import { Router, TransportMetrics, TransportServer, type Connection } from '@jadechain/p2p';
import {
  CHANNEL,
  NodeError,
  QueryRequest,
  QueryResponse,
  ResultNotice,
  SubmitAck,
  SubmitBatch,
  decodeMessage,
  jsonLogger,
  prepareIdentity,
  verifySubmitBatch,
  type Logger,
} from '@jadechain/service';
import type { PeerConfig } from './config.js';
import { isConfiguredGateway } from './gateway-authority.js';
import { LedgerHost } from './ledger-host.js';
import { SignatureWorkerPool } from '../mempool/index.js';
import { startManagement } from './management.js';
import { PeerMetrics } from './metrics.js';
import { createQueryBridge, type QueryBridge } from './query-bridge.js';
import { withTipWaits } from './events.js';
import { PEER_CHANNEL, PeerLinks, participantIdOf, routeConsensusMessage, routeProposerHint, serveBlockPage, serveBlocks, serveStatus, serveTransactions, type ConsensusNetwork, type ProposerHints } from '../cluster/index.js';

export interface PeerHandle {
  readonly identity: PubKey;
  /** Where gateways connect (the port actually bound when the configuration said 0). */
  readonly p2pAddress: { readonly host: string; readonly port: number };
  readonly managementAddress: { readonly host: string; readonly port: number };
  /**
   * Stops taking work, lets blocks in flight commit, drops what is left in the mempools (code
   * CLOSED, notified to the submitting gateways), then closes connections and stores.
   */
  close(): Promise<void>;
}

/**
 * Starts a peer: opens every configured ledger, starts its consensus engine, listens for
 * gateways on the transport and serves the management HTTP endpoint.
 */
export async function startPeer(config: PeerConfig, logger: Logger = jsonLogger('peer')): Promise<PeerHandle> {
  const identity = await prepareIdentity(config.identity, config.transport, 'PEER');
  const metrics = new PeerMetrics();
  const hosts = new Map<string, LedgerHost>();
  const workers = new SignatureWorkerPool(config.mempool.verifyWorkers === undefined ? {} : { workers: config.mempool.verifyWorkers });
  const notify = (connection: Connection, notice: ResultNotice): void => {
    if (!connection.isOpen) return;
    // A notice the queue cannot take is lost; the gateway's wait then ends in TIMEOUT and the
    // client asks for the result by hash (the transport counts the drop).
    if (!connection.send(CHANNEL.RESULT, ResultNotice.encode(notice))) logger.warn('result notice dropped', { remote: connection.peer.remoteAddress });
  };
  const p2pLogger = jsonLogger('p2p');
  const transportMetrics = new TransportMetrics();
  // One router serves both the connections gateways and peers open and those this peer dials.
  const router = new Router();
  const links = new PeerLinks({ credentials: identity.credentials, self: identity.publicKey, peers: config.peers, router, metrics: transportMetrics, logger: p2pLogger });
  const cluster = { links, metrics: metrics.cluster, logger };
  try {
    for (const ledgerConfig of config.ledgers) {
      const host = LedgerHost.open(ledgerConfig, { identity, verifier: workers, limits: config.mempool, metrics, notify, consensus: config.consensus, cluster });
      hosts.set(ledgerConfig.hash.toBase58(), host);
      logger.info('ledger opened', { ledger: ledgerConfig.hash.toBase58(), height: host.ledger.tip.height, path: ledgerConfig.path, consensus: host.role.kind });
    }
  } catch (error) {
    await Promise.all([...hosts.values()].map((host) => host.close()));
    await workers.close();
    throw error;
  }
  // Looked up per message: a host's cluster is replaced when the peer's role in that ledger changes.
  const networks = { get: (hash: string): ConsensusNetwork | undefined => hosts.get(hash)?.cluster?.network };
  const hints = { get: (hash: string): ProposerHints | undefined => hosts.get(hash)?.cluster?.hints };
  const queries = withTipWaits(createQueryBridge(hosts), hosts);
  router
    .onRequest(CHANNEL.SUBMIT, (body, from) => handleSubmit(body, from, hosts, metrics, logger))
    .onRequest(CHANNEL.QUERY, (body) => handleQuery(body, queries, metrics))
    .onMessage(PEER_CHANNEL.CONSENSUS, (body, from) => routeConsensusMessage(body, from, networks, metrics.cluster))
    .onMessage(PEER_CHANNEL.PROPOSER_HINT, (body, from) => routeProposerHint(body, from, hints, metrics.cluster))
    .onRequest(PEER_CHANNEL.TRANSACTIONS, (body) => serveTransactions(body, hosts, metrics.cluster))
    .onRequest(PEER_CHANNEL.STATUS, (body) => serveStatus(body, hosts))
    .onRequest(PEER_CHANNEL.BLOCKS, (body) => serveBlocks(body, hosts, metrics.cluster))
    .onRequest(PEER_CHANNEL.BLOCK_PAGE, (body) => serveBlockPage(body, hosts));
  // Another peer may connect when it is a participant (in any state) of a ledger this peer holds.
  const isParticipant = (identityKey: PubKey): boolean => [...hosts.values()].some((host) => participantIdOf(host.ledger.tip, identityKey) !== undefined);
  const server = new TransportServer({
    credentials: identity.credentials,
    authorize: ({ identityKey, role }) => (role === 'GATEWAY' ? isConfiguredGateway(config.gateways, identityKey) : isParticipant(identityKey)),
    router,
    logger: p2pLogger,
    metrics: transportMetrics,
    onConnection: (connection) => {
      if (connection.peer.role === 'PEER') links.accept(connection);
      void connection.closed.then(() => {
        for (const host of hosts.values()) host.forget(connection);
      });
    },
  });
  for (const [ledger, host] of hosts) {
    host.onEngineFailed((error) => logger.error('consensus engine failed', { ledger, code: error.code, reason: error.message }));
    host.start();
  }
  links.start();
  let p2pAddress: { host: string; port: number };
  let management: Awaited<ReturnType<typeof startManagement>>;
  try {
    p2pAddress = await server.listen(config.p2p.port, config.p2p.host);
    management = await startManagement(config.management, { hosts, server, metrics, queries });
  } catch (error) {
    await links.close();
    await server.close();
    await Promise.all([...hosts.values()].map((host) => host.close()));
    await workers.close();
    throw error;
  }
  logger.info('peer started', { identity: identity.publicKey.toBase58(), p2p: `${p2pAddress.host}:${p2pAddress.port}`, management: `${management.address.host}:${management.address.port}` });
  let closing: Promise<void> | undefined;
  return {
    identity: identity.publicKey,
    p2pAddress,
    managementAddress: management.address,
    close() {
      closing ??= (async () => {
        await management.close();
        // Ordering stops while gateways are still connected, so that the notices of the last
        // blocks and the CLOSED drops of what is left in the mempools reach them before the
        // connections close (which writes every queued frame).
        await Promise.all([...hosts.values()].map((host) => host.stop()));
        await links.close();
        await server.close();
        await Promise.all([...hosts.values()].map((host) => host.close()));
        await workers.close();
        logger.info('peer stopped', {});
      })();
      return closing;
    },
  };
}

async function handleSubmit(body: Uint8Array, from: Connection, hosts: ReadonlyMap<string, LedgerHost>, metrics: PeerMetrics, logger: Logger): Promise<Uint8Array> {
  metrics.batches += 1;
  try {
    const batch = decodeMessage(SubmitBatch, body, 'SUBMIT');
    verifySubmitBatch(batch, from.peer.identityKey);
    const ledger = batch.content.ledgerHash.toBase58();
    const host = hosts.get(ledger);
    if (host === undefined) throw new NodeError('UNKNOWN_LEDGER', `this peer holds no ledger ${ledger}`);
    const verdicts = await host.submit(batch.content.transactions, from.peer.identityKey, from);
    return SubmitAck.encode({ verdicts });
  } catch (error) {
    if (error instanceof NodeError) {
      metrics.batchRejections.add(error.code);
      logger.warn('batch refused', { remote: from.peer.remoteAddress, gateway: from.peer.identityKey.toBase58(), code: error.code, reason: error.message });
    } else {
      logger.error('batch failed', { remote: from.peer.remoteAddress, reason: error instanceof Error ? error.message : String(error) });
    }
    throw error;
  }
}

async function handleQuery(body: Uint8Array, queries: QueryBridge, metrics: PeerMetrics): Promise<Uint8Array> {
  metrics.queries += 1;
  const request = decodeMessage(QueryRequest, body, 'QUERY');
  const answer = await queries.answer(request);
  return QueryResponse.encode({ status: answer.status, body: JSON.stringify(answer.body) });
}
