/**
 * What the steps learn, as an append-only log of events the machine owns (`ctx.facts`). A step
 * records each fact the moment it holds, before the next call that may fail, so a failure midway
 * (a key deactivated but not deleted, runs listed before a later call threw) leaves the facts so
 * far; fold.ts turns the log into the outcome once, on success and on failure alike. A leaf.
 */
import type { Holder, RunsUnknown } from '../github/inflight-facts.js'
import type { LastUse } from '../aws/key-data.js'

/** Workflow runs that may have held the old key, and what became of the key for them. */
export interface InFlightFact {
  fate: 'waited' | 'held' | 'revoked' | 'capped' | 'unknown'
  runs: Holder[]
  waitedMs?: number
  why?: RunsUnknown
}

export type Fact =
  /** A key deleted before rotating: a leftover, a key past its grace period, a lost key. */
  | { kind: 'cleared'; id: string }
  /** The old key the run retires or keeps: kept so far. */
  | { kind: 'old'; id: string; created: Date }
  | { kind: 'deactivated'; id: string }
  | { kind: 'deleted'; id: string }
  /** Deactivated and left for its grace period: the first day a run deletes it. */
  | { kind: 'deleteAfter'; id: string; day: string }
  /** The old key's last use, once it is retired. */
  | { kind: 'lastUse'; use: LastUse }
  | ({ kind: 'inFlight' } & InFlightFact)
  /** What this run finished for a run that ended early. */
  | { kind: 'finished'; finished: { retired: string } | { kept: string } }
  /** A lost key recovered: `affected` targets held the deleted key. */
  | { kind: 'recovery'; lostKey: string; deleted: string; affected: string[] }
  /** An affected target got a working key again, `ms` after the recovery deleted its key. */
  | { kind: 'window'; target: string; ms: number }
  /** A wait for GitHub's rate limit while publishing. */
  | { kind: 'rateLimitWait'; ms: number }
  /** An Active key found beside the new one that the run did not plan for. */
  | { kind: 'stranger'; id: string; created: Date }

/** The keys deleted so far. */
export const clearedOf = (facts: readonly Fact[]): string[] =>
  facts.flatMap((f) => (f.kind === 'cleared' ? [f.id] : []))

/** The last recovery recorded, if any. */
export const recoveryOf = (
  facts: readonly Fact[]
): Extract<Fact, { kind: 'recovery' }> | undefined =>
  facts.findLast((f): f is Extract<Fact, { kind: 'recovery' }> => f.kind === 'recovery')

/** How long the run has waited for GitHub's rate limits so far; undefined when it never did. */
export function rateLimitWaitOf(facts: readonly Fact[]): number | undefined {
  const waits = facts.flatMap((f) => (f.kind === 'rateLimitWait' ? [f.ms] : []))
  return waits.length ? waits.reduce((a, b) => a + b, 0) : undefined
}
