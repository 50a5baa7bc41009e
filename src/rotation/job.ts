/**
 * What the rotation is asked to do: one user, its targets and secret names, and the run's
 * settings. The rotation owns these shapes; the inputs (src/inputs/) read the action's inputs and
 * the manifest into them. A leaf: it imports only the plain data of a target.
 */
import type { Target } from '../github/targets.js'

/** What to do about workflow runs that may still hold the old key. */
export const IN_FLIGHT_MODES = ['wait', 'revoke', 'ignore'] as const
export type InFlightMode = (typeof IN_FLIGHT_MODES)[number]

/** How every user of a run is rotated. */
export interface Settings {
  verifyTimeoutMs: number
  deleteOldKey: boolean
  /** Rotate only when the Active key is at least this many days old; 0: every run. */
  maxAgeDays: number
  force: boolean
  /** Days a deactivated key stays before a later run deletes it; 0: deleted at once. */
  gracePeriodDays: number
  dryRun: boolean
  /**
   * Workflow runs that may hold the old key: `wait` for them before deactivating it; `revoke` at
   * once (after a leak), naming those that will fail; `ignore` without listing them.
   */
  inFlightRuns: InFlightMode
  /** How long a run waits for them before it leaves the old key Active for a later run. */
  drainTimeoutMs: number
  /** After this long since the new key was published, the old key goes whatever still runs. */
  drainCapMs: number
}

/** The names of the two secrets that hold a user's key in every target. */
export interface SecretNames {
  accessKeyId: string
  secretAccessKey: string
}

/** One user to rotate, and the run's settings. */
export interface Request extends Settings {
  userName: string
  targets: Target[]
  secretNames: SecretNames
}
