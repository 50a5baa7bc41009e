/**
 * The run's fixed pace, in one place for the action and for its benchmark (scripts/bench), which
 * computes the least time a rotation can take from the same figures.
 */

/** GitHub asks for mutating requests a second apart "when there are many": more writes than this. */
export const PACE_WRITES_ABOVE = 10
/** The pause between two writes when they are paced. */
export const PACE_MS = 1000
/** Verification asks STS about once a second while IAM still refuses the new key. */
export const VERIFY_POLL_MS = 1000
/** Users of a manifest rotated at once: enough to overlap IAM's propagation waits, few enough for IAM's API limits. */
export const CONCURRENT_USERS = 4

/** The pause between two writes of a run (or of its failure issues) that sends `writes` of them. */
export function writeInterval(writes: number): number {
  return writes > PACE_WRITES_ABOVE ? PACE_MS : 0
}
