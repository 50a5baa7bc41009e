/**
 * The words of the failure issues (`failure-issues`): from each user's result, what the issue of a
 * user that failed says (what happened, what holds now, what to do) and what closes it when the
 * user next succeeds. Key IDs only, never a secret. No GitHub calls here: github/issues.ts sends.
 */
import type { UserResult } from '../fleet.js'
import { escapeHtml } from './summary.js'
import { isoDay, statusOf } from './tally.js'
import { marker, type IssueAction } from '../github/issue-marker.js'

/** The run an issue links to. */
export interface RunLink {
  /** `GITHUB_SERVER_URL/GITHUB_REPOSITORY/actions/runs/GITHUB_RUN_ID`, when the runner says so. */
  url?: string
  /** `GITHUB_WORKFLOW`. */
  workflow?: string
  attempt?: number
}

/** Text as a Markdown code span, whatever backticks it holds. */
export function code(text: string): string {
  const longest = Math.max(0, ...(text.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  const pad = text.startsWith('`') || text.endsWith('`') ? ' ' : ''
  return `${fence}${pad}${text}${pad}${fence}`
}

/** Text as a fenced block: nothing in it is Markdown, a link or an @-mention. */
function block(text: string): string {
  const longest = Math.max(2, ...(text.match(/`+/g) ?? []).map((r) => r.length))
  const fence = '`'.repeat(longest + 1)
  return `${fence}text\n${text}\n${fence}`
}

const list = (items: string[]): string => items.map(code).join(', ')

/** The run, as a link when the runner gave its URL. */
function runText(run: RunLink, now: Date): string {
  const attempt = run.attempt && run.attempt > 1 ? ` (attempt ${run.attempt})` : ''
  const name = `${run.workflow ? `${run.workflow} ` : ''}run${attempt}`
  const when = now.toISOString().replace(/\.\d{3}Z$/, 'Z')
  return run.url ? `[${name.replace(/[[\]]/g, '')}](${run.url}) at ${when}` : `${name} at ${when}`
}

/** What each target holds after the run, from the outcome: lines of Markdown. */
export function holdsNow(result: UserResult): string[] {
  const o = result.outcome
  const lines: string[] = []
  const newKey = o.newKeyId ? code(o.newKeyId) : 'the new key'
  if (o.written.length > 0) lines.push(`Holding ${newKey}: ${list(o.written)}.`)
  const h = o.holders
  if (h?.old.length) {
    const old = o.old?.id ? code(o.old.id) : 'the previous key'
    lines.push(`Still holding ${old} (this run did not write them): ${list(h.old)}.`)
  }
  if (h?.refused.length)
    lines.push(
      `Refused ${newKey} (GitHub said no), so still holding the key they held: ${list(h.refused)}.`
    )
  if (h?.doubt.length)
    lines.push(`Unknown (GitHub's answer was lost, so either key may be there): ${list(h.doubt)}.`)
  if (lines.length === 0) {
    lines.push(
      o.newKeyId
        ? `No target holds ${newKey}: every target still holds the key it held before this run.`
        : 'No target was written: every target still holds the key it held before this run.'
    )
  }
  if (o.old) lines.push(`Previous key ${code(o.old.id)}: ${o.old.fate}.`)
  if (o.inFlight && (o.inFlight.fate === 'held' || o.inFlight.fate === 'unknown'))
    lines.push('The previous key stays Active for workflow runs that may still sign with it.')
  return lines.map((l) => `- ${l}`)
}

/** The steps of every failure issue: the error itself says what to do. */
const TO_DO = [
  "1. Read what happened above: it ends with the next step for this failure (the run's log and job summary" +
    ' say the same).',
  '2. Once that is done, run the workflow again (or let the next scheduled run try).',
  '3. Nothing else: every run that fails for this user updates this issue, and the first run that succeeds closes it.'
]

/** The issue of a user that failed, and the comment a repeated failure adds to it. */
export function failureIssue(
  result: UserResult,
  run: RunLink,
  now: Date = new Date()
): { title: string; body: string; comment: string } {
  const user = result.outcome.userName
  const error = result.error ?? 'The rotation failed.'
  const body = [
    marker(user),
    `The rotation of IAM user ${code(user)} failed in ${runText(run, now)}.`,
    '',
    '### What happened',
    '',
    block(error),
    '',
    '### What holds now',
    '',
    ...holdsNow(result),
    '',
    '### What to do',
    '',
    ...TO_DO,
    '',
    '<sub>Opened by rotate-iam-key. Key IDs only: this issue never holds a secret.</sub>'
  ].join('\n')
  const firstLine = error.split('\n')[0] ?? ''
  const comment = [
    `Failed again in ${runText(run, now)}:`,
    block(firstLine),
    "The issue's description now says what holds after this run."
  ].join('\n\n')
  return { title: `Rotation of IAM user ${user} failed`, body, comment }
}

const YOUNGER = 'its key is younger than its max-age-days, and nothing failed'

/** What a user that did not fail ended with, for the comment that closes its issue. */
function successWords(result: UserResult): string {
  const o = result.outcome
  switch (statusOf(result)) {
    case 'rotated':
      return o.newKeyId
        ? `rotated: ${list(o.written)} hold${o.written.length === 1 ? 's' : ''} the new key ${code(o.newKeyId)}`
        : 'rotated'
    case 'not-due':
      return `not due${o.nextDue ? ` until ${isoDay(o.nextDue)}` : ''}: ${YOUNGER}`
    case 'held':
      return [
        'not rotated while running deploys still hold an earlier old key;',
        'nothing failed, and a later run retires it'
      ].join(' ')
  }
  return 'nothing failed'
}

/**
 * For each user, what its issue needs: a failure files one; a user rotated, not due, or waiting for
 * running deploys closes the open one. A dry run (which changes nothing) and a user skipped prove
 * nothing and leave it.
 */
export function issueActions(
  results: UserResult[],
  run: RunLink,
  now: Date = new Date()
): IssueAction[] {
  return results.flatMap((result): IssueAction[] => {
    const user = result.outcome.userName
    const status = statusOf(result)
    if (status === 'failed') return [{ kind: 'file', user, ...failureIssue(result, run, now) }]
    if (status === 'dry-run' || status === 'skipped') return []
    return [
      {
        kind: 'close',
        user,
        comment: [
          `The rotation of IAM user ${code(user)} succeeded in ${runText(run, now)}:`,
          `${successWords(result)}. Closing this issue.`
        ].join(' ')
      }
    ]
  })
}

/** The run's link, from the runner's variables. */
export function runLink(env: NodeJS.ProcessEnv): RunLink {
  const server = env.GITHUB_SERVER_URL || 'https://github.com'
  const { GITHUB_REPOSITORY: repo, GITHUB_RUN_ID: id } = env
  const attempt = Number(env.GITHUB_RUN_ATTEMPT)
  return {
    ...(repo && id && /^\d+$/.test(id) ? { url: `${server}/${repo}/actions/runs/${id}` } : {}),
    ...(env.GITHUB_WORKFLOW ? { workflow: env.GITHUB_WORKFLOW } : {}),
    ...(Number.isSafeInteger(attempt) && attempt > 0 ? { attempt } : {})
  }
}

/** The job summary's line about the failure issues (HTML), or undefined when none changed. */
export function issuesNote(report: {
  opened: { number: number; url: string }[]
  updated: { number: number; url: string }[]
  closed: { number: number; url: string }[]
}): string | undefined {
  const links = (items: { number: number; url: string }[]): string =>
    items.map((i) => `<a href="${escapeHtml(i.url)}">#${i.number}</a>`).join(', ')
  const parts = [
    report.opened.length ? `opened ${links(report.opened)}` : '',
    report.updated.length ? `updated ${links(report.updated)}` : '',
    report.closed.length ? `closed ${links(report.closed)}` : ''
  ].filter(Boolean)
  return parts.length ? `<p><strong>Failure issues</strong>: ${parts.join('; ')}.</p>` : undefined
}
