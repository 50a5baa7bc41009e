/**
 * What GitHub could not say about workflow runs, in words: whether a lease holder's run has ended
 * (github/runs.ts), which runs may hold the old key (github/inflight.ts), and, before any change,
 * what keeps the token from listing them.
 */
import type { RunsBlocked, RunsUnknown } from '../github/inflight-facts.js'
import type { RunUnknown } from '../github/runs.js'
import { mintWords } from './github-mint.js'
import { rateLimitWords } from './github-rate-limit.js'
import { reasonWords } from './github-reason.js'

const HOLDS = 'Until then the lease holds.'

/** Why a lease holder's run state is unknown; the lease holds. */
export function runUnknownWords(u: RunUnknown): string {
  switch (u.kind) {
    case 'rate-limited':
      return `${rateLimitWords(u.limit, u.waitMs)} ${HOLDS}`
    case 'refused':
      return [
        `Cannot tell whether run ${u.run} has ended (${reasonWords(u.reason)}):`,
        `give the token or App the repository permission 'Actions: Read' on ${u.repository}`,
        `to let a run take over a killed run's lease. ${HOLDS}`
      ].join(' ')
    case 'mint':
    case 'failed': {
      const why = u.kind === 'mint' ? mintWords(u.mint) : reasonWords(u.reason)
      return `Cannot tell whether run ${u.run} of ${u.repository} has ended (${why}). ${HOLDS}`
    }
  }
}

const REFUSED_LISTING = [
  "the token or App needs the repository permission 'Actions: Read'",
  "(and 'Metadata: Read' to list an organization's repositories)"
].join(' ')

/** Why the runs that may hold the old key could not be listed. */
export function runsUnknownWords(u: RunsUnknown): string {
  switch (u.kind) {
    case 'rate-limited':
      return rateLimitWords(u.limit, u.waitMs)
    case 'refused':
      return `GitHub refused a listing (${reasonWords(u.reason)}): ${REFUSED_LISTING}`
    case 'failed':
      return `GitHub did not answer a listing of workflow runs (${reasonWords(u.reason)})`
  }
}

const IGNORE = [
  "Or set 'in-flight-runs: ignore' to retire the old key without looking",
  '(a deploy running meanwhile fails). Nothing was changed.'
].join(' ')

/** Before any change: what keeps the token from listing the runs, and the way around it. */
export function runsBlockedWords(b: RunsBlocked): string {
  switch (b.kind) {
    case 'organization':
      return [
        runsUnknownWords({ kind: 'refused', reason: b.reason }),
        ', to see which repositories read an organization secret. Give it that permission. ',
        IGNORE
      ].join('')
    case 'mint':
      return `${mintWords(b.mint)} ${IGNORE}`
    case 'denied':
      return [
        `The token or App cannot list the workflow runs of ${b.repositories.join(', ')}:`,
        "give it the repository permission 'Actions: Read' there,",
        'so the run can wait for deploys that still hold the old key before it deactivates it.',
        IGNORE
      ].join(' ')
  }
}
