/**
 * Whether a workflow run that holds a lease on a user has ended, as GitHub tells it. Used only
 * when a lease is live, so another run need not wait a killed run's lease out. Reading runs needs
 * the repository permission 'Actions: Read'; without it the answer is "cannot tell" and the run
 * respects the lease.
 */
import type { Clients } from './clients.js'
import {
  answered,
  AuthError,
  rateLimited,
  reason,
  RateLimited,
  type MintFailure,
  type RateLimit,
  type Reason
} from './errors.js'

/**
 * The run that holds a lease, as the lease records it: its workflow (`owner/repo/file.yml`) and
 * its run. Declared here, so this adapter need not know the rotation's marks; an intent fits it.
 */
export interface LeaseHolder {
  workflow?: string
  run?: { id: string; attempt: number }
}

export async function runEnded(
  forRuns: Clients['forRuns'],
  intent: LeaseHolder,
  /** Told why GitHub could not say, for the log (src/report/github-runs.ts words it). */
  unknown: (why: RunUnknown) => void
): Promise<boolean | undefined> {
  const repo = /^([^/]+)\/([^/]+)\//.exec(intent.workflow ?? '')
  if (!repo || !intent.run) return undefined
  const [, owner = '', name = ''] = repo
  try {
    const client = await forRuns(owner, name)
    const { data } = await client.request('GET /repos/{owner}/{repo}/actions/runs/{run_id}', {
      owner,
      repo: name,
      run_id: Number(intent.run.id)
    })
    // A later attempt has started: the attempt holding the lease is over.
    if ((data.run_attempt ?? 1) > intent.run.attempt) return true
    return data.status === 'completed'
  } catch (error) {
    unknown(cannotTell(error, `${owner}/${name}`, intent.run.id))
    return undefined
  }
}

/** Why a run's state is unknown; whichever it is, the lease holds. */
export type RunUnknown = { run: string; repository: string } &
  /** A rate limit, said as one, never as a missing permission. */
  (
    | { kind: 'rate-limited'; limit: RateLimit; waitMs: number }
    /** GitHub refused (403, 404): the token lacks 'Actions: Read' there. */
    | { kind: 'refused'; reason: Reason }
    /** No read-only installation token was minted. */
    | { kind: 'mint'; mint: MintFailure }
    | { kind: 'failed'; reason: Reason }
  )

/** Why the run's state is unknown, as facts. */
export function cannotTell(error: unknown, repository: string, run: string): RunUnknown {
  const at = { run, repository }
  const step = { doing: { doing: 'run', run, repository } } as const
  const limited = error instanceof RateLimited ? error : rateLimited(error, step)
  if (limited) return { ...at, kind: 'rate-limited', limit: limited.limit, waitMs: limited.waitMs }
  const status = answered(error) ? (error as { status: number }).status : undefined
  if (status === 403 || status === 404) return { ...at, kind: 'refused', reason: reason(error) }
  return error instanceof AuthError
    ? { ...at, kind: 'mint', mint: error.facts }
    : { ...at, kind: 'failed', reason: reason(error) }
}
