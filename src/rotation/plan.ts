/**
 * The decision: given the user's keys, the marks in its tags and who this run is, what the run
 * does. Pure, so every case is a table row in its test; the effects come after (machine.ts).
 */
import type { AccessKey } from '../aws/keys.js'
import {
  ACCESS_KEY_ID,
  INTENT_TAG,
  isActionTag,
  MAX_USER_TAGS,
  parseIntent,
  parseKeyMark,
  TAGS_NEEDED,
  type Identity,
  type Intent
} from '../aws/marks.js'
import type { KeyState } from './types.js'

const DAY_MS = 86_400_000

export interface Policy {
  now: number
  /** Rotate only when the current key is at least this old; 0: every run. */
  maxAgeDays: number
  force: boolean
  /** Keep a deactivated key this many days before deleting it; 0: delete at once. */
  gracePeriodDays: number
  deleteOldKey: boolean
}

/** Who plans: this run, and the fingerprint of its targets. */
export interface Me extends Identity {
  targets: string
  /** GitHub says the run holding a live lease has ended: its lease need not be waited out. */
  leaseHolderEnded?: boolean
}

/** Work every plan that goes ahead does first: finish and clear what earlier runs left. */
export interface Housekeeping {
  /** An Active key a finished publication replaced (`over`), whose run ended before retiring it. */
  unretired?: { key: KeyState; over: KeyState }
  /** Inactive keys whose grace period is over: deleted now. */
  expired: KeyState[]
  /** Tags of keys that no longer exist. */
  staleMarks: string[]
  /** An intent an earlier run left (ended, expired, or an earlier attempt of this run). */
  leftIntent?: Intent
  /** This workflow published the current key to another list of targets. */
  targetsChanged: boolean
  /** Why the run rotates or not, in words. */
  reason: string
  /** Every key IAM listed: a key created after the plan is not among them. */
  seen: string[]
}

export type Plan =
  /** Another run holds a live lease on the user: change nothing. */
  | { kind: 'busy'; intent: Intent }
  /** A person must act first; nothing changes. */
  | { kind: 'refused'; refusal: Refusal }
  | ({ kind: 'idle'; current: KeyState } & Housekeeping)
  | ({
      kind: 'rotate'
      /** The Active key deploys use now. */
      current?: KeyState
      /** A key an ended run created and did not publish: its secret is lost; some targets may hold it. */
      lost?: { key: KeyState; intent: Intent }
      /** Inactive keys kept so far, deleted to make room. */
      kept: KeyState[]
    } & Housekeeping)

export type Refusal =
  | { why: 'two-active'; keys: [AccessKey, AccessKey] }
  | { why: 'owner'; key: string; theirs: string; ours: string }
  | { why: 'tags'; own: number }

