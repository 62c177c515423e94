import type { EventQueue } from './event-queue.js';
import type { Prng } from './prng.js';

export interface LinkConditions {
  readonly minDelayMs: number;
  readonly maxDelayMs: number;
  readonly loss: number;
  readonly duplicate: number;
}

/** A partition: while it lasts, messages cross only within a group (groups list validator indices). */
export interface Partition {
  readonly startMs: number;
  readonly endMs: number;
  readonly groups: readonly (readonly number[])[];
}

/**
 * Point-to-point links between validators. Before GST messages may be delayed arbitrarily
 * within the bounds, lost, duplicated (and so reordered) and cut by partitions; from GST on
 * every message arrives within the after-GST bound: the partial synchrony model of the spec.
 */
export class SimNetwork {
  sent = 0;
  delivered = 0;

  constructor(
    private readonly queue: EventQueue,
    private readonly prng: Prng,
    private readonly beforeGst: LinkConditions,
    private readonly afterGst: LinkConditions,
    private readonly gstMs: number,
    private readonly partitions: readonly Partition[],
  ) {}

  /** Sends one message from validator `from` to validator `to`; `deliver` runs on each arrival. */
  send(from: number, to: number, deliver: () => void): void {
    this.sent++;
    const now = this.queue.now;
    const synchronous = now >= this.gstMs;
    const link = synchronous ? this.afterGst : this.beforeGst;
    if (!synchronous && (this.cut(from, to, now) || this.prng.chance(link.loss))) return;
    const copies = this.prng.chance(link.duplicate) ? 2 : 1;
    for (let i = 0; i < copies; i++) {
      const delay = this.prng.int(link.minDelayMs, link.maxDelayMs);
      // A message sent before GST still arrives by GST + the bound (it may be in flight across GST).
      const arrival = synchronous ? now + delay : Math.min(now + delay, this.gstMs + this.afterGst.maxDelayMs);
      this.queue.at(arrival, () => {
        this.delivered++;
        deliver();
      });
    }
  }

  /** Clients (negative ids) sit outside the partitions; only their links' loss and delay apply. */
  private cut(from: number, to: number, now: number): boolean {
    if (from < 0) return false;
    for (const partition of this.partitions) {
      if (now < partition.startMs || now >= partition.endMs) continue;
      const groupOf = (validator: number): number => partition.groups.findIndex((group) => group.includes(validator));
      if (groupOf(from) !== groupOf(to)) return true;
    }
    return false;
  }
}
