interface Event {
  readonly time: number;
  readonly sequence: number;
  readonly run: () => void;
}

/**
 * The simulator's virtual clock: events run in time order, ties in scheduling order, so a run
 * depends on nothing but its seed. A binary heap keeps scheduling and popping at O(log n).
 */
export class EventQueue {
  private readonly heap: Event[] = [];
  private sequence = 0;
  private current = 0;
  private executed = 0;

  /** Virtual milliseconds since the start of the run. */
  get now(): number {
    return this.current;
  }

  get eventsRun(): number {
    return this.executed;
  }

  at(time: number, run: () => void): void {
    this.push({ time: Math.max(time, this.current), sequence: this.sequence++, run });
  }

  after(delay: number, run: () => void): void {
    this.at(this.current + delay, run);
  }

  /** Runs events until the queue is empty, `until` is passed, or `stop` says so (checked between events). */
  run(until: number, stop: () => boolean): void {
    while (this.heap.length > 0) {
      const top = this.heap[0] as Event;
      if (top.time > until) break;
      this.pop();
      this.current = top.time;
      this.executed++;
      top.run();
      if (stop()) return;
    }
    this.current = Math.max(this.current, until);
  }

  private push(event: Event): void {
    const heap = this.heap;
    heap.push(event);
    let i = heap.length - 1;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!before(heap[i] as Event, heap[parent] as Event)) break;
      [heap[i], heap[parent]] = [heap[parent] as Event, heap[i] as Event];
      i = parent;
    }
  }

  private pop(): void {
    const heap = this.heap;
    const last = heap.pop() as Event;
    if (heap.length === 0) return;
    heap[0] = last;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let smallest = i;
      if (left < heap.length && before(heap[left] as Event, heap[smallest] as Event)) smallest = left;
      if (right < heap.length && before(heap[right] as Event, heap[smallest] as Event)) smallest = right;
      if (smallest === i) return;
      [heap[i], heap[smallest]] = [heap[smallest] as Event, heap[i] as Event];
      i = smallest;
    }
  }
}

function before(a: Event, b: Event): boolean {
  return a.time < b.time || (a.time === b.time && a.sequence < b.sequence);
}
