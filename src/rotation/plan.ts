/**
 * The decision: given the user's keys, the marks in its tags and who this run is, what the run
 * does. Pure, so every case is a table row in its test; the effects come after (machine.ts).
 */
import type { AccessKey } from '../aws/key-data.js'
import {
  ACCESS_KEY_ID,
  INTENT_TAG,
  isActionTag,
  MAX_USER_TAGS,
  parseIntent,
  parseKeyMark,
  TAGS_NEEDED,
  type Holding,
  type Identity,
  type Intent,
  type KeyMark
} from './marks.js'
import { atOrAfter, secondOf } from './seconds.js'
import { DAY_MS } from './day.js'

/** A key with the mark the action left on it, if any: what the plan decides from. */
export interface KeyState extends AccessKey {
  mark?: KeyMark
}

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
  /**
   * GitHub says the run whose lease expired (without releasing it) is still in progress: it may
   * still be writing, so its key is not lost yet.
   */
  leaseHolderRunning?: boolean
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
  /** Why the run rotates or not, as facts: src/report/reason.ts words them. */
  reason: Reason
  /** Every key IAM listed: a key created after the plan is not among them. */
  seen: string[]
  /**
   * An Active key the action's records do not account for (a person's own, or one created for a
   * consumer outside GitHub): reported, and never retired.
   */
  stranger?: KeyState
  /** An old key a person re-activated after the action deactivated it: kept until its grace ends. */
  reactivated?: { key: KeyState; until: Date }
  /** The current key was published by another workflow of the same repository. */
  otherWorkflow?: string
  /** The day the current key is due by max-age-days; none with 0 (every run rotates). */
  due?: Date
  /** The current key's age in whole days: what `reason` says, as a number. */
  ageDays?: number
}

/**
 * A key an earlier run created and did not get into every target. Its secret is gone with that
 * run. Who holds it is known from that run's record (`holders`), or, for a run that was killed
 * before it could write one, from GitHub's record of each secret written at or after `since`.
 */
export interface Unfinished {
  key: KeyState
  /** When that run announced itself: it wrote nothing before. */
  since: Date
  /** What each target holds, as that run recorded it (the request's target order). */
  holders?: Holding[]
  /** The target list the record is about: a record of another list counts for nothing. */
  targets?: string
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
      /** A key an ended run created and did not publish everywhere: its secret is lost; some targets may hold it. */
      lost?: Unfinished
      /** Inactive keys kept so far, deleted to make room. */
      kept: KeyState[]
    } & Housekeeping)

/**
 * Why the run rotates (a `lost` key: it `reached` some targets, or none; no Active key; a recovery
 * to finish; 'force'; max-age-days 0; the current key's `age`) or not (`not-due` until `due`).
 */
export type Reason =
  | { why: 'lost'; key: string; reached: boolean }
  | { why: 'no-key' }
  | { why: 'rewrite' }
  | { why: 'force' }
  | { why: 'every-run' }
  | { why: 'age'; key: string; days: number; maxAgeDays: number }
  | { why: 'not-due'; key: string; days: number; due: Date; maxAgeDays: number }

