/** A GitHub rate limit in words: what was limited, the wait it asks, and that it is no permission. */
import type { RateLimit } from '../github/errors.js'
import type { LimitMet } from '../github/rate-limits.js'
import { stepWords, whileWords } from './github-doing.js'
import { reasonWords, wait } from './github-reason.js'

const NOT_PERMISSION = [
  'This is a rate limit, not a missing permission: the credentials need no change;',
  'run the workflow again after the wait, or rotate fewer targets per run.'
].join(' ')

export function rateLimitWords(l: RateLimit, waitMs: number): string {
  const said = [
    `GitHub rate-limited ${stepWords(l.step)} (${reasonWords(l.reason)})`,
    `and asks to wait ${wait(waitMs)}.`,
    NOT_PERMISSION
  ].join(' ')
  return `${said}${whileWords(l.within)}`
}

/** A rate limit a request met, for the log: sent again after the wait, or failed at once. */
export const limitMetWords = (m: LimitMet): string =>
  `GitHub rate limit (${m.status}) on ${m.method} ${m.url}: ` +
  (m.again ? `retrying after ${wait(m.waitMs)}` : `not waiting ${wait(m.waitMs)} here`)
