/**
 * What a failure issue is to the sender and to its words alike: the actions on a user's issue,
 * and the hidden marker by which an issue is found. A leaf, so github/issues.ts (which sends) and
 * report/failure-issue.ts (which writes the words) share it without the adapter importing the
 * report.
 */

/** What to do with a user's issue: file (open, or update the open one) or close it. */
export type IssueAction =
  | { kind: 'file'; user: string; title: string; body: string; comment: string }
  | { kind: 'close'; user: string; comment: string }

const MARKER_PREFIX = '<!-- rotate-iam-key:failure-issue '

/**
 * The hidden line that says which IAM user an issue is about: an issue is found by it, never by
 * its title (a person may retitle it). JSON inside an HTML comment; `--` cannot occur in it.
 */
export const marker = (user: string): string =>
  `${MARKER_PREFIX}${JSON.stringify({ user }).replace(/--/g, '-\\u002d')} -->`

/** The IAM user an issue body's marker names, or undefined. */
export function markedUser(body: string | null | undefined): string | undefined {
  const start = body?.indexOf(MARKER_PREFIX) ?? -1
  if (!body || start < 0) return undefined
  const end = body.indexOf(' -->', start)
  if (end < 0) return undefined
  try {
    const parsed = JSON.parse(body.slice(start + MARKER_PREFIX.length, end)) as unknown
    const user = (parsed as { user?: unknown }).user
    return typeof user === 'string' ? user : undefined
  } catch {
    return undefined
  }
}