export type Refusal =
  | { why: 'two-active'; keys: [AccessKey, AccessKey] }
  /** Due, but a second Active key the action cannot account for, or that a person re-activated, fills IAM's quota. */
  | { why: 'stranger'; current: KeyState; stranger: KeyState; reactivated?: Date }
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

  // The key an intent announced is the one it names, or, when the run never learned it, one not
  // among the keys it saw and created inside its lease: a key created later is someone else's.
  const announced = intent ? keys.filter((k) => !k.mark && announcedBy(intent, k)) : []
  if (announced.length === 2) {
    return { kind: 'refused', refusal: { why: 'two-active', keys: [announced[0]!, announced[1]!] } }
  }
  const lostKey = announced.find((k) => k.status === 'Active')
  if (lostKey && intent?.workflow && me.workflow && !sameOwner(intent.workflow, me.workflow)) {
    return {
      kind: 'refused',
      refusal: { why: 'owner', key: lostKey.id, theirs: intent.workflow, ours: me.workflow }
    }
  }
  let lost: Unfinished | undefined =
    lostKey && intent ? { key: lostKey, since: intent.at } : undefined

  let current: KeyState | undefined
  let unretired: Housekeeping['unretired']
  let stranger: KeyState | undefined
  let reactivated: Housekeeping['reactivated']
  const [a, b] = keys.filter((k) => k.status === 'Active' && k !== lostKey)
  if (a && b) {
    // Two Active keys and no lost one: a mark must say which one the last run published.
    const published = [a, b]
      .filter((k) => k.mark?.state === 'published')
      .sort((x, y) => (y.mark?.at.getTime() ?? 0) - (x.mark?.at.getTime() ?? 0))[0]
    if (!published) return { kind: 'refused', refusal: { why: 'two-active', keys: [a, b] } }
    const other = published === a ? b : a
    const graceEnds = (k: KeyState): number =>
      (k.mark?.at.getTime() ?? 0) + policy.gracePeriodDays * DAY_MS
    if (other.mark?.state === 'deactivated' && policy.now < graceEnds(other)) {
      // The action deactivated it and a person turned it back on: their decision stands.
      current = published
      reactivated = { key: other, until: new Date(graceEnds(other)) }
    } else if (published.mark?.over !== other.id && other.mark?.state !== 'deactivated') {
      // Only the action's own record makes a key "replaced"; any other key is left alone.
      current = published
      stranger = other
    } else if (published.mark?.holders?.some((h) => h !== 'new')) {
      // Published to some targets only: finished by a new key; the other key is still held.
      current = other
      lost = {
        key: published,
        since: published.mark.at,
        holders: published.mark.holders,
        ...(published.mark.targets ? { targets: published.mark.targets } : {})
      }
    } else {
      current = published
      unretired = { key: other, over: published }
    }
  } else current = a

  const owner = current?.mark?.workflow
  if (current && owner && me.workflow && !sameOwner(owner, me.workflow)) {
    return {
      kind: 'refused',
      refusal: { why: 'owner', key: current.id, theirs: owner, ours: me.workflow }
    }
  }
  const otherWorkflow =
    owner && me.workflow && !sameWorkflow(owner, me.workflow) ? owner : undefined
  const targetsChanged = Boolean(current?.mark?.targets && current.mark.targets !== me.targets)

  const graceMs = policy.gracePeriodDays * DAY_MS
  const expired: KeyState[] = []
  const kept: KeyState[] = []
  for (const k of keys.filter((k) => k.status === 'Inactive')) {
    const since = k.mark?.state === 'deactivated' ? k.mark.at.getTime() : undefined
    if (policy.deleteOldKey && since !== undefined && policy.now - since >= graceMs) expired.push(k)
    else kept.push(k)
  }

  const due = current ? dueDate(current.created, policy.maxAgeDays) : undefined
  const ageDays = current
    ? Math.floor((policy.now - current.created.getTime()) / DAY_MS)
    : undefined
  const base = {
    seen: keys.map((k) => k.id),
    unretired,
    expired,
    staleMarks,
    targetsChanged,
    ...(intent ? { leftIntent: intent } : {}),
    ...(stranger ? { stranger } : {}),
    ...(reactivated ? { reactivated } : {}),
    ...(otherWorkflow ? { otherWorkflow } : {}),
    ...(due ? { due } : {}),
    ...(ageDays !== undefined ? { ageDays } : {})
  }
  const rotate = (reason: Reason): Plan => ({
    kind: 'rotate',
    ...base,
    current,
    lost,
    kept,
    reason
  })
  if (lost) {
    return rotate({ why: 'lost', key: lost.key.id, reached: lost.holders !== undefined })
  }
  if (!current) return rotate({ why: 'no-key' })
  if (intent?.rewrite) return rotate({ why: 'rewrite' })
  // Due, but IAM's two keys are both held: one by the deploys, one by a person's decision.
  const blocked = (reason: Reason): Plan =>
    stranger || reactivated
      ? {
          kind: 'refused',
          refusal: {
            why: 'stranger',
            current,
            stranger: (stranger ?? reactivated?.key) as KeyState,
            ...(reactivated ? { reactivated: reactivated.until } : {})
          }
        }
      : rotate(reason)
  if (policy.force) return blocked({ why: 'force' })
  if (!due) return blocked({ why: 'every-run' })
  const age = ageDays ?? 0 // defined: there is a current key by now
  if (age >= policy.maxAgeDays) {
    return blocked({ why: 'age', key: current.id, days: age, maxAgeDays: policy.maxAgeDays })
  }
  return {
    kind: 'idle',
    ...base,
    current,
    reason: { why: 'not-due', key: current.id, days: age, due, maxAgeDays: policy.maxAgeDays }
  }
}

