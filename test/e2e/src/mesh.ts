import { DROP, LinkProxy, PASS, type Endpoint, type LinkMode } from './proxy.js';

/**
 * A proxy on every directed link between n nodes: node i reaches node j through
 * `portFor(i, j)`, so one node can be cut off (or slowed) from the others while everything
 * else, such as the gateway's direct connections, stays as it is.
 */
export class ProxyMesh {
  private constructor(private readonly links: ReadonlyMap<string, LinkProxy>) {}

  /** One proxy for every ordered pair (from, to) with from ≠ to, forwarding to `targets[to]`. */
  static async open(targets: readonly Endpoint[]): Promise<ProxyMesh> {
    const links = new Map<string, LinkProxy>();
    try {
      for (const [from] of targets.entries()) {
        for (const [to, target] of targets.entries()) {
          if (from !== to) links.set(key(from, to), await LinkProxy.open(target));
        }
      }
    } catch (error) {
      await Promise.all([...links.values()].map((link) => link.close()));
      throw error;
    }
    return new ProxyMesh(links);
  }

  link(from: number, to: number): LinkProxy {
    const link = this.links.get(key(from, to));
    if (link === undefined) throw new Error(`no proxied link from ${from} to ${to}`);
    return link;
  }

  /** The port node `from` dials to reach node `to`. */
  portFor(from: number, to: number): number {
    return this.link(from, to).port;
  }

  /** Every link into and out of `node` in `mode` (DROP: a partition of that node from the rest). */
  isolate(node: number, mode: LinkMode = DROP): void {
    for (const [name, link] of this.links) {
      const [from, to] = name.split('>').map(Number);
      if (from === node || to === node) link.setMode(mode);
    }
  }

  /** Every link in `mode` (e.g. a delay on the whole network). */
  setAll(mode: LinkMode): void {
    for (const link of this.links.values()) link.setMode(mode);
  }

  /** Every link back to PASS. */
  heal(): void {
    this.setAll(PASS);
  }

  async close(): Promise<void> {
    await Promise.all([...this.links.values()].map((link) => link.close()));
  }
}

function key(from: number, to: number): string {
  return `${from}>${to}`;
}
