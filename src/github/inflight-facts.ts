/**
 * Why the workflow runs that may hold a replaced key could not be listed, as facts: plain data the
 * rotation carries into its outcome untouched, for src/report/github-runs.ts to say.
 */
import type { MintFailure, RateLimit, Reason } from './errors.js'

/** Why GitHub could not say which runs hold the old key. */
export type RunsUnknown =
  | { kind: 'rate-limited'; limit: RateLimit; waitMs: number }
  /** GitHub refused a listing (401, 403, 404): a missing 'Actions: Read' or 'Metadata: Read'. */
  | { kind: 'refused'; reason: Reason }
  /** GitHub did not answer a listing. */
  | { kind: 'failed'; reason: Reason }

/** Before any change: what keeps the token from listing the runs that may hold the old key. */
export type RunsBlocked =
  /** Listing an organization's repositories was refused: who reads its secret is unknown. */
  | { kind: 'organization'; reason: Reason }
  /** No read-only installation token was minted. */
  | { kind: 'mint'; mint: MintFailure }
  /** The runs of these repositories (sorted) may not be listed. */
  | { kind: 'denied'; repositories: string[] }

/** A run that may hold the old key. */
export interface Holder {
  /** `owner/repo`. */
  repo: string
  id: number
  attempt: number
  status: string
  /** The run's page, for the summary. */
  url: string
  /** Held through an environment whose job started before the environment was written. */
  environment?: boolean
}

/** The runs that may hold the old key, or why GitHub could not tell. */
export type InFlight = { runs: Holder[] } | { unknown: RunsUnknown }
