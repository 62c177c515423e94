import { ConsensusMessage } from '../bft/messages.js';

/** The last events of a run, kept only when asked for (a failing seed is re-run with tracing on). */
export class Trace {
  private readonly lines: string[] = [];

  constructor(
    readonly enabled: boolean,
    private readonly keep = 400,
  ) {}

  log(time: number, line: () => string): void {
    if (!this.enabled) return;
    this.lines.push(`${String(time).padStart(6)}ms ${line()}`);
    if (this.lines.length > this.keep) this.lines.shift();
  }

  last(count: number): string[] {
    return this.lines.slice(-count);
  }
}

/** A one-line summary of a message on the wire. */
export function describeMessage(bytes: Uint8Array): string {
  let message: ConsensusMessage;
  try {
    message = ConsensusMessage.decode(bytes);
  } catch {
    return `garbage (${bytes.length} bytes)`;
  }
  const short = (hash: { toBase58(): string } | undefined): string => (hash === undefined ? 'nil' : hash.toBase58().slice(0, 8));
  switch (message.type) {
    case 'PROPOSAL': {
      const { content } = message.proposal;
      return `PROPOSAL h${content.height} r${content.round} vr${content.validRound ?? '-'} txs=${content.value.transactions.length} ts=${content.value.timestamp}`;
    }
    case 'PREVOTE':
      return `PREVOTE h${message.prevote.content.height} r${message.prevote.content.round} ${short(message.prevote.content.blockHash)}`;
    case 'PRECOMMIT':
      return `PRECOMMIT h${message.precommit.content.height} r${message.precommit.content.round} ${short(message.precommit.content.blockHash)}`;
    case 'DECISION':
      return `DECISION h${message.decision.height} r${message.decision.round} votes=${message.decision.precommits.length}${message.decision.value ? '' : ' (evidence)'}`;
    case 'DECISION_REQUEST':
      return `DECISION_REQUEST h${message.height}`;
  }
}
