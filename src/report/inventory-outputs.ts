/**
 * The inventory's step outputs: the whole inventory as JSON (every key, or the worst that fit in
 * GitHub's limit), its files and its counts. Key IDs only: the inventory never sees a secret.
 */
import * as core from '@actions/core'
import { findingCount, type KeyRow } from '../inventory/findings.js'

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
      [
        `The 'inventory' output holds the worst ${kept} of ${rows.length} keys`,
        `(GitHub's limit is 1 MB an output); every key is in ${files.inventory} ('inventory-file')`
      ].join(' ')
    )
  }
  core.setOutput('inventory', json)
  core.setOutput('inventory-file', files.inventory)
  core.setOutput('inventory-key-count', String(rows.length))
  core.setOutput('inventory-finding-count', String(findingCount(rows)))
  core.setOutput('sarif-file', files.sarif)
}
