/**
 * The entry's own lines (main.ts): the runner's cancel, the failure issues filed, and failure
 * issues that could not be filed.
 */

/** The runner's signal arrived: what the run does about it. */
export const cancelling = (signal: string): string =>
  `Received ${signal}: finishing or undoing what is in flight, then stopping`

/** The failure issues could not be filed: the error in words (the run's result stands). */
export const issuesNotFiled = (words: string): string =>
  `Could not file the failure issues: ${words}`

/** A failure issue this run opened, updated or closed, with its link. */
export const issueDone = (
  how: 'opened' | 'updated' | 'closed',
  issue: { number: number; url: string }
): string => `${how[0]!.toUpperCase()}${how.slice(1)} failure issue #${issue.number}: ${issue.url}`
