/**
 * IAM's ConcurrentModification: "Multiple requests to change this object were submitted
 * simultaneously" (HTTP 409), when two changes of one user overlap.
 *
 * Which operations take part: IAM's API reference lists ConcurrentModification among the errors
 * of TagUser and UntagUser, and not among those of CreateAccessKey, UpdateAccessKey or
 * DeleteAccessKey. So by default (`'documented'`) only tag changes collide, with each other; the
 * key changes neither hold the user nor are refused. `'all'` makes the three key changes take
 * part too (stricter than documented: any two of the five collide), and `'off'` turns it off.
 *
 * How overlap is decided, deterministically:
 * - a change is in flight from the moment its request arrived;
 * - an accepted change (authorized, valid, about to act) holds its user: it acts at once, then
 *   its answer waits `holdMs` (IAM's processing time) and the hold ends just before the answer
 *   is handed to the server to write (so before any latency the server adds);
 * - a change that is about to act is refused when another accepted change of the same user was
 *   still holding it when this one arrived, or holds it now. It then changes nothing and holds
 *   nothing.
 * A client that sends the next change only after the previous answer arrived never collides:
 * the hold ended before that answer was written, so before the next request was even sent.
 * Two changes a client sends side by side (Promise.all) arrive within a millisecond or two of
 * each other, well inside `holdMs`, even with the server's latency at 0: the one that reaches
 * its check second is refused. Arrival and hold times are on the monotonic `performance.now()`
 * clock, so a clock step cannot make or break a collision.
 */
import { performance } from 'node:perf_hooks'
import { AwsError } from './xml.js'

export type ConcurrentModificationMode = 'documented' | 'all' | 'off'

/** The changes of a user that can collide; `documented` lists the ones the API reference says may be refused. */
const CHANGES = {
  TagUser: { documented: true },
  UntagUser: { documented: true },
  CreateAccessKey: { documented: false },
  UpdateAccessKey: { documented: false },
  DeleteAccessKey: { documented: false }
} as const

export const isUserChange = (action: string): action is keyof typeof CHANGES => action in CHANGES

/** Default time an accepted change holds its user before its answer. */
export const DEFAULT_HOLD_MS = 25

export interface Hold {
  /** `performance.now()` when the hold ended; undefined while it lasts. */
  end?: number
}

export class UserChanges {
  /** Every hold per user that may still matter, newest last. */
  private readonly holds = new Map<string, Hold[]>()

  constructor(
    private readonly mode: () => ConcurrentModificationMode,
    readonly holdMs: () => number
  ) {}

  /** Now, on the clock arrivals and holds are measured with. */
  static now(): number {
    return performance.now()
  }

  /**
   * Called by a change of the user `userArn` that arrived at `arrived` and is about to act: throws IAM's
   * ConcurrentModification when it overlaps another change and may be refused; otherwise returns
   * the hold to end with `release` (undefined when the mode is off).
   */
  claim(userArn: string, action: string, arrived: number): Hold | undefined {
    const mode = this.mode()
    if (mode === 'off' || !isUserChange(action)) return undefined
    if (mode === 'documented' && !CHANGES[action].documented) return undefined
    // holds that ended a minute ago cannot overlap anything still arriving
    const now = UserChanges.now()
    const holds = (this.holds.get(userArn) ?? []).filter(
      (h) => h.end === undefined || h.end > now - 60_000
    )
    this.holds.set(userArn, holds)
    const overlaps = holds.some((h) => h.end === undefined || h.end > arrived)
    if (overlaps) {
      throw new AwsError(
        409,
        'ConcurrentModification',
        'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.'
      )
    }
    const hold: Hold = {}
    holds.push(hold)
    return hold
  }

  release(hold: Hold | undefined): void {
    if (hold && hold.end === undefined) hold.end = UserChanges.now()
  }
}
