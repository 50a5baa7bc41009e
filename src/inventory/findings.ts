/**
 * The inventory's judgement, pure: each key's age, idle time, whether the action manages it (its
 * mark), and its findings against AWS Security Hub's IAM.3 and IAM.22, worst first. Dates in,
 * facts out: src/report/ (inventory-summary.ts, inventory-outputs.ts, inventory-sarif.ts) puts them
 * into words.
 */
import { DAY_MS } from '../rotation/day.js'
import { parseKeyMark, type KeyMarkState } from '../rotation/marks.js'
import type { KeyFact, UserFact } from './read.js'

/**
 * IAM.3: an Active key older than the limit (Security Hub's default 90 days: "rotated within 90
 * days"). IAM.22: an Active key unused for the limit or more (45 days), counted from its creation
 * when it was never used. Inactive keys authenticate nothing, so neither rule applies to them.
 */
export type RuleId = 'IAM.3' | 'IAM.22'

export interface Thresholds {
  maxKeyAgeDays: number
  unusedDays: number
}

export interface Finding {
  rule: RuleId
  /** The key's age (IAM.3) or idle days (IAM.22). */
  days: number
  /** The threshold it was held to. */
  limit: number
}

/** What the action's own mark on the user says of the key. */
export interface Managed {
  state: KeyMarkState
  at: Date
  /** Fingerprint of the targets and secret names the key was published to. */
  targets?: string
  workflow?: string
}

export interface KeyRow {
  account: string
  userName: string
  path: string
  arn: string
  key: KeyFact
  ageDays: number
  /** Days since last use, or since creation for a key never used. */
  idleDays: number
  managed?: Managed
  findings: Finding[]
}

/** How many findings the rows hold in all. */
export const findingCount = (rows: KeyRow[]): number =>
  rows.reduce((n, r) => n + r.findings.length, 0)

const daysBetween = (from: Date, now: Date): number =>
  Math.max(0, Math.floor((now.getTime() - from.getTime()) / DAY_MS))

/** Every key of every user, judged at `now`, worst first. */
export function assess(users: UserFact[], now: Date, limits: Thresholds): KeyRow[] {
  const rows = users.flatMap((u) =>
    u.keys.map((key) => {
      const ageDays = daysBetween(key.createDate, now)
      const idleDays = daysBetween(key.lastUsed?.date ?? key.createDate, now)
      const findings: Finding[] = []
      if (key.status === 'Active') {
        if (ageDays > limits.maxKeyAgeDays)
          findings.push({ rule: 'IAM.3', days: ageDays, limit: limits.maxKeyAgeDays })
        if (idleDays >= limits.unusedDays)
          findings.push({ rule: 'IAM.22', days: idleDays, limit: limits.unusedDays })
      }
      const managed = managedBy(u.tags[key.accessKeyId])
      return {
        account: u.account,
        userName: u.userName,
        path: u.path,
        arn: u.arn,
        key,
        ageDays,
        idleDays,
        ...(managed ? { managed } : {}),
        findings
      }
    })
  )
  return rows.sort(worstFirst)
}

function managedBy(tag: string | undefined): Managed | undefined {
  const mark = tag === undefined ? undefined : parseKeyMark(tag)
  if (!mark) return undefined
  return {
    state: mark.state,
    at: mark.at,
    ...(mark.targets ? { targets: mark.targets } : {}),
    ...(mark.workflow ? { workflow: mark.workflow } : {})
  }
}

/** How far past its limits a key is: the largest overshoot in days, or -1 with no finding. */
const overshoot = (r: KeyRow): number =>
  r.findings.reduce((worst, f) => Math.max(worst, f.days - f.limit), -1)

/**
 * More findings first, then the furthest past a limit, then the oldest; ties in a fixed order
 * (account, user, key), so two runs over the same state list the same rows the same way.
 */
export function worstFirst(a: KeyRow, b: KeyRow): number {
  return (
    b.findings.length - a.findings.length ||
    overshoot(b) - overshoot(a) ||
    b.ageDays - a.ageDays ||
    a.account.localeCompare(b.account) ||
    a.userName.localeCompare(b.userName) ||
    a.key.accessKeyId.localeCompare(b.key.accessKeyId)
  )
}
