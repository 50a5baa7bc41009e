/** The job summary a person reads at a glance, and the step outputs. Key IDs only, never secrets. */
import * as core from '@actions/core'
import type { UserResult } from './fleet.js'

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
    if (o.leftoverDeleted) {
      core.summary.addRaw(
        `${o.userName}: deleted the leftover Inactive key ${o.leftoverDeleted} first.`,
        true
      )
    }
  }
  for (const { outcome: o, error } of results) {
    if (error) core.summary.addHeading(`What happened to ${o.userName}`, 3).addCodeBlock(error)
  }
  await core.summary.write()
}
