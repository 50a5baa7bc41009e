/**
 * The inventory in words, at the edge: the job summary (a table a person reads at a glance, worst
 * first) and the step outputs (the whole inventory as JSON, and counts). Key IDs only: the
 * inventory never sees a secret.
 */
import * as core from '@actions/core'
import { escapeHtml } from '../report/summary.js'
import type { KeyRow, Thresholds } from './findings.js'

/** Rows the summary shows; the JSON output and the SARIF file hold every one. */
export const SUMMARY_ROWS = 300

const day = (d: Date): string => d.toISOString().slice(0, 10)

/** One key as the `inventory` output lists it. */
export function inventoryJson(rows: KeyRow[]): object[] {
  return rows.map((r) => ({
    account: r.account,
    'iam-user-name': r.userName,
    path: r.path,
    'access-key-id': r.key.accessKeyId,
    status: r.key.status,
    'create-date': r.key.createDate.toISOString(),
    'age-days': r.ageDays,
    'last-used': r.key.lastUsed
      ? {
          date: r.key.lastUsed.date.toISOString(),
          service: r.key.lastUsed.service,
          region: r.key.lastUsed.region
        }
      : null,
    'idle-days': r.idleDays,
    managed: r.managed
      ? {
          state: r.managed.state,
          at: r.managed.at.toISOString(),
          targets: r.managed.targets ?? null,
          workflow: r.managed.workflow ?? null
        }
      : null,
    findings: r.findings.map((f) => ({ rule: f.rule, days: f.days, limit: f.limit }))
  }))
}

/** GitHub's limit for one output's value. */
export const MAX_OUTPUT_BYTES = 1_000_000

/**
 * The JSON that fits one output: every key, or, past GitHub's 1 MB, the worst keys that fit (rows
 * come worst first); `kept` says how many. The file holds every key whatever the size.
 */
export function boundedJson(
  items: object[],
  max = MAX_OUTPUT_BYTES
): { json: string; kept: number } {
  const whole = JSON.stringify(items)
  if (Buffer.byteLength(whole) <= max) return { json: whole, kept: items.length }
  let bytes = 2 // the brackets
  let kept = 0
  for (const item of items) {
    const size = Buffer.byteLength(JSON.stringify(item)) + (kept > 0 ? 1 : 0)
    if (bytes + size > max) break
    bytes += size
    kept++
  }
  return { json: JSON.stringify(items.slice(0, kept)), kept }
}

export function setInventoryOutputs(
  rows: KeyRow[],
  files: { sarif: string; inventory: string }
): void {
  const { json, kept } = boundedJson(inventoryJson(rows))
  if (kept < rows.length) {
    core.warning(
      `The 'inventory' output holds the worst ${kept} of ${rows.length} keys (GitHub's limit is 1 MB an output); every key is in ${files.inventory} ('inventory-file')`
    )
  }
  core.setOutput('inventory', json)
  core.setOutput('inventory-file', files.inventory)
  core.setOutput('inventory-key-count', String(rows.length))
  core.setOutput('inventory-finding-count', String(findingCount(rows)))
  core.setOutput('sarif-file', files.sarif)
}

export const findingCount = (rows: KeyRow[]): number =>
  rows.reduce((n, r) => n + r.findings.length, 0)

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

/** The job summary: counts, then one row per key, worst first. */
export async function writeInventorySummary(
  rows: KeyRow[],
  limits: Thresholds,
  stats: { accounts: number; users: number; listed: number; requests: number; ms: number }
): Promise<void> {
  const findings = findingCount(rows)
  const flagged = rows.filter((r) => r.findings.length > 0).length
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
    .addRaw(
      `<p>${rows.length} keys of ${stats.users} users with keys (${stats.listed} users listed in ${stats.accounts} account${stats.accounts === 1 ? '' : 's'}): ${findings} findings on ${flagged} keys (IAM.3: Active and older than ${limits.maxKeyAgeDays} days; IAM.22: Active and unused for ${limits.unusedDays} days or more). Read-only: nothing was changed. ${stats.requests} IAM requests in ${(stats.ms / 1000).toFixed(1)} s.</p>`,
      true
    )
    .addTable([header.map((data) => ({ data, header: true })), ...shown])
  if (rows.length > SUMMARY_ROWS) {
    core.summary.addRaw(
      `<p>${rows.length - SUMMARY_ROWS} more keys, none worse than those above, are in the <code>inventory</code> output and the SARIF file.</p>`,
      true
    )
  }
  await core.summary.write()
}
