/** The job summary a person reads at a glance, and the step outputs. Key IDs only, never secrets. */
import * as core from '@actions/core'
import type { UserResult } from '../fleet.js'
import type { Outcome } from '../rotation/index.js'
import { notesFor } from './notes.js'
import { runsUnknownWords } from './github-runs.js'
import type { RunsUnknown } from '../github/inflight-facts.js'
import { isoDay, nextDue, statusOf, tally, type Status } from './tally.js'

/** A row of `core.summary.addTable`. */
type SummaryTableRow = Parameters<typeof core.summary.addTable>[0][number]

const seconds = (ms: number | undefined): string =>
  ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`

/**
 * Set the outputs. `access-key-id` and `previous-access-key-id` name one user's keys; with a
 * manifest they are empty and `results` holds every user's.
 */
export function setOutputs(results: UserResult[]): void {
  const single = results.length === 1 ? results[0]?.outcome : undefined
  core.setOutput('rotated', String(results.every((r) => r.outcome.rotated)))
  core.setOutput('access-key-id', single?.rotated ? (single.newKeyId ?? '') : '')
  core.setOutput('previous-access-key-id', single?.old?.id ?? '')
  const counts = tally(results)
  core.setOutput('rotated-count', String(counts.rotated))
  core.setOutput('not-due-count', String(counts['not-due']))
  core.setOutput('failed-count', String(counts.failed))
  const due = nextDue(results)
  core.setOutput('next-due-date', due ? isoDay(due) : '')
  core.setOutput(
    'results',
    JSON.stringify(
      results.map(({ outcome: o, error }) => ({
        'iam-user-name': o.userName,
        rotated: o.rotated,
        'access-key-id': o.rotated ? (o.newKeyId ?? null) : null,
        'previous-access-key-id': o.old?.id ?? null,
        targets: o.written,
        'next-due-date': o.nextDue ? isoDay(o.nextDue) : null,
        ...(o.inFlight
          ? { 'in-flight-runs': { fate: o.inFlight.fate, runs: o.inFlight.runs.map((r) => r.url) } }
          : {}),
        ...(error ? { error } : {})
      }))
    )
  )
}

const ENTITIES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
  '|': '&#124;'
}

/**
 * Text from outside the action (errors, user and target names, AWS's and GitHub's answers) as
 * HTML text. `@actions/core`'s summary escapes nothing: it wraps table cells, headings and code
 * blocks in tags as given. `|` too, so no cell or line can start a Markdown table.
 */
export const escapeHtml = (text: string): string =>
  text.replace(/[&<>"'|]/g, (c) => ENTITIES[c] ?? c)

/** Escaped, on one line: a blank line would end the HTML block and the rest would be Markdown. */
const inline = (text: string): string => escapeHtml(text).replace(/\r?\n/g, '<br>')

/** What happened to one user, at a glance. */
export function resultOf(result: UserResult): string {
  const o = result.outcome
  const kept = o.inFlight?.fate === 'held' || o.inFlight?.fate === 'unknown'
  switch (statusOf(result)) {
    case 'failed':
      return o.rotated ? '⚠️ rotated, clean-up failed' : '❌ failed'
    case 'dry-run':
      return '🔍 dry run, nothing changed'
    case 'rotated':
      return kept ? '✅ rotated, old key kept for running deploys' : '✅ rotated'
    case 'held':
      return '⏸️ old key still held by running deploys'
    case 'not-due':
      return o.nextDue ? `⏭️ not due (next on ${isoDay(o.nextDue)})` : '⏭️ not due'
    case 'skipped':
      return '⏭️ skipped'
  }
}

/** Each way a user can end, as the run's last error counts the users that did not fail. */
const ENDED: Record<Exclude<Status, 'failed'>, string> = {
  rotated: 'rotated',
  'not-due': 'not due',
  held: 'not rotated while running deploys hold an earlier old key',
  'dry-run': 'dry run, nothing changed',
  skipped: 'skipped'
}

/** Why a run of several users fails: who failed, and what happened to the others (counted). */
export function fleetFailure(results: UserResult[]): string {
  const failed = results.filter((r) => statusOf(r) === 'failed')
  const names = failed.map((r) => r.outcome.userName).join(', ')
  // One cause for all (refused admin credentials, a token that reaches nothing): said once.
  const causes = new Set(failed.map((r) => r.error))
  if (failed.length > 1 && failed.length === results.length && causes.size === 1)
    return `All ${failed.length} users failed with the same error (${names}):\n${failed[0]?.error ?? ''}`
  const counts = tally(results)
  const others = (Object.keys(ENDED) as (keyof typeof ENDED)[])
    .filter((s) => counts[s] > 0)
    .map((s) => `${counts[s]} ${ENDED[s]}`)
  const rest = others.length > 0 ? `; the other users: ${others.join(', ')}` : ''
  const each = `Each user's error is above and in the job summary${rest}.`
  return `${failed.length} of ${results.length} users failed: ${names}. ${each}`
}

/**
 * The users by AWS account, in the order each account first appears; one group when they share
 * one. Users whose account is not known (credentials that never answered) form their own group.
 */
