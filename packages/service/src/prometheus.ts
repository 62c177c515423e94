import type { MetricsSnapshot } from '@jadechain/p2p';

/**
 * Prometheus text exposition (version 0.0.4) of counters and gauges. Label values are escaped as
 * the format requires; series of one metric come out in sorted label order so scrapes diff well.
 */
export class PrometheusText {
  readonly #lines: string[] = [];

  metric(name: string, type: 'counter' | 'gauge', help: string, series: ReadonlyArray<readonly [Readonly<Record<string, string>>, number]>): this {
    this.#lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    const rendered = series.map(([labels, value]) => `${name}${labelText(labels)} ${value}`);
    this.#lines.push(...rendered.sort());
    return this;
  }

  single(name: string, type: 'counter' | 'gauge', help: string, value: number): this {
    return this.metric(name, type, help, [[{}, value]]);
  }

  /** Counts by a reason label, e.g. rejections by code. */
  byLabel(name: string, help: string, label: string, counts: ReadonlyMap<string, number> | Readonly<Record<string, number>>): this {
    const entries = counts instanceof Map ? [...counts.entries()] : Object.entries(counts);
    return this.metric(name, 'counter', help, entries.map(([key, value]) => [{ [label]: key }, value] as const));
  }

  /** The transport's counters of one endpoint, prefixed and labelled by endpoint. */
  transport(prefix: string, snapshot: MetricsSnapshot): this {
    this.single(`${prefix}_connections_opened_total`, 'counter', 'Transport connections opened', snapshot.connectionsOpened);
    this.single(`${prefix}_connections_active`, 'gauge', 'Transport connections open now', snapshot.connectionsActive);
    this.single(`${prefix}_handshakes_failed_total`, 'counter', 'Transport handshakes that opened no connection', snapshot.handshakesFailed);
    this.single(`${prefix}_dial_failures_total`, 'counter', 'Dials that got no TCP connection', snapshot.dialFailures);
    this.single(`${prefix}_frames_in_total`, 'counter', 'Frames received', snapshot.framesIn);
    this.single(`${prefix}_frames_out_total`, 'counter', 'Frames sent', snapshot.framesOut);
    this.single(`${prefix}_bytes_in_total`, 'counter', 'Bytes received', snapshot.bytesIn);
    this.single(`${prefix}_bytes_out_total`, 'counter', 'Bytes sent', snapshot.bytesOut);
    this.byLabel(`${prefix}_closed_local_total`, 'Connections closed by this node, by code', 'code', snapshot.closedLocally);
    this.byLabel(`${prefix}_closed_remote_total`, 'Connections closed by the remote, by code', 'code', snapshot.closedRemotely);
    return this.byLabel(`${prefix}_dropped_total`, 'Messages not delivered, by reason', 'reason', snapshot.dropped);
  }

  /**
   * This process's memory by kind (Node's `process.memoryUsage()`): the JS heap, memory outside it
   * held by JS objects (`external`, of which `array_buffers`), and the resident set. Comparing the
   * heap with the resident set tells a leak in JS objects from one in native memory.
   */
  processMemory(prefix: string): this {
    const usage = process.memoryUsage();
    return this.metric(`${prefix}_process_memory_bytes`, 'gauge', 'Memory of this process by kind (process.memoryUsage())', [
      [{ kind: 'rss' }, usage.rss],
      [{ kind: 'heap_total' }, usage.heapTotal],
      [{ kind: 'heap_used' }, usage.heapUsed],
      [{ kind: 'external' }, usage.external],
      [{ kind: 'array_buffers' }, usage.arrayBuffers],
    ]);
  }

  toString(): string {
    return `${this.#lines.join('\n')}\n`;
  }
}

function labelText(labels: Readonly<Record<string, string>>): string {
  const names = Object.keys(labels).sort();
  if (names.length === 0) return '';
  const escape = (value: string): string => value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').replace(/"/g, '\\"');
  return `{${names.map((name) => `${name}="${escape(labels[name] ?? '')}"`).join(',')}}`;
}

/** A counter by reason code that only grows. */
export class CodeCounter {
  readonly #counts = new Map<string, number>();

  add(code: string, count = 1): void {
    this.#counts.set(code, (this.#counts.get(code) ?? 0) + count);
  }

  get(code: string): number {
    return this.#counts.get(code) ?? 0;
  }

  get counts(): ReadonlyMap<string, number> {
    return this.#counts;
  }
}
