/** The job summary a person reads at a glance, and the step outputs. Key IDs only, never secrets. */
import * as core from '@actions/core'
import type { Outcome } from './rotation.js'

const seconds = (ms: number | undefined): string =>
  ms === undefined ? '—' : `${(ms / 1000).toFixed(1)} s`

/** Set the action's outputs from an outcome. */
export function setOutputs(outcome: Outcome): void {
  core.setOutput('rotated', String(outcome.rotated))
  core.setOutput('access-key-id', outcome.rotated ? (outcome.newKeyId ?? '') : '')
  core.setOutput('previous-access-key-id', outcome.old?.id ?? '')
}

/** Write the job summary: one table row per user, then what went wrong if anything did. */
export async function writeSummary(outcome: Outcome, error?: string): Promise<void> {
  const old = outcome.old ? `${outcome.old.id} (${outcome.old.fate})` : '—'
  const status = error
    ? outcome.rotated
      ? '⚠️ rotated, clean-up failed'
      : '❌ failed'
    : '✅ rotated'
  core.summary.addHeading('IAM access key rotation', 2).addTable([
    [
      { data: 'IAM user', header: true },
      { data: 'Result', header: true },
      { data: 'Old key', header: true },
      { data: 'New key', header: true },
      { data: 'Targets written', header: true },
      { data: 'Verified after', header: true }
    ],
    [
      outcome.userName,
      status,
      old,
      outcome.newKeyId ?? '—',
      outcome.written.length > 0 ? outcome.written.join('<br>') : '—',
      seconds(outcome.verifiedAfterMs)
    ]
  ])
  if (outcome.leftoverDeleted) {
    core.summary.addRaw(`Deleted the leftover Inactive key ${outcome.leftoverDeleted} first.`, true)
  }
  if (error) core.summary.addHeading('What happened', 3).addCodeBlock(error)
  await core.summary.write()
}
