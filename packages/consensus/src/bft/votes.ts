/** The tally key of a nil vote; block votes are keyed by `hashKey(blockHash)`. */
export const NIL = 'nil';

export type AddResult<V> =
  | { readonly status: 'added' }
  | { readonly status: 'duplicate' }
  /** The voter already voted otherwise in this round and step: the new vote is not counted. */
  | { readonly status: 'conflict'; readonly existing: V };

/**
 * The votes of one step (prevote or precommit) of one round: at most one per validator (the
 * first one received; a second, different one is equivocation and is not counted).
 */
export class VoteTally<V> {
  private readonly byVoter = new Map<number, { readonly key: string; readonly vote: V }>();
  private readonly counts = new Map<string, number>();

  get size(): number {
    return this.byVoter.size;
  }

  add(voter: number, key: string, vote: V, same: (a: V, b: V) => boolean): AddResult<V> {
    const existing = this.byVoter.get(voter);
    if (existing !== undefined) {
      return existing.key === key && same(existing.vote, vote) ? { status: 'duplicate' } : { status: 'conflict', existing: existing.vote };
    }
    this.byVoter.set(voter, { key, vote });
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    return { status: 'added' };
  }

  vote(voter: number): V | undefined {
    return this.byVoter.get(voter)?.vote;
  }

  count(key: string): number {
    return this.counts.get(key) ?? 0;
  }

  /** A non-nil key with at least `quorum` votes (there is at most one when quorum > n/2). */
  blockWithQuorum(quorum: number): string | undefined {
    for (const [key, count] of this.counts) if (key !== NIL && count >= quorum) return key;
    return undefined;
  }

  /** The votes for `key`, ordered by voter id (so derived certificates are deterministic). */
  votesFor(key: string): V[] {
    return [...this.byVoter.entries()]
      .filter(([, entry]) => entry.key === key)
      .sort((a, b) => a[0] - b[0])
      .map(([, entry]) => entry.vote);
  }
}

/** The tallies of one step for every round of a height. */
export class RoundTallies<V> {
  private readonly rounds = new Map<number, VoteTally<V>>();

  at(round: number): VoteTally<V> {
    let tally = this.rounds.get(round);
    if (tally === undefined) {
      tally = new VoteTally<V>();
      this.rounds.set(round, tally);
    }
    return tally;
  }

  peek(round: number): VoteTally<V> | undefined {
    return this.rounds.get(round);
  }

  roundsWithVotes(): number[] {
    return [...this.rounds.keys()].sort((a, b) => a - b);
  }
}