/** The day a key created at `created` is due by `maxAgeDays`; none with 0: every run rotates. */
export function dueDate(created: Date, maxAgeDays: number): Date | undefined {
  return maxAgeDays > 0 ? new Date(created.getTime() + maxAgeDays * DAY_MS) : undefined
}

/**
 * Whether another run still owns the user: its lease has not expired, it is not an earlier attempt
 * of this very workflow run (a re-run takes over at once), and GitHub has not said it ended.
 */
export function holdsLease(intent: Intent, me: Me, now: number): boolean {
  if (intent.released || isEarlierAttempt(intent, me)) return false
  if (intent.lease.getTime() <= now) return me.leaseHolderRunning === true
  return !me.leaseHolderEnded
}

/** The intent is an earlier attempt of this very workflow run: a re-run takes over at once. */
export const isEarlierAttempt = (intent: Intent, me: Me): boolean =>
  Boolean(me.run && intent.run?.id === me.run.id && intent.run.attempt < me.run.attempt)

/**
 * An intent whose lease ran out without its run giving the user up, of another run: that run may
 * have been killed, or may still be writing past its lease. Worth asking GitHub before taking over.
 */
export const expiredUnreleased = (intent: Intent | undefined, me: Me, now: number): boolean =>
  intent !== undefined &&
  !intent.released &&
  !isEarlierAttempt(intent, me) &&
  intent.lease.getTime() <= now

/** Workflows compare case-insensitively: GitHub's owner and repository names are. */
export const sameWorkflow = (a: string, b: string): boolean => a.toLowerCase() === b.toLowerCase()

/**
 * `owner/repo` of a workflow as marks name it, when the mark kept it whole (a long path keeps a
 * prefix and a hash: then only the whole name compares).
 */
const repositoryOf = (workflow: string): string | undefined => {
  const parts = workflow.toLowerCase().split('/')
  return parts.length >= 3 && !workflow.includes('+') ? `${parts[0]}/${parts[1]}` : undefined
}

/**
 * One repository owns a user: its schedule and its "rotate now" workflow both may rotate it
 * (the summary says which one published last); another repository's workflow may not.
 */
export function sameOwner(a: string, b: string): boolean {
  if (sameWorkflow(a, b)) return true
  const [ra, rb] = [repositoryOf(a), repositoryOf(b)]
  return ra !== undefined && ra === rb
}

/**
 * Whether `key` is the one `intent`'s run created: the one it names, or, when it never learned
 * its key, one it did not see and that IAM created while its lease ran (IAM's dates count whole
 * seconds). A key a person created after that run gave the user up is a stranger's.
 */
function announcedBy(intent: Intent, key: KeyState): boolean {
  if (intent.created) return key.id === intent.created
  if (intent.before.includes(key.id)) return false
  // A run that released its lease stopped creating then; a key IAM dates to that very second
  // may be a person's made just after: when in doubt, it is not the run's.
  const until = intent.released ? secondOf(intent.lease) - 1 : intent.lease.getTime()
  return atOrAfter(key.created, intent.at) && key.created.getTime() <= until
}
