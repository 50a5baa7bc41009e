/**
 * How to read an AWS answer: a quota, another change in progress, or an outcome nobody knows.
 * Plain reading of the error's name and status, with no SDK, so the retry strategy (retry.ts) and
 * the rotation, which decides what an uncertain call may have done, read answers the same way.
 */

/** The part of an SDK error that says whether the service answered, and how. */
interface Answered {
  $metadata?: { httpStatusCode?: number }
}

/** IAM's quota errors: asking again gets the same answer until someone frees the quota. */
export function isQuota(error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'LimitExceededException' || name === 'LimitExceeded'
}

/**
 * IAM's answer while another change to the same entity is in progress: a definite refusal (409,
 * nothing changed) that passes once the other change is done.
 */
export function isConcurrentModification(error: unknown): boolean {
  const name = (error as Error | undefined)?.name
  return name === 'ConcurrentModificationException' || name === 'ConcurrentModification'
}

/**
 * Whether the service may have acted although the call failed: no answer (network error,
 * time-out) or a 5xx. A 4xx is a definite refusal: nothing changed.
 */
export function isUncertain(error: unknown): boolean {
  const status = (error as Answered | undefined)?.$metadata?.httpStatusCode
  return status === undefined || status >= 500
}
