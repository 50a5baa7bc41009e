/**
 * What happened to each user of a run, as data: the outputs a dashboard reads and the run's last
 * error count users by it. No words here; summary.ts and main.ts say it.
 */
import type { UserResult } from '../fleet.js'

/**
 * One user's end: `failed` (an error, even after its new key was published), `dry-run` (nothing
 * changed), `rotated`, `held` (not rotated: an earlier rotation's old key is still held by
 * running deploys), `not-due`, or `skipped` (none of these).
 */
export type Status = 'failed' | 'dry-run' | 'rotated' | 'held' | 'not-due' | 'skipped'

export function statusOf({ outcome: o, error }: UserResult): Status {
  if (error) return 'failed'
  if (o.plan) return 'dry-run'
  if (o.rotated) return 'rotated'
  if (o.inFlight?.fate === 'held' || o.inFlight?.fate === 'unknown') return 'held'
  return o.decision === 'idle' ? 'not-due' : 'skipped'
}

/** How many users ended each way. */
export function tally(results: UserResult[]): Record<Status, number> {
  const counts: Record<Status, number> = {
    failed: 0,
    'dry-run': 0,
    rotated: 0,
    held: 0,
    'not-due': 0,
    skipped: 0
  }
  for (const r of results) counts[statusOf(r)]++
  return counts
}

/** The earliest day any user of the run is next due; undefined when none has a date. */
export function nextDue(results: UserResult[]): Date | undefined {
  const days = results.flatMap((r) => (r.outcome.nextDue ? [r.outcome.nextDue.getTime()] : []))
  return days.length > 0 ? new Date(Math.min(...days)) : undefined
}

/** A day as outputs give it: `YYYY-MM-DD` (UTC). */
export const isoDay = (date: Date): string => date.toISOString().slice(0, 10)
