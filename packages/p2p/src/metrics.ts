/**
 * Counters for one endpoint (a server or a client), shared by all its connections. They only
 * ever grow, except `connectionsActive`; exporters (the peer's Prometheus endpoint) read
 * `snapshot()`.
 */
export interface MetricsSnapshot {
  readonly connectionsOpened: number;
  readonly connectionsActive: number;
  /** Handshakes (TLS or binding) that did not open a connection. */
  readonly handshakesFailed: number;
  /** Dials that got no TCP connection at all. */
  readonly dialFailures: number;
  /** Dials made by reconnecting clients after their first. */
  readonly reconnectAttempts: number;
  readonly framesIn: number;
  readonly framesOut: number;
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Connections closed by this side, by reason code (NORMAL for an orderly close). */
  readonly closedLocally: Readonly<Record<string, number>>;
  /** Connections closed by the remote, by the code of its CLOSE frame (CONNECTION_LOST without one). */
  readonly closedRemotely: Readonly<Record<string, number>>;
  /** Messages not delivered, by reason: QUEUE_FULL, TIMEOUT, UNKNOWN_CHANNEL, LATE_RESPONSE, BUSY, HANDLER_FAILED. */
  readonly dropped: Readonly<Record<string, number>>;
}

function increment(counts: Map<string, number>, reason: string): void {
  counts.set(reason, (counts.get(reason) ?? 0) + 1);
}

/** Reason maps in a fixed (sorted) order, so snapshots compare and print the same way each time. */
function sorted(counts: Map<string, number>): Record<string, number> {
  return Object.fromEntries([...counts.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

export class TransportMetrics {
  connectionsOpened = 0;
  connectionsActive = 0;
  handshakesFailed = 0;
  dialFailures = 0;
  reconnectAttempts = 0;
  framesIn = 0;
  framesOut = 0;
  bytesIn = 0;
  bytesOut = 0;
  readonly #closedLocally = new Map<string, number>();
  readonly #closedRemotely = new Map<string, number>();
  readonly #dropped = new Map<string, number>();

  closed(initiator: 'local' | 'remote', reason: string): void {
    increment(initiator === 'local' ? this.#closedLocally : this.#closedRemotely, reason);
  }

  drop(reason: string): void {
    increment(this.#dropped, reason);
  }

  snapshot(): MetricsSnapshot {
    return {
      connectionsOpened: this.connectionsOpened,
      connectionsActive: this.connectionsActive,
      handshakesFailed: this.handshakesFailed,
      dialFailures: this.dialFailures,
      reconnectAttempts: this.reconnectAttempts,
      framesIn: this.framesIn,
      framesOut: this.framesOut,
      bytesIn: this.bytesIn,
      bytesOut: this.bytesOut,
      closedLocally: sorted(this.#closedLocally),
      closedRemotely: sorted(this.#closedRemotely),
      dropped: sorted(this.#dropped),
    };
  }
}
