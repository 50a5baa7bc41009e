/** What a dry run would do, in order: the plan (rotation/plan.ts) in words. */
import { describe } from '../github/targets.js'
import type { Plan } from '../rotation/plan.js'
import type { Request } from '../rotation/job.js'
import { reasonWords } from './reason.js'

export function describePlan(
  plan: Extract<Plan, { kind: 'idle' | 'rotate' }>,
  req: Request
): string[] {
  const lines: string[] = []
  const wait = waitFor(req)
  if (plan.unretired)
    lines.push(`retire ${plan.unretired.key.id}, which an earlier run replaced${wait}`)
  for (const k of plan.expired) lines.push(`delete ${k.id}: past its grace period`)
  if (plan.kind === 'idle') return [...lines, `not rotate: ${reasonWords(plan.reason)}`]
  for (const k of plan.kept) lines.push(`delete Inactive ${k.id} to make room`)
  if (plan.lost) lines.push(`recover ${plan.lost.key.id}, whose secret an ended run lost`)
  lines.push(`create a new key and verify it with STS (${reasonWords(plan.reason)})`)
  for (const t of req.targets)
    lines.push(
      `write ${req.secretNames.accessKeyId} and ${req.secretNames.secretAccessKey} to ${describe(t)}`
    )
  // Reading a public key needs only read access: GitHub has no dry-run write to prove more.
  if (req.targets.length > 0)
    lines.push('not checked: that the token may write these secrets (GitHub has no dry-run write)')
  const old = plan.current ?? plan.lost?.key
  if (old) {
    if (wait) lines.push(wait.replace(/^, /, ''))
    lines.push(
      req.deleteOldKey && req.gracePeriodDays === 0
        ? `deactivate ${old.id}, then delete it`
        : `deactivate ${old.id}${req.deleteOldKey ? `; delete it after ${req.gracePeriodDays} days` : ''}`
    )
  }
  return lines
}

/** What the run does about workflow runs that may hold the old key, as a clause. */
function waitFor(req: Request): string {
  switch (req.inFlightRuns) {
    case 'wait':
      return [
        ', once the workflow runs that may still sign with it have ended',
        `(waiting up to ${Math.round(req.drainTimeoutMs / 60_000)} min, then leaving it Active for a later run)`
      ].join(' ')
    case 'revoke':
      return ', at once, naming the workflow runs that may still sign with it (in-flight-runs: revoke)'
    case 'ignore':
      return ''
  }
}
