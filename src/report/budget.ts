/**
 * GitHub's hourly budget in words: a run whose writes would not fit one hour (src/budget.ts) is
 * refused before any change, with what would help.
 */
import type { Identity, OverBudget } from '../budget.js'

/** `the token`, or `the GitHub App's installation on acme`. */
export const identityWords = (i: Identity): string =>
  i.identity === 'token' ? 'the token' : `the GitHub App's installation on ${i.account}`

/** `3 h 8 min 19 s`, `1 min 39 s`, `0 s`. */
export function duration(seconds: number): string {
  const parts = [
    [Math.floor(seconds / 3600), 'h'],
    [Math.floor((seconds % 3600) / 60), 'min'],
    [seconds % 60, 's']
  ] as const
  const shown = parts.filter(([n]) => n > 0).map(([n, unit]) => `${n} ${unit}`)
  return shown.length > 0 ? shown.join(' ') : '0 s'
}

/** Why the run is refused, and the ways to fit an hour. */
export function budgetWords({ over, limits }: OverBudget): string {
  const each = over
    .map(
      (i) =>
        `${i.writes} secret writes as ${identityWords(i.identity)} (at least ${duration(i.leastSeconds)})`
    )
    .join(', ')
  return [
    `This run would make ${each}: more than the ${limits.perHour} writes GitHub allows one identity in an hour`,
    `(and ${limits.perMinute} a minute, ${limits.spacingSeconds} s apart).`,
    'A run that waits hours for its budget keeps a half-published key, and both keys live,',
    'for every hour it waits, so it is refused before any change.',
    'To fit an hour: share one key through organization secrets',
    '(one organization target serves many repositories, for two writes);',
    "split the fleet across runs (with 'max-age-days' on a frequent schedule, users that are not due are skipped,",
    'so the rotations spread out over the days);',
    'or rotate parts of the fleet from several workflows, each with its own GitHub App. Nothing was changed.'
  ].join(' ')
}
