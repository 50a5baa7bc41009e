/**
 * The states of the rotation, as types: what holds in each. A leaf, so the steps (machine.ts) and
 * what a failure in each leaves (failures.ts) both name them without importing each other.
 */
import type { LastUse, NewKey } from '../aws/key-data.js'
import type { Intent } from './marks.js'
import type { Written } from './ports.js'
import type { Holder, InFlight } from '../github/inflight-facts.js'
import type { Prepared } from './ports.js'
import type { Room } from './housekeeping.js'
import type { Plan } from './plan.js'
import type { Miss } from './aftermath.js'
import { FactsError } from '../facts-error.js'

export type Rotate = Extract<Plan, { kind: 'rotate' }>
/** A target the new key did not certainly reach, and why. */
export interface Missed {
  p: Prepared
  why: Miss
}
export interface Held {
  room: Room
  intent: Intent
  key: NewKey
  /** The old key's last use, read beside the published mark, for the summary once it is retired. */
  oldLastUse?: LastUse
}

export type State =
  /** Decided; nothing changed yet. */
  | { at: 'planned'; plan: Rotate }
  /** Earlier runs' work finished, room made, the lease taken; no new key yet. */
  | { at: 'leased'; room: Room; intent: Intent }
  /** The new key exists; nobody holds it. */
  | ({ at: 'created' } & Held)
  /** STS accepts the new key as the user, `afterMs` after it was created; nobody holds it yet. */
  | ({ at: 'verified'; afterMs: number } & Held)
  /**
   * `written` targets hold the new key (GitHub confirmed both writes), `pending` ones the old one;
   * `refused` ones refused it for good and hold the old one; `doubt` ones may hold a mixed pair.
   */
  | ({
      at: 'publishing'
      /** With by when GitHub had both writes: runs queued later read the new key. */
      written: Written[]
      pending: Prepared[]
      refused: Missed[]
      doubt: Missed[]
      /** 2 once the targets in doubt are written again, the last pass. */
      pass: 1 | 2
    } & Held)
  /**
   * Every target holds the new key, and its mark says so; `inFlight`: the workflow runs, queued
   * (or with a job started) before their target was written, that may still sign with the old key.
   */
  | ({
      at: 'published'
      inFlight: InFlight
      /** The day the new key is due by max-age-days; none with 0 (every run rotates). */
      due?: Date
    } & Held)
  /**
   * Waiting, the lease held, for `runs` (still running of the `found` ones) to end before the old
   * key goes; at `until` the run stops waiting and leaves the old key Active for a later run.
   */
  | ({
      at: 'draining'
      found: Holder[]
      runs: Holder[]
      since: number
      until: number
      polls: number
    } & Held)
  /** The old key is retired and the lease cleared: the rotation is complete. */
  | { at: 'retired' }
  /**
   * The rotation is complete but the old key stays Active, marked `held`, for workflow runs that
   * may still sign with it (or because GitHub could not say): a later run retires it.
   */
  | { at: 'held' }

export type At = State['at']
export type Live = Exclude<At, 'retired' | 'held'>
export type Of<S extends At> = Extract<State, { at: S }>

/** Every state, in order: the list docs/state-machine.md must match. */
export const STATES: At[] = [
  'planned',
  'leased',
  'created',
  'verified',
  'publishing',
  'published',
  'draining',
  'retired',
  'held'
]

/**
 * Where the run heard the runner ask it to stop, each a point where stopping is safe: before
 * creating a key, while verifying it, before writing any secret, once the new key reached every
 * target, while waiting for workflow runs that may sign with the old `key`, or while waiting for
 * GitHub's rate limit.
 */
export type CancelPoint =
  | { at: 'before-create' | 'verifying' | 'before-writing' | 'published' | 'rate-limit' }
  | { at: 'draining'; key: string }

/** Raised when the runner asked the action to stop, at a point where stopping is safe. */
export class Cancelled extends FactsError<CancelPoint> {
  override name = 'Cancelled'
  constructor(point: CancelPoint) {
    super(point, `cancelled: ${point.at}`)
  }
}

/** Every target was tried and the new key did not certainly reach each one. */
export class NotEverywhere extends Error {
  override name = 'NotEverywhere'
  constructor() {
    super('not everywhere')
  }
}

/**
 * The run stopped between two targets: nothing of the next target was written. The lease on
 * `user` could not be renewed and runs out at `leaseEnds`, before the next write could finish.
 */
export class Stopped extends Error {
  override name = 'Stopped'
  constructor(
    readonly user: string,
    readonly leaseEnds: Date
  ) {
    super(`stopped: ${user}`)
  }
}
