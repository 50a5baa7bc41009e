/**
 * Why a target's secrets could not be read or written, as facts: apart from secrets.ts and what
 * it loads (the pacing of reads and writes, the sealing library), so the report can tell these
 * errors without loading them.
 */
import type { Doing, MintFailure, Reason } from './errors.js'
import type { Target } from './targets.js'

/**
 * What a message may say about the credential: whether it is a `ghs_` token given as
 * 'github-token' with no App inputs (an installation token, which in a workflow is most often its
 * own GITHUB_TOKEN: no permission change on it fixes a refusal).
 */
export interface Credential {
  installationToken?: boolean
}

/** Why a target's secrets could not be read or written, as facts. */
export type SecretsFault =
  /** No installation token was minted for the request. */
  | { kind: 'mint'; mint: MintFailure }
  /** The credential could not be sent: it holds a character HTTP headers refuse. */
  | { kind: 'header' }
  /** GitHub refused: the credential (401), a permission (403), or nothing it can see (404). */
  | { kind: 'refused'; status: 401 | 403 | 404; reason: Reason }
  /** Any other failure, retries spent. */
  | { kind: 'failed'; reason: Reason }
  /** The environment does not exist, and the action never creates one. */
  | { kind: 'no-environment' }
  /** A new organization secret with no visibility set: the run does not pick one. */
  | { kind: 'no-visibility'; secret: string }

/** A target's secrets failed: `fault` says how, `doing` what the run was doing (when it was a request). */
export class SecretsError extends Error {
  override name = 'SecretsError'
  constructor(
    readonly fault: SecretsFault,
    readonly target: Target,
    readonly doing: Doing | undefined,
    readonly credential: Credential,
    options?: ErrorOptions
  ) {
    super(`github ${fault.kind}`, options)
  }
}
