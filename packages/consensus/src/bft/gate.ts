import { BftError } from './errors.js';
import type { BftOutput } from './io.js';
import type { SafetyRecord } from './record.js';

/**
 * Holds back everything that reveals a fresh signature — messages and commits — until the record
 * holding that signature is durable (spec/consensus.md §6). Outputs leave in the order they were
 * made; timers, executions and batch requests never wait.
 */
export class OutputGate {
  private readonly held: { sequence: number; output: BftOutput }[] = [];
  private untagged = 0;
  private sequence = 0;
  private acknowledged = 0;
  /** The newest record that holds signatures not yet known durable. */
  private barrier = 0;
  private signedSinceRecord = false;

  /** The sequence number of the record that will hold what is signed now. */
  get nextSequence(): number {
    return this.sequence + 1;
  }

  /** Whether the record of `sequence` is known durable. */
  isDurable(sequence: number): boolean {
    return sequence <= this.acknowledged;
  }

  markSigned(): void {
    this.signedSinceRecord = true;
  }

  /**
   * A height was decided: its commit waits for the record holding the decision and its
   * precommits, so a node whose ledger has a block can always hand its peers the quorum for it.
   */
  markDecided(): void {
    this.signedSinceRecord = true;
  }

  route(output: BftOutput, out: BftOutput[]): void {
    if (this.signedSinceRecord || this.acknowledged < this.barrier) {
      this.held.push({ sequence: 0, output });
      this.untagged++;
    } else {
      out.push(output);
    }
  }

  /**
   * Ends one input: emits a record if something was signed and ties held outputs to it. Only
   * signatures force a record: a restart from an older round, step or height is safe as long as
   * every signed message is remembered, and it is cheaper than a write per state change.
   */
  finish(out: BftOutput[], record: () => SafetyRecord): void {
    if (this.signedSinceRecord) {
      this.sequence++;
      out.push({ type: 'persist', sequence: this.sequence, record: record() });
      this.barrier = this.sequence;
      this.signedSinceRecord = false;
    }
    for (let i = this.held.length - this.untagged; i < this.held.length; i++) (this.held[i] as { sequence: number }).sequence = this.barrier;
    this.untagged = 0;
  }

  acknowledge(sequence: number, out: BftOutput[]): void {
    if (!Number.isSafeInteger(sequence) || sequence < 1 || sequence > this.sequence) {
      throw new BftError('UNEXPECTED_INPUT', `persisted ${sequence}, but the last record emitted is ${this.sequence}`);
    }
    if (sequence <= this.acknowledged) return;
    this.acknowledged = sequence;
    let released = 0;
    while (released < this.held.length && (this.held[released] as { sequence: number }).sequence <= sequence) {
      out.push((this.held[released] as { output: BftOutput }).output);
      released++;
    }
    this.held.splice(0, released);
  }
}
