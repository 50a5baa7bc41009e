/**
 * Why rotate() stopped, as facts: the report (src/report/rotation-failure.ts) says them. Before any
 * change the run stops on a read, a refusal, a port's answer or a cancel; after, the machine's
 * aftermath (aftermath.ts) says what a failure in its state left.
 */
import type { Aftermath } from './aftermath.js'
import type { OverBudget } from '../budget.js'
import type { RunsBlocked } from '../github/inflight-facts.js'
import type { Intent } from './marks.js'
import type { Refusal } from './plan.js'
import type { LastUse } from '../aws/key-data.js'
import type { Outcome } from './types.js'

export type Stop =
  /** Reading the user and its keys failed: nothing was changed. */
  | { stop: 'read'; user: string; error: unknown }
  /** Another run holds the lease. */
  | { stop: 'busy'; user: string; intent: Intent; now: number }
  /** The plan refused; `uses` are the last uses of the keys a person must choose between. */
  | { stop: 'refused'; user: string; refusal: Refusal; uses: (LastUse | undefined)[]; now: number }
  /** The user's writes do not fit GitHub's hourly budget: nothing was changed. */
  | { stop: 'budget'; refusal: OverBudget }
  /** The token cannot list the workflow runs that may hold the old key: nothing was changed. */
  | { stop: 'runs'; blocked: RunsBlocked }
  /** Reading the targets or proving the credentials failed: nothing was changed. */
  | { stop: 'unready'; user: string; error: unknown }
  /** The action signs its IAM calls with a key this run would retire. */
  | { stop: 'admin-key'; key: string }
  /** The runner asked the action to stop before any change. */
  | { stop: 'cancelled' }
  /** Finishing what an earlier run left failed. */
  | { stop: 'housekeeping'; error: unknown }
  /** The machine failed in one of its states. */
  | { stop: 'machine'; aftermath: Aftermath }

/**
 * A failure with what it left behind: `stop` says why, as facts, and src/report/rotation-failure.ts
 * says it to a person; the message names only the user and the kind.
 */
export class RotationError extends Error {
  override name = 'RotationError'
  constructor(
    readonly stop: Stop,
    readonly outcome: Outcome
  ) {
    super(`${outcome.userName}: ${stop.stop}`)
  }

  /** What a failure of the machine left, when it failed in one of its states. */
  get aftermath(): Aftermath | undefined {
    return this.stop.stop === 'machine' ? this.stop.aftermath : undefined
  }
}
