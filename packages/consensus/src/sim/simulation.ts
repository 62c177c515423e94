import { HashDigest, cryptoSuite } from '@jadechain/crypto';
import { hashKey } from '../bft/crypto.js';
import { ConsensusMessage } from '../bft/messages.js';
import type { MisbehaviourKind } from '../bft/io.js';
import { ValidatorSet } from '../bft/validators.js';
import { ByzantineTransport } from './byzantine.js';
import { checkAgreement, checkCertificates, checkLiveness, checkTimestamps, checkValidity, DoubleSignWatch } from './checkers.js';
import { VerifyCache, simCrypto, simKeys } from './crypto.js';
import { EventQueue } from './event-queue.js';
import { LedgerStore } from './ledger.js';
import { SimNetwork } from './network.js';
import { SIM_EPOCH_MS, SimNode } from './node.js';
import type { NodeConfig, NodeWorld } from './node.js';
import type { MembershipChange } from './ledger.js';
import { Prng } from './prng.js';
import { describeScenario, scenarioFor } from './scenario.js';
import type { Scenario, ScenarioOptions } from './scenario.js';
import { Trace, describeMessage } from './trace.js';
import { TransactionFactory } from './transactions.js';

export interface SimulationOptions extends ScenarioOptions {
  /** Keep the last events of the run (slower; used to explain a failing seed). */
  readonly trace?: boolean;
  /**
   * Breaks the honest nodes on purpose, to show the checkers catch what the protocol prevents:
   * `lose-records` acknowledges record writes without keeping them, so a restarted node forgets
   * what it signed.
   */
  readonly sabotage?: 'lose-records';
}

export interface SimulationResult {
  readonly seed: number;
  readonly scenario: Scenario;
  readonly description: string;
  readonly violations: readonly string[];
  /** The lowest committed height among honest nodes at the end. */
  readonly height: number;
  readonly virtualMs: number;
  readonly events: number;
  readonly messages: number;
  readonly signatureChecks: number;
  /** Misbehaviour honest nodes reported, by kind. */
  readonly detected: ReadonlyMap<MisbehaviourKind, number>;
  /** With a membership change: how many blocks of the longest honest chain the joiner's vote certifies. */
  readonly joinerVotes: number;
  readonly trace: readonly string[];
}

const CLIENT = -1;

function decodeOrBytes(bytes: Uint8Array): ConsensusMessage | Uint8Array {
  try {
    return ConsensusMessage.decode(bytes);
  } catch {
    return bytes;
  }
}

function votesOf(validator: number, nodes: readonly SimNode[]): number {
  const longest = nodes.reduce((best, node) => (node.store.tip.height > best.store.tip.height ? node : best));
  return longest.store.chain.filter((block) => block.certificate?.votes.some((vote) => vote.voter.type === 'PARTICIPANT_ID' && vote.voter.id === validator)).length;
}

