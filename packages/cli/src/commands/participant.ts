import type { Command } from 'commander';
import { Address, PubKey, cryptoSuite } from '@jadechain/crypto';
import { TransactionBuilder, type ParticipantJson } from '@jadechain/sdk';
import type { CommandContext } from '../context.js';
import { CliError, EXIT_NEGATIVE } from '../errors.js';
import { openKeystore } from '../keystore.js';
import { addNetworkOptions, addSigningOptions, NetworkContext, type NetworkOptions, type SigningOptions } from '../net/network-options.js';
import { submitAndReport } from '../net/submit.js';

/**
 * `jadechain participant register|activate|deactivate`: the ledger operations that change who
 * takes part in consensus (a change committed in block h applies from height h+1,
 * spec/consensus.md §13), refused before submission when the validators left after the change
 * could not form a quorum among the peers the gateway sees connected and caught up.
 */

/** Votes a BFT decision needs among n validators: n − ⌊(n−1)/3⌋ (2f+1 when n = 3f+1). */
export function bftQuorum(n: number): number {
  return n - Math.floor((n - 1) / 3);
}

/** A participant as the ledger lists it. */
export interface ParticipantEntry {
  readonly id: number;
  readonly address: string;
  readonly publicKey: string;
  /** READY (registered), CONSENSUS (a validator) or DEACTIVATED. */
  readonly state: string;
}

/** A configured peer as the gateway reports it (GET /network/peers). */
export interface PeerEntry {
  readonly publicKey: string;
  readonly connected: boolean;
  /**
   * Caught up on the ledger in question, as the gateway judges it (`caughtUpOn` of GET
   * /network/peers: within 2 blocks of the highest height its last status poll found).
   */
  readonly caughtUp: boolean;
}

export type MembershipChange =
  | { readonly kind: 'register' }
  /** `participant`: a participant address or id. */
  | { readonly kind: 'activate' | 'deactivate'; readonly participant: string };

export interface QuorumCheck {
  readonly allowed: boolean;
  /** Why it is refused, naming the numbers; or what the change leaves. */
  readonly reason: string;
  readonly validatorsAfter: number;
  readonly quorumAfter: number;
  /** Validators after the change whose peer is connected and caught up. */
  readonly liveAfter: number;
}

/**
 * Whether a change leaves a network that can still decide: with n' validators after it and live'
 * of them connected and caught up (as the gateway reports), it needs
 * live' ≥ n' − ⌊(n'−1)/3⌋ and n' ≥ 1. Activating needs the new validator's peer live (it must
 * have synced first); deactivating needs a participant that is a validator now.
 */
export function checkMembershipChange(participants: readonly ParticipantEntry[], peers: readonly PeerEntry[], change: MembershipChange): QuorumCheck {
  const isLive = (publicKey: string): boolean => peers.some((peer) => peer.publicKey === publicKey && peer.connected && peer.caughtUp);
  const validators = participants.filter((participant) => participant.state === 'CONSENSUS');
  const verdict = (after: readonly ParticipantEntry[], refusal?: string): QuorumCheck => {
    const liveAfter = after.filter((participant) => isLive(participant.publicKey)).length;
    const quorumAfter = after.length === 0 ? 1 : bftQuorum(after.length);
    const counts = `${after.length} validators would remain, a quorum of them is ${quorumAfter}, and ${liveAfter} are connected and caught up`;
    if (refusal !== undefined) return { allowed: false, reason: refusal, validatorsAfter: after.length, quorumAfter, liveAfter };
    if (after.length === 0) return { allowed: false, reason: 'no validator would remain', validatorsAfter: 0, quorumAfter, liveAfter };
    return { allowed: liveAfter >= quorumAfter, reason: counts, validatorsAfter: after.length, quorumAfter, liveAfter };
  };
  if (change.kind === 'register') return verdict(validators);
  const target = findParticipant(participants, change.participant);
  if (target === undefined) return verdict(validators, `no participant ${change.participant} on this ledger`);
  if (change.kind === 'activate') {
    if (target.state === 'CONSENSUS') return verdict(validators, `participant ${target.id} is already a validator`);
    const after = [...validators, target];
    if (!isLive(target.publicKey)) return verdict(after, `participant ${target.id}'s peer is not connected and caught up: start it and let it sync first`);
    return verdict(after);
  }
  if (target.state !== 'CONSENSUS') return verdict(validators, `participant ${target.id} is not a validator (state ${target.state})`);
  return verdict(validators.filter((participant) => participant !== target));
}

function findParticipant(participants: readonly ParticipantEntry[], text: string): ParticipantEntry | undefined {
  if (/^\d+$/.test(text)) return participants.find((participant) => participant.id === Number(text));
  return participants.find((participant) => participant.address === text);
}

type ParticipantOptions = NetworkOptions & SigningOptions & { force?: boolean; name?: string; publicKey?: string; participantKey?: string };

