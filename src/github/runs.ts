/**
 * Whether a workflow run that holds a lease on a user has ended, as GitHub tells it. Used only
 * when a lease is live, so another run need not wait a killed run's lease out. Reading runs needs
 * the repository permission 'Actions: Read'; without it the answer is "cannot tell" and the run
 * respects the lease.
 */
import type { Intent } from '../aws/marks.js'
import type { Clients } from './client.js'

export async function runEnded(
  forRuns: Clients['forRuns'],
  intent: Intent
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
  } catch {
    return undefined
  }
}
