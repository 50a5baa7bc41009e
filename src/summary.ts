/** The job summary a person reads at a glance, and the step outputs. Key IDs only, never secrets. */
import * as core from '@actions/core'
import type { UserResult } from './fleet.js'
import type { Outcome } from './rotation/index.js'

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
  core.setOutput(
    'results',
    JSON.stringify(
      results.map(({ outcome: o, error }) => ({
        'iam-user-name': o.userName,
        rotated: o.rotated,
        'access-key-id': o.rotated ? (o.newKeyId ?? null) : null,
        'previous-access-key-id': o.old?.id ?? null,
        targets: o.written,
        ...(error ? { error } : {})
      }))
    )
  )
}

/** Write the job summary: one row per user, then what went wrong for those that failed. */
export async function writeSummary(results: UserResult[]): Promise<void> {
  const header = ['IAM user', 'Result', 'Old key', 'New key', 'Targets written', 'Verified after']
  const rows = results.map(({ outcome: o, error }) => [
    o.userName,
    error ? (o.rotated ? '⚠️ rotated, clean-up failed' : '❌ failed') : '✅ rotated',
    o.old ? `${o.old.id} (${o.old.fate})` : '—',
    o.newKeyId ?? '—',
    o.written.length > 0 ? o.written.join('<br>') : '—',
    seconds(o.verifiedAfterMs)
  ])
  core.summary
    .addHeading('IAM access key rotation', 2)
    .addTable([header.map((data) => ({ data, header: true })), ...rows])
  for (const { outcome: o } of results) {
    const notes = notesFor(o)
    if (notes.length > 0) core.summary.addRaw(`**${o.userName}**: ${notes.join(' ')}`, true)
  }
  for (const { outcome: o, error } of results) {
    if (error) core.summary.addHeading(`What happened to ${o.userName}`, 3).addCodeBlock(error)
  }
  await core.summary.write()
}

const DAY_MS = 86_400_000

/** What a person should know about one user's run beyond the table row. */
function notesFor(o: Outcome): string[] {
  const notes: string[] = []
  if (o.reason) notes.push(`${o.rotated ? 'Rotated' : 'Not rotated'}: ${o.reason}.`)
  if (o.plan) notes.push(`Dry run, nothing changed. The run would: ${o.plan.join('; ')}.`)
  if (o.targetsChanged)
    notes.push(
      'The list of targets changed since this workflow published the previous key: check that no target that left the list still needs it.'
    )
  if (o.finished) notes.push(`Finished an earlier run's work: ${o.finished}.`)
  if (o.cleared.length > 0) notes.push(`Deleted first: ${o.cleared.join(', ')}.`)
  if (o.old) {
    const age = Math.floor((Date.now() - o.old.created.getTime()) / DAY_MS)
    const use = o.old.lastUse?.date
      ? `last used ${o.old.lastUse.date.toISOString()}${o.old.lastUse.service ? ` (${o.old.lastUse.service})` : ''}`
      : o.old.lastUse
        ? 'never used'
        : 'last use unknown'
    const next = o.old.deleteAfter
      ? ` A run on or after ${o.old.deleteAfter} deletes it; until then it can be re-activated if a deploy breaks.`
      : ''
    notes.push(`Old key ${o.old.id}: ${age} days old, ${use}, ${o.old.fate}.${next}`)
  }
  if (o.recovery) {
    const affected = o.recovery.affected
      .map(
        (a) =>
          `${a.target} (${a.windowMs === undefined ? 'not rewritten' : `${(a.windowMs / 1000).toFixed(1)} s`})`
      )
      .join(', ')
    notes.push(
      `Recovered ${o.recovery.lostKey}, left by a killed run: deleted ${o.recovery.deleted}; ${affected || 'no target'} had no working key until the new one was written.`
    )
  }
  return notes
}
