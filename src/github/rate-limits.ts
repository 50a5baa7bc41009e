/**
 * Every rate limit GitHub answers, waited out one way. @octokit/plugin-throttling retries only
 * what it recognises: a message saying "secondary rate limit", or `x-ratelimit-remaining: 0`. Any
 * other 429 (`Too many requests` with a `Retry-After`) it passes on untouched, and plugin-retry
 * must not retry a 429 (it would ignore `retry-after`), so a read GitHub answered 429 failed the
 * run. The plugin also delays only the limited request: the client's other requests go on and
 * meet the same limit (octokit/plugin-throttling.js#629).
 *
 * So this hook owns the decision for every answer `rateLimitWait` calls a rate limit (any 429, a
 * 403 marked as one): a definite refusal, safe to send again, writes included. It waits what
 * GitHub asks, at least a second, doubling with each limit the same request meets in a row, and
 * every request of the client waits out the same pause before it is sent.
 */
import type { Octokit } from '@octokit/core'
import { rateLimitWait, MIN_RATE_LIMIT_WAIT_MS } from './errors.js'

/** The clock the waits run on: real by default, injected by tests. */
export interface Clock {
  now: () => number
  sleep: (ms: number) => Promise<void>
}

export const realClock: Clock = {
  now: () => Date.now(),
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms))
}

/** A rate limit a request met: GitHub's status, the request, and whether it is sent again. */
export interface LimitMet {
  status: number
  method: string
  url: string
  /** Sent again after `waitMs`; false: it fails now, GitHub asking to wait `waitMs`. */
  again: boolean
  waitMs: number
}

export interface RateLimitOptions {
  /** How many times a rate-limited request is sent again before it fails. */
  retries: number
  /** The longest wait sat out inline; beyond it the request fails at once. */
  maxWaitMs: number
  clock: Clock
  /** Told of every limit met, for the log (src/report/github-rate-limit.ts words it). */
  met: (m: LimitMet) => void
}

/**
 * The wait before sending again after the `count`-th limit in a row (0 first): what GitHub asked,
 * but at least a second, doubled each time, the doubling capped at `maxWaitMs`.
 */
export function backoff(askedMs: number, count: number, maxWaitMs: number): number {
  return Math.max(askedMs, Math.min(MIN_RATE_LIMIT_WAIT_MS * 2 ** count, maxWaitMs))
}

/**
 * An Octokit plugin: each client pauses all its requests while GitHub rate-limits any of them, and
 * sends a rate-limited request again after the pause, within `retries` and `maxWaitMs`. Beyond
 * them the request fails with GitHub's answer, for `rateLimited()` to say how long to wait.
 */
export function rateLimits({ retries, maxWaitMs, clock, met }: RateLimitOptions) {
  return (octokit: Octokit): void => {
    /** Until when the client sends nothing: the end of the latest wait any request began. */
    let pausedUntil = 0
    const paused = async (): Promise<void> => {
      // Loop: another request may extend the pause while this one sleeps.
      for (let left = pausedUntil - clock.now(); left > 0; left = pausedUntil - clock.now())
        await clock.sleep(left)
    }
    octokit.hook.wrap('request', async (request, options) => {
      for (let count = 0; ; count++) {
        await paused()
        try {
          return await request(options)
        } catch (error) {
          const asked = rateLimitWait(error, clock.now())
          if (asked === undefined) throw error
          const again = count < retries && asked <= maxWaitMs
          const ms = backoff(asked, count, maxWaitMs)
          // A rate limit is always GitHub's answer (rateLimitWait), so it has a status.
          const status = (error as { status: number }).status
          const { method, url } = options
          met({ status, method, url, again, waitMs: again ? ms : asked })
          if (!again) throw error
          pausedUntil = Math.max(pausedUntil, clock.now() + ms)
        }
      }
    })
  }
}