/** The ledger's participants and the gateway's peers, read through the gateway. */
async function networkState(network: NetworkContext, ledger: string): Promise<{ participants: ParticipantEntry[]; peers: PeerEntry[] }> {
  const listed: ParticipantJson[] = await network.client.participants(ledger);
  const participants = listed.map((participant) => ({
    id: participant.id,
    address: participant.address.value,
    publicKey: participant.pubKey,
    state: participant.participantNodeState,
  }));
  const report = (await network.client.query('/network/peers')) as { peers?: unknown };
  if (!Array.isArray(report.peers)) throw new CliError('BAD_ARGUMENT', 'the gateway did not report its peers (GET /network/peers)');
  const peers = report.peers.map((entry: Record<string, unknown>): PeerEntry => {
    const caughtUpOn = entry['caughtUpOn'];
    // Without it every peer would count as behind, and the refusal would blame the network.
    if (typeof caughtUpOn !== 'object' || caughtUpOn === null) {
      throw new CliError('BAD_ARGUMENT', 'the gateway reports its peers without caughtUpOn (GET /network/peers): it is older than this CLI; upgrade the gateway');
    }
    return { publicKey: String(entry['publicKey']), connected: entry['connected'] === true, caughtUp: (caughtUpOn as Record<string, unknown>)[ledger] === true };
  });
  return { participants, peers };
}

type Build = (builder: TransactionBuilder, participants: readonly ParticipantEntry[]) => void;

/**
 * Checks the change against the network as it is now, then signs and submits it like `jadechain
 * tx`. `prepare` reads the command's own arguments before anything goes over the network, so
 * that bad input is refused as such, not after a round trip (or as an unreachable gateway).
 */
async function run(ctx: CommandContext, opts: ParticipantOptions, change: MembershipChange, prepare: (network: NetworkContext) => Build): Promise<void> {
  const network = new NetworkContext(opts);
  const build = prepare(network);
  const ledger = await network.ledger();
  const { participants, peers } = await networkState(network, ledger.toBase58());
  const check = checkMembershipChange(participants, peers, change);
  if (!check.allowed) {
    const message = `refused: ${check.reason} (validators after the change ${check.validatorsAfter}, quorum ${check.quorumAfter}, live ${check.liveAfter})`;
    if (opts.force !== true) {
      ctx.io.stderr(`jadechain: ${message}; --force submits anyway [QUORUM_UNSAFE]\n`);
      ctx.exitCode = EXIT_NEGATIVE;
      return;
    }
    ctx.io.stderr(`jadechain: warning: ${message}; submitting because of --force\n`);
  }
  const builder = new TransactionBuilder({ ledgerHash: ledger });
  build(builder, participants);
  const request = builder.sign(cryptoSuite, [await network.signingKey(ctx, opts)]);
  await submitAndReport(ctx, network.client, request, opts.json === true, {});
}

function targetOf(participants: readonly ParticipantEntry[], text: string): ParticipantEntry {
  const target = findParticipant(participants, text);
  // checkMembershipChange refused unknown participants; only --force gets here without one.
  if (target === undefined) throw new CliError('BAD_ARGUMENT', `no participant ${text} on this ledger`);
  return target;
}

function participantKey(ctx: CommandContext, opts: ParticipantOptions, network: NetworkContext): PubKey {
  if ((opts.publicKey === undefined) === (opts.participantKey === undefined)) throw new CliError('BAD_ARGUMENT', 'give exactly one of --public-key, --participant-key');
  if (opts.participantKey !== undefined) {
    const keystore = openKeystore(ctx, opts.keystore ?? (network.manifest === undefined ? undefined : network.layout.keys));
    return keystore.show(opts.participantKey).publicKey;
  }
  try {
    return PubKey.fromBase58(opts.publicKey ?? '');
  } catch (err) {
    throw new CliError('BAD_ARGUMENT', `--public-key: not a base58 public key (${(err as Error).message})`);
  }
}

export function registerParticipantCommands(program: Command, ctx: CommandContext): void {
  const participant = program
    .command('participant')
    .description('register, activate or deactivate a consensus participant; refuses a change that would leave no quorum (exit 1)');
  const withOptions = (command: Command): Command =>
    addSigningOptions(addNetworkOptions(command)).option('--force', 'submit even when the change would leave the network without a live quorum');

  withOptions(participant.command('register').description('register a participant by its identity public key (state READY: not yet a validator)'))
    .requiredOption('--name <name>', "the participant's name")
    .option('--public-key <base58>', "the participant's identity public key")
    .option('--participant-key <name>', "the participant's identity key in the keystore")
    .action((opts: ParticipantOptions) =>
      run(ctx, opts, { kind: 'register' }, (network) => {
        const key = participantKey(ctx, opts, network);
        return (builder) => builder.registerParticipant(String(opts.name), key);
      }),
    );

  for (const [kind, state, description] of [
    ['activate', 'CONSENSUS', 'make a registered participant a validator from the height after the block that commits this'],
    ['deactivate', 'DEACTIVATED', 'take a validator out of consensus from the height after the block that commits this'],
  ] as const) {
    withOptions(participant.command(kind).description(description).argument('<participant>', 'participant address or id')).action((text: string, opts: ParticipantOptions) =>
      run(ctx, opts, { kind, participant: text }, () => (builder, participants) => {
        builder.updateParticipantState(Address.fromBase58(targetOf(participants, text).address), state);
      }),
    );
  }
}
