/**
 * Whether a workflow run that holds a lease on a user has ended, as GitHub tells it. Used only
 * when a lease is live, so another run need not wait a killed run's lease out. Reading runs needs
 * the repository permission 'Actions: Read'; without it the answer is "cannot tell" and the run
 * respects the lease.
 */
import * as core from '@actions/core'
import type { Clients } from './clients.js'
import { answered, AuthError, rateLimited, reason, RateLimited } from './errors.js'

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
  info: (message: string) => void = core.info
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
    info(cannotTell(error, `${owner}/${name}`, intent.run.id))
    return undefined
  }
}

/** Why the run's state is unknown: a rate limit is said as one, never as a missing permission. */
export function cannotTell(error: unknown, repository: string, run: string): string {
  const doing = `reading run ${run} of ${repository}`
  const limited = error instanceof RateLimited ? error : rateLimited(error, doing)
  if (limited) return `${limited.message} Until then the lease holds.`
  const status = answered(error) ? (error as { status: number }).status : undefined
  return status === 403 || status === 404
    ? `Cannot tell whether run ${run} has ended (${reason(error)}): give the token or App the repository permission 'Actions: Read' on ${repository} to let a run take over a killed run's lease. Until then the lease holds.`
    : `Cannot tell whether run ${run} of ${repository} has ended (${error instanceof AuthError ? error.message : reason(error)}). Until then the lease holds.`
}
