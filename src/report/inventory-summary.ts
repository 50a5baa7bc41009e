/**
 * The inventory's job summary: counts, then a table a person reads at a glance, worst first.
 * Key IDs only: the inventory never sees a secret.
 */
import * as core from '@actions/core'
import { findingCount, type KeyRow, type Thresholds } from '../inventory/findings.js'
import { escapeHtml } from './summary.js'

/** Rows the summary shows; the JSON output and the SARIF file hold every one. */
export const SUMMARY_ROWS = 300

const day = (d: Date): string => d.toISOString().slice(0, 10)

/** What a finding says in a cell: the rule and by how much. */
export function findingText(f: KeyRow['findings'][number]): string {
  return f.rule === 'IAM.3'
    ? `IAM.3: ${f.days} days old (limit ${f.limit})`
    : `IAM.22: unused ${f.days} days (limit ${f.limit})`
}

function lastUsedText(r: KeyRow): string {
  const u = r.key.lastUsed
  return u ? `${day(u.date)} ${u.service} ${u.region}` : 'never'
}

function managedText(r: KeyRow): string {
  const m = r.managed
  if (!m) return 'no'
  const targets = m.targets ? ` targets ${m.targets}` : ''
  return `${m.state} ${day(m.at)}${targets}`
}

/** What the inventory counted, for the summary's first paragraph. */
export interface InventoryStats {
  accounts: number
  users: number
  listed: number
  requests: number
  ms: number
}

/** The summary's first paragraph: what was read, what was found, and that nothing changed. */
function counts(rows: KeyRow[], limits: Thresholds, stats: InventoryStats): string {
  const findings = findingCount(rows)
  const flagged = rows.filter((r) => r.findings.length > 0).length
  const accounts = `${stats.accounts} account${stats.accounts === 1 ? '' : 's'}`
  return [
    `<p>${rows.length} keys of ${stats.users} users with keys (${stats.listed} users listed in ${accounts}):`,
    `${findings} findings on ${flagged} keys (IAM.3: Active and older than ${limits.maxKeyAgeDays} days;`,
    `IAM.22: Active and unused for ${limits.unusedDays} days or more). Read-only: nothing was changed.`,
    `${stats.requests} IAM requests in ${(stats.ms / 1000).toFixed(1)} s.</p>`
  ].join(' ')
}

/** The job summary: counts, then one row per key, worst first. */
export async function writeInventorySummary(
  rows: KeyRow[],
  limits: Thresholds,
  stats: InventoryStats
): Promise<void> {
  const header = ['Findings', 'Account', 'IAM user', 'Key', 'Status', 'Age', 'Last used', 'Managed']
  const shown = rows
    .slice(0, SUMMARY_ROWS)
    .map((r) => [
      r.findings.length > 0 ? r.findings.map((f) => escapeHtml(findingText(f))).join('<br>') : '✓',
      escapeHtml(r.account),
      escapeHtml(r.userName),
      `<code>${escapeHtml(r.key.accessKeyId)}</code>`,
      r.key.status,
      `${r.ageDays} d`,
      escapeHtml(lastUsedText(r)),
      escapeHtml(managedText(r))
    ])
  core.summary
    .addHeading('IAM access key inventory', 2)
    .addRaw(counts(rows, limits, stats), true)
    .addTable([header.map((data) => ({ data, header: true })), ...shown])
  if (rows.length > SUMMARY_ROWS) {
    core.summary.addRaw(
      [
        `<p>${rows.length - SUMMARY_ROWS} more keys, none worse than those above,`,
        'are in the <code>inventory</code> output and the SARIF file.</p>'
      ].join(' '),
      true
    )
  }
  await core.summary.write()
}
