/**
 * How AWS calls are retried. The SDK's standard strategy retries throttling, 5xx and network
 * errors, which is right for reads and for calls that are safe to repeat. Three of its choices are
 * wrong for the action: it counts IAM's `LimitExceeded` (a quota: two keys, 50 tags per user) as
 * throttling and retries it for seconds; it repeats a call that is not idempotent after an answer
 * that never came, so CreateAccessKey could create a second key whose secret is lost; and it
 * counts IAM's `ConcurrentModification` (409: another change to the user was in progress) as a
 * client error and never retries it, although IAM refused without acting and asks to try again.
 */
import { StandardRetryStrategy } from '@smithy/core/retry'
import type { FinalizeRequestMiddleware, RetryErrorInfo } from '@smithy/types'
import { isConcurrentModification, isQuota, isUncertain } from './answers.js'

/** Set on errors of calls that must not be repeated blind (see {@link notIdempotent}). */
const ONCE = Symbol('rotate-iam-key: not idempotent')

/**
 * The standard strategy, minus quotas and blind repeats of calls marked {@link notIdempotent},
 * plus ConcurrentModification.
 */
export class NoBlindRetry extends StandardRetryStrategy {
  override async refreshRetryTokenForRetry(
    ...[token, info]: Parameters<StandardRetryStrategy['refreshRetryTokenForRetry']>
  ): ReturnType<StandardRetryStrategy['refreshRetryTokenForRetry']> {
    if (!mayRetry(info)) throw info.error ?? new Error('not retried')
    return super.refreshRetryTokenForRetry(token, classify(info))
  }
}

/**
 * The SDK classifies ConcurrentModification as CLIENT_ERROR, which the standard strategy never
 * retries; it is contention, as the SDK's own THROTTLING codes `PriorRequestNotComplete` and
 * `TransactionInProgressException` are, so it is retried as they are: within the attempts and
 * retry capacity, with the throttling backoff (a 1 s base, doubled each time, with jitter).
 */
function classify(info: RetryErrorInfo): RetryErrorInfo {
  return isConcurrentModification(info.error) ? { ...info, errorType: 'THROTTLING' } : info
}

function mayRetry(info: RetryErrorInfo): boolean {
  const error = info.error as (Error & { [ONCE]?: boolean }) | undefined
  if (isQuota(error)) return false
  // A throttled or otherwise refused call did nothing: repeating it is safe even when it creates.
  return !(error?.[ONCE] && isUncertain(error))
}

/**
 * A command middleware that marks the command's errors so the retry strategy never repeats it
 * after an uncertain outcome; the caller reads the state back and decides instead.
 */
export function notIdempotent<I extends object, O extends object>(): FinalizeRequestMiddleware<
  I,
  O
> {
  return (next) => async (args) => {
    try {
      return await next(args)
    } catch (error) {
      if (error && typeof error === 'object') (error as { [ONCE]?: boolean })[ONCE] = true
      throw error
    }
  }
}