/** Runs one seeded scenario with the real BFT engine on every validator and checks the run. */
export function runSimulation(seed: number, options: SimulationOptions = {}): SimulationResult {
  const scenario = scenarioFor(seed, options);
  const prng = new Prng(seed ^ 0x2545f491);
  const suite = cryptoSuite;
  const { membership } = scenario;
  const keys = simKeys(suite, prng.fork(), scenario.size + (membership === undefined ? 0 : 1));
  const validatorSets = new Map<string, ValidatorSet>();
  const validatorSet = (ids: readonly number[]): ValidatorSet => {
    const name = ids.join(',');
    let set = validatorSets.get(name);
    if (set === undefined) {
      set = new ValidatorSet(ids.map((id) => ({ id, publicKey: (keys[id] as (typeof keys)[number]).publicKey })));
      validatorSets.set(name, set);
    }
    return set;
  };
  const allIds = keys.map((_, id) => id);
  const ledgerHash = suite.hash('SHA256', prng.bytes(16));
  const cache = new VerifyCache(suite);
  const queue = new EventQueue();
  const trace = new Trace(options.trace ?? false);
  const network = new SimNetwork(queue, prng.fork(), scenario.beforeGst, scenario.afterGst, scenario.gstMs, scenario.partitions);
  const delays = prng.fork();
  const transactions = new TransactionFactory(suite, prng.fork());
  const watch = new DoubleSignWatch();
  const detected = new Map<MisbehaviourKind, number>();
  const accusations: string[] = [];
  const firstCommitMs = new Map<number, number>();
  const submittedValid = new Set<string>();
  const submitted: HashDigest[] = [];
  const endpoints = new Map<number, SimNode[]>();
  const membershipChanges = new Map<string, MembershipChange>();
  let activation: string | undefined;
  let deactivationScheduled = false;
  let committedSinceCheck = false;

  const world: NodeWorld = {
    queue,
    prng: prng.fork(),
    ledger: { suite, ledgerHash, transactions, executeDelay: () => delays.int(0, 3), commitDelay: () => delays.int(1, 6), membership: membershipChanges },
    validatorIds: allIds,
    validatorSet,
    blockSync: membership !== undefined,
    syncSource(node) {
      let best: SimNode | undefined;
      for (const other of honest) if (other.up && other.store.tip.height > (best ?? node).store.tip.height) best = other;
      return best?.store;
    },
    recordDelay: () => delays.int(1, 4),
    keepsRecords: options.sabotage !== 'lose-records',
    route(from, recipients, bytes) {
      if (from.honest) watch.observe(from.validator, ConsensusMessage.decode(bytes));
      trace.log(queue.now, () => `v${from.validator} → ${recipients.length > 1 ? 'all' : `v${recipients[0]}`}: ${describeMessage(bytes)}`);
      const deliveries = from.byzantine ? from.byzantine.deliveries(recipients, bytes) : recipients.map((to) => ({ to, bytes }));
      // Each distinct message is decoded once for all its recipients; what does not decode arrives as bytes.
      const decoded = new Map<Uint8Array, ConsensusMessage | Uint8Array>();
      for (const delivery of deliveries) {
        let message = decoded.get(delivery.bytes);
        if (message === undefined) {
          message = decodeOrBytes(delivery.bytes);
          decoded.set(delivery.bytes, message);
        }
        const arriving = message;
        for (const endpoint of endpoints.get(delivery.to) ?? []) network.send(from.validator, delivery.to, () => endpoint.receive(from.validator, arriving));
      }
    },
    committed(node, height) {
      if (!node.honest) return;
      committedSinceCheck = true;
      if (!firstCommitMs.has(height)) firstCommitMs.set(height, queue.now);
      trace.log(queue.now, () => `v${node.validator} committed ${height}`);
      // The operator removes a validator once the new one's activation is committed.
      if (membership !== undefined && activation !== undefined && !deactivationScheduled && node.store.appliedAt.has(activation)) {
        deactivationScheduled = true;
        queue.after(membership.deactivateDelayMs, () => submitChange(membership.leaver, false));
      }
    },
    misbehaviour(node, misbehaviour) {
      if (!node.honest) return;
      detected.set(misbehaviour.kind, (detected.get(misbehaviour.kind) ?? 0) + 1);
      if (!scenario.byzantine.some((spec) => spec.validator === misbehaviour.validator)) {
        accusations.push(`accusation: v${node.validator} reported honest v${misbehaviour.validator} for ${misbehaviour.kind}: ${misbehaviour.detail}`);
      }
      trace.log(queue.now, () => `v${node.validator} detected ${misbehaviour.kind} by v${misbehaviour.validator}: ${misbehaviour.detail}`);
    },
  };

  const genesisValidators = allIds.slice(0, scenario.size);
  const genesis = {
    height: 0,
    blockHash: ledgerHash,
    key: hashKey(ledgerHash),
    parentKey: '',
    timestamp: BigInt(SIM_EPOCH_MS - 1000),
    applied: [],
    stateRoot: new Uint8Array(32),
    validators: genesisValidators,
    certificate: undefined,
  };
  for (const id of allIds) {
    const config: NodeConfig = {
      ledgerHash,
      self: id,
      crypto: simCrypto(suite, keys[id] as (typeof keys)[number], cache),
      timeouts: scenario.timeouts,
      maxBatchTransactions: scenario.maxBatch,
    };
    const spec = scenario.byzantine.find((entry) => entry.validator === id);
    const instances: (0 | 1 | undefined)[] = spec?.behaviour === 'twins' ? [0, 1] : [undefined];
    endpoints.set(
      id,
      instances.map((twin) => {
        const liar = spec === undefined ? undefined : new ByzantineTransport(spec, twin, config.crypto, prng.fork());
        return new SimNode(id, spec === undefined, new LedgerStore(genesis), config, scenario.skewsMs[id] ?? 0, world, liar);
      }),
    );
  }
  const all = [...endpoints.values()].flat();
  const honest = all.filter((node) => node.honest);

  const submit = (transaction: HashDigest): void => {
    for (const [id, nodes] of endpoints) for (const node of nodes) network.send(CLIENT, id, () => node.submit(transaction));
  };
  const submitNew = (valid: boolean): void => {
    const transaction = transactions.create(valid);
    if (valid) {
      submittedValid.add(hashKey(transaction));
      submitted.push(transaction);
    }
    submit(transaction);
  };
  /** A participant (de)activation: a transaction like any other, whose execution changes the set. */
  const submitChange = (validator: number, active: boolean): string => {
    const transaction = transactions.create(true);
    const key = hashKey(transaction);
    membershipChanges.set(key, { validator, active });
    trace.log(queue.now, () => `client ${active ? 'activates' : 'deactivates'} v${validator}`);
    submittedValid.add(key);
    submitted.push(transaction);
    submit(transaction);
    return key;
  };
  for (const { atMs, valid } of scenario.transactions) queue.at(atMs, () => submitNew(valid));
  if (membership !== undefined) queue.at(membership.activateAtMs, () => (activation = submitChange(membership.joiner, true)));
  for (const crash of scenario.crashes) {
    const node = endpoints.get(crash.validator)?.[0] as SimNode;
    queue.at(crash.atMs, () => {
      trace.log(queue.now, () => `v${node.validator} crashes`);
      node.crash();
    });
    queue.at(crash.atMs + crash.downMs, () => {
      trace.log(queue.now, () => `v${node.validator} restarts`);
      node.restart();
    });
  }
  queue.at(scenario.gstMs, () => {
    trace.log(queue.now, () => 'GST: the network is synchronous from now on; clients resubmit what is not committed');
    for (const transaction of submitted) if (honest.some((node) => !node.store.appliedAt.has(hashKey(transaction)))) submit(transaction);
  });

  const lastSubmissionMs = scenario.transactions.at(-1)?.atMs ?? 0;
  const finished = (): boolean => {
    if (!committedSinceCheck || queue.now < Math.max(lastSubmissionMs, scenario.gstMs)) return false;
    if (membership !== undefined && !deactivationScheduled) return false;
    committedSinceCheck = false;
    return honest.every((node) => node.up && node.store.appliedAt.size === submittedValid.size);
  };

  const violations: string[] = [];
  try {
    for (const node of all) node.start();
    queue.run(scenario.endMs, finished);
  } catch (error) {
    violations.push(`exception: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
  }
  violations.push(
    ...checkAgreement(honest),
    ...checkValidity(honest, submittedValid),
    ...checkCertificates(honest, validatorSet, ledgerHash, cache),
    ...checkTimestamps(honest, firstCommitMs, Math.max(0, ...scenario.skewsMs)),
    ...checkLiveness(honest, submittedValid),
    ...watch.violations,
    ...accusations,
  );
  return {
    seed,
    scenario,
    description: describeScenario(scenario),
    violations,
    height: Math.min(...honest.map((node) => node.store.tip.height)),
    virtualMs: queue.now,
    events: queue.eventsRun,
    messages: network.delivered,
    signatureChecks: cache.computed,
    detected,
    joinerVotes: membership === undefined ? 0 : votesOf(membership.joiner, honest),
    trace: trace.last(400),
  };
}