/** Decide what this run does for a user with these keys (oldest first) and tags. */
export function plan(
  listed: AccessKey[],
  tags: Record<string, string>,
  me: Me,
  policy: Policy
): Plan {
  const own = Object.entries(tags).filter(([k, v]) => !isActionTag(k, v)).length
  if (MAX_USER_TAGS - own < TAGS_NEEDED) return { kind: 'refused', refusal: { why: 'tags', own } }

  const keys: KeyState[] = listed.map((k) => {
    const mark = tags[k.id] === undefined ? undefined : parseKeyMark(tags[k.id] as string)
    return mark ? { ...k, mark } : { ...k }
  })
  const staleMarks = Object.keys(tags).filter(
    (tag) =>
      ACCESS_KEY_ID.test(tag) &&
      parseKeyMark(tags[tag] as string) !== undefined &&
      !keys.some((k) => k.id === tag)
  )
  const intent = tags[INTENT_TAG] === undefined ? undefined : parseIntent(tags[INTENT_TAG])
  if (intent && holdsLease(intent, me, policy.now)) return { kind: 'busy', intent }

  // The key an intent announced is the one not among the keys it saw: no clock matching.
  const announced = intent ? keys.filter((k) => !intent.before.includes(k.id) && !k.mark) : []
  if (announced.length === 2) {
    return { kind: 'refused', refusal: { why: 'two-active', keys: [announced[0]!, announced[1]!] } }
  }
  const lostKey = announced.find((k) => k.status === 'Active')
  if (lostKey && intent?.workflow && me.workflow && !sameWorkflow(intent.workflow, me.workflow)) {
    return {
      kind: 'refused',
      refusal: { why: 'owner', key: lostKey.id, theirs: intent.workflow, ours: me.workflow }
    }
  }
  const lost = lostKey && intent ? { key: lostKey, intent } : undefined

  let current: KeyState | undefined
  let unretired: Housekeeping['unretired']
  const [a, b] = keys.filter((k) => k.status === 'Active' && k !== lostKey)
  if (a && b) {
    // Two Active keys and no lost one: a mark must say which one the last run published.
    const published = [a, b]
      .filter((k) => k.mark?.state === 'published')
      .sort((x, y) => (y.mark?.at.getTime() ?? 0) - (x.mark?.at.getTime() ?? 0))[0]
    if (!published) return { kind: 'refused', refusal: { why: 'two-active', keys: [a, b] } }
    current = published
    unretired = { key: published === a ? b : a, over: published }
  } else current = a

  const owner = current?.mark?.workflow
  if (current && owner && me.workflow && !sameWorkflow(owner, me.workflow)) {
    return {
      kind: 'refused',
      refusal: { why: 'owner', key: current.id, theirs: owner, ours: me.workflow }
    }
  }
  const targetsChanged = Boolean(current?.mark?.targets && current.mark.targets !== me.targets)

  const graceMs = policy.gracePeriodDays * DAY_MS
  const expired: KeyState[] = []
  const kept: KeyState[] = []
  for (const k of keys.filter((k) => k.status === 'Inactive')) {
    const since = k.mark?.state === 'deactivated' ? k.mark.at.getTime() : undefined
    if (policy.deleteOldKey && since !== undefined && policy.now - since >= graceMs) expired.push(k)
    else kept.push(k)
  }

  const base = {
    seen: keys.map((k) => k.id),
    unretired,
    expired,
    staleMarks,
    targetsChanged,
    ...(intent ? { leftIntent: intent } : {})
  }
  const rotate = (reason: string): Plan => ({
    kind: 'rotate',
    ...base,
    current,
    lost,
    kept,
    reason
  })
  if (lost) {
    return rotate(
      `key ${lost.key.id} was created by a run that ended before publishing it, and its secret is lost`
    )
  }
  if (!current) return rotate('the user has no Active key')
  if (intent?.rewrite) {
    return rotate(
      'an earlier run recovered a lost key and ended before every target held a working key again'
    )
  }
  if (policy.force) return rotate("'force' is set")
  if (policy.maxAgeDays === 0) return rotate('every run rotates (max-age-days is 0)')
  const age = Math.floor((policy.now - current.created.getTime()) / DAY_MS)
  if (age >= policy.maxAgeDays) {
    return rotate(`key ${current.id} is ${age} days old (max-age-days is ${policy.maxAgeDays})`)
  }
  const due = new Date(current.created.getTime() + policy.maxAgeDays * DAY_MS)
  return {
    kind: 'idle',
    ...base,
    current,
    reason: `key ${current.id} is ${age} days old; it is due on ${due.toISOString().slice(0, 10)} (max-age-days is ${policy.maxAgeDays})`
  }
}

/**
 * Whether another run still owns the user: its lease has not expired, it is not an earlier attempt
 * of this very workflow run (a re-run takes over at once), and GitHub has not said it ended.
 */
export function holdsLease(intent: Intent, me: Me, now: number): boolean {
  if (intent.lease.getTime() <= now) return false
  if (me.run && intent.run?.id === me.run.id && intent.run.attempt < me.run.attempt) return false
  return !me.leaseHolderEnded
}

/** Workflows compare case-insensitively: GitHub's owner and repository names are. */
export const sameWorkflow = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()
