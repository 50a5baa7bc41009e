/**
 * Who this run is, as the Actions toolkit's `context` reads it from the runner: recorded in every
 * mark the action writes.
 */
import { context } from '@actions/github'
import { workflowId, type Identity } from './rotation/marks.js'

/** What the toolkit's `context` says of the run. */
export type RunContext = Pick<typeof context, 'runId' | 'runAttempt'>

export function runIdentity(env: NodeJS.ProcessEnv, run: RunContext = context): Identity {
  const { runId, runAttempt } = run
  // `context` holds the workflow's name, which is not unique; the ref names its file and repository.
  const workflow = workflowId(env.GITHUB_WORKFLOW_REF)
  return {
    ...(Number.isSafeInteger(runId) && runId > 0
      ? { run: { id: String(runId), attempt: runAttempt > 0 ? runAttempt : 1 } }
      : {}),
    ...(workflow ? { workflow } : {})
  }
}
