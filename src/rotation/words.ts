/**
 * The words rotate() logs and records as it goes, for facts only the report words: passed in by
 * the entry (src/report/reason.ts, src/report/dry-run.ts), so the rotation imports no report.
 */
import type { Request } from './job.js'
import type { Plan, Reason } from './plan.js'
import type { StepWords } from './step-words.js'

export interface Words extends StepWords {
  /** Why the plan rotates or not. */
  reason(r: Reason): string
  /** What a dry run would do, in order. */
  dryRun(plan: Extract<Plan, { kind: 'idle' | 'rotate' }>, req: Request): string[]
}