export function byAccount(results: UserResult[]): { account?: string; results: UserResult[] }[] {
  const groups = new Map<string | undefined, UserResult[]>()
  for (const r of results) groups.set(r.account, [...(groups.get(r.account) ?? []), r])
  return [...groups].map(([account, results]) => ({ ...(account ? { account } : {}), results }))
}

/**
 * Write the job summary: one row per user (a table per AWS account when the run reached several),
 * then what went wrong for those that failed.
 */
export async function writeSummary(results: UserResult[]): Promise<void> {
  core.summary.addHeading('IAM access key rotation', 2)
  const groups = byAccount(results)
  for (const group of groups) {
    if (groups.length > 1)
      core.summary.addHeading(
        group.account ? `AWS account ${inline(group.account)}` : 'AWS account not known',
        3
      )
    core.summary.addTable(userTable(group.results))
  }
  for (const result of results) {
    const o = result.outcome
    const notes = notesFor(result)
    if (notes.length > 0) {
      core.summary.addRaw(
        `<p><strong>${inline(o.userName)}</strong>: ${inline(notes.join(' '))}</p>`,
        true
      )
    }
    const runs = runsNote(o)
    if (runs) core.summary.addRaw(runs, true)
  }
  for (const { outcome: o, error } of results) {
    if (error) {
      core.summary
        .addHeading(`What happened to ${inline(o.userName)}`, 3)
        .addCodeBlock(escapeHtml(error))
    }
  }
  await core.summary.write()
}

/** One row per user. */
function userTable(results: UserResult[]): SummaryTableRow[] {
  const header = ['IAM user', 'Result', 'Old key', 'New key', 'Targets written', 'Verified after']
  const rows = results.map((result) => {
    const o = result.outcome
    return [
      inline(o.userName),
      resultOf(result),
      o.old ? inline(`${o.old.id} (${o.old.fate})`) : '—',
      o.newKeyId ? inline(o.newKeyId) : '—',
      o.written.length > 0 ? o.written.map(inline).join('<br>') : '—',
      seconds(o.verifiedAfterMs)
    ]
  })
  return [header.map((data) => ({ data, header: true })), ...rows]
}

/** A workflow run, linked to its page. */
const runLink = (r: { repo: string; id: number; url: string; status: string }): string => {
  const name = inline(`${r.repo} run ${r.id}`)
  const link = /^https?:\/\//.test(r.url) ? `<a href="${escapeHtml(r.url)}">${name}</a>` : name
  return `${link} (${inline(r.status)})`
}

const MAY_FAIL = 'these runs may fail when they next use it'

/** GitHub could not list the runs that may hold the previous key. */
const unknownRuns = (why: RunsUnknown | undefined): string =>
  `GitHub could not say which workflow runs still hold it (${why === undefined ? 'no answer' : runsUnknownWords(why)}).`

/**
 * What the run did about the workflow runs that may have held the old key, with a link to each:
 * HTML, every outside value escaped.
 */
export function runsNote(o: Outcome): string | undefined {
  const f = o.inFlight
  if (!f) return undefined
  const old = o.old?.id ?? 'the previous key'
  const waited = f.waitedMs ? ` after ${Math.ceil(f.waitedMs / 1000)} s` : ''
  const list = f.runs.length
    ? `<ul>${f.runs.map((r) => `<li>${runLink(r)}</li>`).join('')}</ul>`
    : ''
  const head = ((): string => {
    switch (f.fate) {
      case 'waited':
        return [
          `Waited for ${f.runs.length} workflow run(s) that may have signed with ${old}:`,
          `every one had ended${waited}, then the key was retired.`
        ].join(' ')
      case 'held':
        return [
          `The previous key stays Active: ${f.runs.length} workflow run(s) queued before the new key was written`,
          'may still sign with it. A later run (due or not) retires it once they have ended;',
          'nothing else needs doing.'
        ].join(' ')
      case 'unknown':
        return `The previous key stays Active: ${unknownRuns(f.why)} A later run retires it once it can tell.`
      case 'revoked':
        return `Revoked ${old} at once ('in-flight-runs: revoke')${f.runs.length ? `: ${MAY_FAIL}` : ''}.`
      case 'capped':
        return `Retired ${old} past 'drain-cap-days'${f.runs.length ? `, although these runs still ran` : ''}.`
    }
  })()
  return `<p><strong>${inline(o.userName)}</strong>: ${inline(head)}</p>${list}`
}

/** A notice (or warning) per user whose previous key stays Active, or went under running deploys. */
export function announce(results: UserResult[]): void {
  for (const { outcome: o } of results) {
    const f = o.inFlight
    if (!f) continue
    const runs = f.runs.map((r) => `${r.repo} run ${r.id}`).join(', ')
    if (f.fate === 'held') {
      core.notice(
        [
          `${o.userName}: the previous key stays Active for workflow runs that may still sign with it (${runs}).`,
          'A later run retires it once they have ended.'
        ].join(' ')
      )
    } else if (f.fate === 'unknown') {
      core.notice(
        `${o.userName}: the previous key stays Active: ${unknownRuns(f.why)} A later run retires it.`
      )
    }
  }
}
