/**
 * `mode: inventory`: read every IAM user with access keys in each account, judge the keys, and
 * report (job summary, outputs, SARIF file; their words in src/report/inventory-*.ts). Read-only:
 * no key is created, no tag written, no GitHub request made. Loaded by the entry point only in
 * this mode, so the report files it imports load with it.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import * as core from '@actions/core'
import { AwsFailed } from '../aws/failed.js'
import { Sessions } from '../sessions.js'
import { fail } from '../fail.js'
import { errorWords } from '../report/error.js'
import type { InventoryInputs } from '../inputs/inputs.js'
import {
  accountRefused,
  INVENTORY_ONLY,
  inventoryDone,
  progress,
  refusedAccounts
} from '../report/inventory-lines.js'
import { inventoryJson, setInventoryOutputs } from '../report/inventory-outputs.js'
import { sarifLog, workflowPath } from '../report/inventory-sarif.js'
import { writeInventorySummary } from '../report/inventory-summary.js'
import { assess, findingCount, type Thresholds } from './findings.js'
import { readAccounts, type AccountSource } from './read.js'

/** IAM calls in flight at once: IAM throttles bursts per account, and these are many small reads. */
export const INVENTORY_CONCURRENCY = 4
/** Reads are safe to repeat: more attempts than a rotation's calls get, to outlast throttling. */
const READ_ATTEMPTS = 8
/** A progress line every this many users. */
const PROGRESS_EVERY = 250

export async function runInventory(
  inputs: InventoryInputs,
  env: NodeJS.ProcessEnv = process.env,
  oidcToken?: Promise<string>
): Promise<void> {
  // One session per account: its role (the first uses the token requested at start-up), or the
  // environment's credentials when no role is named.
  const sessions = new Sessions(oidcToken, core.getIDToken, READ_ATTEMPTS)
  const roles = inputs.roles.length > 0 ? inputs.roles : [undefined]
  try {
    // Each account's admin identity, side by side; one that cannot be had fails its account alone
    // (its error, a string, stands in its place).
    const opened = await Promise.all(
      roles.map(async (role): Promise<AccountSource | string> => {
        const { iam, ready, account } = sessions.for({
          ...(role ? { role } : {}),
          region: inputs.region
        })
        try {
          await ready
          return { iam, account: (await account) ?? 'unknown' }
        } catch (e) {
          return accountRefused(role?.arn, errorWords(e))
        }
      })
    )
    const accounts = opened.filter((o) => typeof o !== 'string')
    const refused = opened.filter((o) => typeof o === 'string')
    if (accounts.length > 0) core.info(INVENTORY_ONLY)
    for (const error of refused) core.error(error)
    if (accounts.length > 0) {
      const report = await inventory(accounts, inputs.limits, inputs.sarifFile, env)
      core.info(inventoryDone(accounts.length, report, inputs.sarifFile))
    }
    if (refused.length > 0) throw new Error(refusedAccounts(refused, roles.length, accounts.length))
  } catch (error) {
    fail(errorWords(error))
  } finally {
    sessions.close()
  }
}

/** Read, judge and report `accounts`; what it found, in numbers. */
export async function inventory(
  accounts: AccountSource[],
  limits: Thresholds,
  sarifFile: string,
  env: NodeJS.ProcessEnv,
  now: () => Date = () => new Date()
): Promise<{ keys: number; findings: number; requests: number; ms: number }> {
  const started = Date.now()
  const { users, listed, requests } = await readAccounts(accounts, {
    concurrency: INVENTORY_CONCURRENCY,
    every: PROGRESS_EVERY,
    onProgress: (p) => core.info(progress(p))
  }).catch((e: unknown) => {
    throw new AwsFailed('inventory-read', e)
  })
  const rows = assess(users, now(), limits)
  const ms = Date.now() - started
  mkdirSync(dirname(sarifFile), { recursive: true })
  writeFileSync(
    sarifFile,
    JSON.stringify(sarifLog(rows, limits, workflowPath(env.GITHUB_WORKFLOW_REF)), null, 2)
  )
  // Every key as JSON beside the SARIF file: the output may hold only the worst (1 MB).
  const inventoryFile = sarifFile.replace(/(\.sarif|\.json)?$/, '.inventory.json')
  writeFileSync(inventoryFile, JSON.stringify(inventoryJson(rows), null, 2))
  setInventoryOutputs(rows, { sarif: sarifFile, inventory: inventoryFile })
  await writeInventorySummary(rows, limits, {
    accounts: accounts.length,
    users: users.length,
    listed,
    requests,
    ms
  })
  return { keys: rows.length, findings: findingCount(rows), requests, ms }
}
