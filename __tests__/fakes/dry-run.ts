/** A dry run's plan as the outcome carries it, for tests of what the report says about it. */
import type { Outcome } from '../../src/rotation/types.js'
import type { Decided } from '../../src/rotation/progress.js'
import type { Reason } from '../../src/rotation/plan.js'
import type { Request } from '../../src/rotation/job.js'

/** A dry run that would create a key (for `reason`) and write it to `repos` of acme. */
export function dryRun(repos: string[] = ['app'], reason: Reason = { why: 'force' }) {
  const plan = {
    kind: 'rotate',
    reason,
    kept: [],
    expired: [],
    staleMarks: [],
    seen: [],
    targetsChanged: false
  } as unknown as Decided
  const req: Request = {
    userName: 'deploy',
    targets: repos.map((repo) => ({ kind: 'repository', owner: 'acme', repo })),
    secretNames: { accessKeyId: 'A', secretAccessKey: 'B' },
    verifyTimeoutMs: 5000,
    deleteOldKey: true,
    maxAgeDays: 0,
    force: true,
    gracePeriodDays: 0,
    dryRun: true,
    inFlightRuns: 'wait',
    drainTimeoutMs: 600_000,
    drainCapMs: 35 * 86_400_000
  }
  return { plan, req } satisfies Outcome['plan']
}
