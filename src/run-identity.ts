/** Who this run is, from the variables a runner sets: recorded in every mark the action writes. */
import { workflowId, type Identity } from './aws/marks.js'

export function runIdentity(env: NodeJS.ProcessEnv): Identity {
  const id = env.GITHUB_RUN_ID
  const attempt = Number(env.GITHUB_RUN_ATTEMPT || '1')
  const workflow = workflowId(env.GITHUB_WORKFLOW_REF)
  return {
    ...(id && /^\d+$/.test(id) ? { run: { id, attempt: attempt > 0 ? attempt : 1 } } : {}),
    ...(workflow ? { workflow } : {})
  }
}
