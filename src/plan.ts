/**
 * The key-state policy: given the user's keys and the marks the action left on them, what this run
 * finishes, clears, and whether it rotates. Pure, so every case is a table row in its test.
 */
import type { AccessKey } from './aws/keys.js'
import { describe } from './github/targets.js'
import type { Request } from './rotation.js'
import { ACCESS_KEY_ID, INTENT_TAG, INTENT_WINDOW_MS, parseMark, type Mark } from './aws/marks.js'

const DAY_MS = 86_400_000

/** A key with the mark the action left on it, if any. */
export interface KeyState extends AccessKey {
  mark?: Mark
}

export interface Policy {
  now: number
  /** Rotate only when the current key is at least this old; 0: every run. */
  maxAgeDays: number
  force: boolean
  /** Keep a deactivated key this many days before deleting it; 0: delete at once. */
  gracePeriodDays: number
  deleteOldKey: boolean
  /** A key marked `created` more recently than this belongs to a run still in flight. */
  inFlightMs: number
}

export interface Plan {
  /** The Active key deploys use now. */
  current?: KeyState
  /** An Active key a finished publication replaced, whose run died before retiring it. */
  unretired?: KeyState
  /** A key a killed run created: its secret is lost, and some targets may hold it. */
  lost?: KeyState
  /** Inactive keys whose grace period is over: deleted now. */
  expired: KeyState[]
  /** Inactive keys kept for now: in their grace period, or left by `delete-old-key: false`. */
  kept: KeyState[]
  /** Tags of keys that no longer exist. */
  staleMarks: string[]
  rotate: boolean
  /** Why the run rotates or not, in words. */
  reason: string
}

/** Thrown when the user holds two Active keys and no mark says which one deploys use. */
export class TwoActiveKeysError extends Error {
  override name = 'TwoActiveKeysError'
  constructor(readonly keys: [AccessKey, AccessKey]) {
    super(`two Active access keys: ${keys[0].id} and ${keys[1].id}`)
  }
}

/** Thrown when another run is rotating the user right now. */
export class BusyError extends Error {
  override name = 'BusyError'
  constructor(readonly key: KeyState) {
    super(
      `key ${key.id} was created ${key.mark?.run ? `by run ${key.mark.run} ` : ''}at ${key.mark?.at.toISOString()} and is not published yet`
    )
  }
}

/**
 * Join the keys with the marks in the user's tags. A key without a mark of its own, created right
 * after the action announced it would create one, is that key: its run died before marking it.
 */
export function withMarks(
  keys: AccessKey[],
  tags: Record<string, string>
): { keys: KeyState[]; staleMarks: string[] } {
  const markOf = (tag: string): Mark | undefined => {
    const value = tags[tag]
    return value === undefined ? undefined : parseMark(value)
  }
  const intent = markOf(INTENT_TAG)
  const marked = keys.map((k): KeyState => {
    const own = markOf(k.id)
    if (own) return { ...k, mark: own }
    const since = k.created.getTime() - (intent?.at.getTime() ?? Infinity)
    // IAM's CreateDate has whole seconds: allow the second the intent was written in.
    if (intent?.state === 'created' && since >= -1000 && since <= INTENT_WINDOW_MS) {
      return { ...k, mark: intent }
    }
    return { ...k }
  })
  const staleMarks = Object.keys(tags).filter(
    (tag) =>
      ACCESS_KEY_ID.test(tag) &&
      parseMark(tags[tag] as string) !== undefined &&
      !keys.some((k) => k.id === tag)
  )
  return { keys: marked, staleMarks }
}

/** Decide what this run does for a user with these keys (oldest first). */
export function planKeys(keys: KeyState[], policy: Policy, staleMarks: string[] = []): Plan {
  if (keys.length > 2) throw new Error(`IAM listed ${keys.length} keys; it allows at most two`)
  const active = keys.filter((k) => k.status === 'Active')
  const created = active.filter((k) => k.mark?.state === 'created')
  const busy = created.find((k) => policy.now - (k.mark?.at.getTime() ?? 0) < policy.inFlightMs)
  if (busy) throw new BusyError(busy)

  let current: KeyState | undefined
  let unretired: KeyState | undefined
  const lost: KeyState | undefined = created[0]
  const [a, b] = active.filter((k) => k !== lost)
  if (a && b) {
    // Two Active keys and no lost one: a mark must say which one the last run published.
    const published = [a, b]
      .filter((k) => k.mark?.state === 'published')
      .sort((x, y) => (y.mark?.at.getTime() ?? 0) - (x.mark?.at.getTime() ?? 0))[0]
    if (!published) throw new TwoActiveKeysError([a, b])
    current = published
    unretired = published === a ? b : a
  } else if (created.length === 2) {
    throw new TwoActiveKeysError([created[0] as KeyState, created[1] as KeyState])
  } else {
    current = a
  }

  const graceMs = policy.gracePeriodDays * DAY_MS
  const expired: KeyState[] = []
  const kept: KeyState[] = []
  for (const k of keys.filter((k) => k.status === 'Inactive')) {
    const since = k.mark?.state === 'deactivated' ? k.mark.at.getTime() : undefined
    if (policy.deleteOldKey && since !== undefined && policy.now - since >= graceMs) expired.push(k)
    else kept.push(k)
  }

  const base = { current, unretired, lost, expired, kept, staleMarks }
  if (lost) {
    return {
      ...base,
      rotate: true,
      reason: `key ${lost.id} was created by a run that did not finish, and its secret is lost`
    }
  }
  if (!current) return { ...base, rotate: true, reason: 'the user has no Active key' }
  if (policy.force) return { ...base, rotate: true, reason: "'force' is set" }
  if (policy.maxAgeDays === 0)
    return { ...base, rotate: true, reason: 'every run rotates (max-age-days is 0)' }
  const age = Math.floor((policy.now - current.created.getTime()) / DAY_MS)
  if (age >= policy.maxAgeDays) {
    return {
      ...base,
      rotate: true,
      reason: `key ${current.id} is ${age} days old (max-age-days is ${policy.maxAgeDays})`
    }
  }
  const due = new Date(current.created.getTime() + policy.maxAgeDays * DAY_MS)
  return {
    ...base,
    lost: undefined,
    rotate: false,
    reason: `key ${current.id} is ${age} days old; it is due on ${due.toISOString().slice(0, 10)} (max-age-days is ${policy.maxAgeDays})`
  }
}

/** What a dry run would do, in order. */
export function describePlan(plan: Plan, req: Request): string[] {
  const lines: string[] = []
  if (plan.unretired) lines.push(`retire ${plan.unretired.id}, which an earlier run replaced`)
  for (const k of plan.expired) lines.push(`delete ${k.id}: past its grace period`)
  if (!plan.rotate) return [...lines, `not rotate: ${plan.reason}`]
  for (const k of plan.kept) lines.push(`delete Inactive ${k.id} to make room`)
  if (plan.lost) lines.push(`recover ${plan.lost.id}, whose secret a killed run lost`)
  lines.push(`create a new key and verify it with STS (${plan.reason})`)
  for (const t of req.targets)
    lines.push(
      `write ${req.secretNames.accessKeyId} and ${req.secretNames.secretAccessKey} to ${describe(t)}`
    )
  const old = plan.current ?? plan.lost
  if (old) {
    lines.push(
      req.deleteOldKey && req.gracePeriodDays === 0
        ? `deactivate ${old.id}, then delete it`
        : `deactivate ${old.id}${req.deleteOldKey ? `; delete it after ${req.gracePeriodDays} days` : ''}`
    )
  }
  return lines
}
