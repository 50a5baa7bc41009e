/**
 * The report's words for the facts the steps log as they go (src/report/ says them; the entry
 * passes them in with the rest of {@link Words}). A leaf, so every step may name it.
 */
import type { MissedWhy } from './aftermath.js'
import type { RunsUnknown } from '../github/inflight-facts.js'

export interface StepWords {
  /** Why GitHub could not say which workflow runs hold the old key, for the log. */
  runsUnknown(why: RunsUnknown): string
  /** Why the new key did not certainly reach `target` (by name), for the log. */
  missed(why: MissedWhy, target: string): string
}
