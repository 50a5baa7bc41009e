/**
 * The rotation of one user, step by step: preflight → finish what a killed run left → make room →
 * create → verify → publish → retire. docs/state-machine.md tells the same story in prose, with
 * what each failure leaves behind.
 */
import type { IAMClient } from '@aws-sdk/client-iam'
import * as keys from './aws/keys.js'
import { verifyKey, type CallerArn, type Clock } from './aws/verify.js'
import type { Secrets } from './github/secrets.js'
import { describe, type Target } from './github/targets.js'
import { busy, explainAws, twoActiveKeys } from './messages.js'
import {
  BusyError,
  describePlan,
  planKeys,
  TwoActiveKeysError,
  withMarks,
  type KeyState
} from './plan.js'
import { recover } from './recovery.js'
import { publish, retire } from './steps.js'
import type { Settings } from './inputs.js'
import type { SecretNames } from './users.js'

/** Everything the rotation touches, passed in so tests control it. */
export interface Deps {
  iam: IAMClient
  secrets: Secrets
  callerArn: CallerArn
  clock: Clock
  log: Log
  /** The access key ID the action itself signs IAM calls with, when known. */
  adminKeyId?: string
  /** True once the runner asked the action to stop (SIGINT, SIGTERM). */
  cancelled: () => boolean
  /** The workflow run, recorded in the marks (GITHUB_RUN_ID). */
  run?: string
  /** Settles when the admin credentials are proven; nothing changes before. */
  ready: Promise<void>
}

/** Where progress is reported: `@actions/core` in a run. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

/** One user to rotate, and the run's settings. */
export interface Request extends Settings {
  userName: string
  targets: Target[]
  secretNames: SecretNames
}

/** What the run did, for outputs and the summary. Key IDs only: never a secret. */
export interface Outcome {
  userName: string
  rotated: boolean
  /** Why it rotated or not. */
  reason?: string
  newKeyId?: string
  old?: {
    id: string
    created: Date
    fate: 'deleted' | 'deactivated' | 'kept'
    /** With a grace period: the first day a run deletes it. */
    deleteAfter?: string
    lastUse?: keys.LastUse
  }
  /** Keys deleted before rotating: leftovers, keys past their grace period, a killed run's key. */
  cleared: string[]
  /** What this run finished for a run that was killed. */
  finished?: string
  written: string[]
  verifiedAfterMs?: number
  /** A killed run's key was recovered; `affected` targets held a deleted key for `windowMs`. */
  recovery?: { lostKey: string; deleted: string; affected: { target: string; windowMs?: number }[] }
  /** With dry-run: what the run would do. */
  plan?: string[]
}

/** A failure with what it left behind; `message` says what happened and what to do next. */
export class RotationError extends Error {
  override name = 'RotationError'
  constructor(
    message: string,
    readonly outcome: Outcome
  ) {
    super(message)
  }
}

class Cancelled extends Error {
  override name = 'Cancelled'
}

/** Rotate `req.userName`'s access key into every target, or finish what a killed run left. */
export async function rotate(deps: Deps, req: Request): Promise<Outcome> {
  const { iam, log } = deps
  const user = req.userName
  const outcome: Outcome = { userName: user, rotated: false, written: [], cleared: [] }
  const fail = (message: string): never => {
    throw new RotationError(message, outcome)
  }
  const aws = <T>(doing: string, call: () => Promise<T>): Promise<T> =>
    call().catch((e: unknown) => fail(explainAws(e, doing)))
  const mark = (id: string, state: 'created' | 'published' | 'deactivated'): Promise<void> =>
    aws(`recording that ${id} was ${state}`, () =>
      keys.mark(iam, user, id, { state, at: new Date(deps.clock.now()), run: deps.run })
    )
  const remove = async (id: string): Promise<void> => {
    await aws(`deleting key ${id}`, () => keys.deleteKey(iam, user, id))
    await aws(`forgetting the mark of ${id}`, () => keys.unmark(iam, user, [id]))
  }

  // Preflight, read-only: the user, its keys and their marks, and every target, side by side.
  const names = [req.secretNames.accessKeyId, req.secretNames.secretAccessKey]
  const preparing = Promise.all(req.targets.map((t) => deps.secrets.prepare(t, names)))
  preparing.catch(() => undefined) // awaited below; a rejection must not go unhandled meanwhile
  const { arn, plan } = await log.group(`Plan: access keys of IAM user ${user}`, async () => {
    const [info, listed] = await aws(`reading IAM user ${user} and its keys`, () =>
      Promise.all([keys.getUser(iam, user), keys.listKeys(iam, user)])
    )
    const { keys: states, staleMarks } = withMarks(listed, info.tags)
    for (const k of states) {
      log.info(
        `${k.id} ${k.status}, created ${k.created.toISOString()}${k.mark ? ` (${k.mark.state} by rotate-iam-key)` : ''}`
      )
    }
    try {
      return { arn: info.arn, plan: planKeys(states, policy(deps, req), staleMarks) }
    } catch (e) {
      if (e instanceof BusyError) return fail(busy(user, e.key))
      if (!(e instanceof TwoActiveKeysError)) throw e
      const uses = await Promise.all(
        e.keys.map((k) => keys.lastUse(iam, k.id).catch(() => undefined))
      )
      return fail(twoActiveKeys(user, e.keys, uses, deps.clock.now()))
    }
  })
  outcome.reason = plan.reason
  log.info(`${plan.rotate ? 'Rotating' : 'Not rotating'}: ${plan.reason}`)
  const retiring = [plan.unretired, ...(plan.rotate ? [plan.current, plan.lost] : [])]
  if (deps.adminKeyId && retiring.some((k) => k?.id === deps.adminKeyId)) {
    fail(
      `The action is signing its IAM calls with ${deps.adminKeyId}, a key this run would retire. Give it other credentials: 'role-to-assume' (recommended) or another user's key.`
    )
  }
  const prepared = await log.group(
    `Check access to ${req.targets.length} target(s)`,
    () => preparing
  )
  await deps.ready.catch((e: unknown) => fail((e as Error).message))

  if (req.dryRun) {
    outcome.plan = describePlan(plan, req)
    for (const line of outcome.plan) log.info(`Dry run: ${line}`)
    return outcome
  }
  if (deps.cancelled()) fail('Cancelled before any change; nothing was changed.')

  // Finish what a killed run left, and clear keys whose grace period is over.
  if (plan.unretired) {
    const key = plan.unretired
    await log.group(`Retire ${key.id}, replaced by an earlier run`, () =>
      retire(deps, req, key, outcome, mark, remove)
    )
    outcome.finished = `retired ${key.id}, which an earlier run replaced but did not retire`
  }
  for (const key of plan.expired) {
    await remove(key.id)
    outcome.cleared.push(key.id)
    log.info(
      `Deleted ${key.id}: Inactive since ${key.mark?.at.toISOString()}, past its grace period`
    )
  }
  if (plan.staleMarks.length > 0) {
    await aws('forgetting marks of deleted keys', () => keys.unmark(iam, user, plan.staleMarks))
  }
  if (!plan.rotate) return outcome

  // Make room: IAM allows two keys, and the new one needs a slot.
  for (const key of plan.kept) {
    if (key.mark?.state === 'deactivated' && req.deleteOldKey) {
      log.warning(
        `Deleting ${key.id} before its grace period ends: the user needs room for a new key`
      )
    }
    await remove(key.id)
    outcome.cleared.push(key.id)
  }
  let old: KeyState | undefined = plan.current ?? plan.lost
  let order = prepared
  let deletedAt: number | undefined
  if (plan.current && plan.lost) {
    const r = await log.group(`Recover ${plan.lost.id}, whose secret a killed run lost`, () =>
      recover(deps, names, prepared, plan.current!, plan.lost!)
    )
    await remove(r.deleted.id)
    deletedAt = deps.clock.now()
    outcome.cleared.push(r.deleted.id)
    old = r.survivor
    order = [...r.affected, ...prepared.filter((p) => !r.affected.includes(p))]
    outcome.recovery = {
      lostKey: plan.lost.id,
      deleted: r.deleted.id,
      affected: r.affected.map((p) => ({ target: describe(p.target) }))
    }
  }
  if (deps.cancelled())
    fail(
      `Cancelled before creating a key${outcome.cleared.length ? `; deleted ${outcome.cleared.join(', ')}` : ''}.`
    )

  // Announce the key before creating it: a run killed before it could mark the key leaves a trace.
  await aws('recording that a key is being created', () =>
    keys.announce(iam, user, { state: 'created', at: new Date(deps.clock.now()), run: deps.run })
  )
  const key = await log.group('Create access key', () =>
    aws(`creating a new access key for ${user}`, () => keys.createKey(iam, user))
  )
  outcome.newKeyId = key.id
  log.info(`Created ${key.id}`)

  // Until a target holds the new key, undoing means deleting it: nobody has seen it yet.
  const undo = async (why: string): Promise<never> => {
    const undone = await remove(key.id).then(
      () => `The new key ${key.id} was deleted again`,
      (e: unknown) =>
        `Deleting the new key ${key.id} failed too (${(e as Error).message}): the next run deletes it, or delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'`
    )
    outcome.newKeyId = undefined
    return fail(
      `${why}. ${undone}; no target was changed and ${old?.id ?? 'no other key'} is untouched. Run the workflow again; if it keeps failing, check the AWS and GitHub status pages.`
    )
  }

  const clock: Clock = {
    now: () => deps.clock.now(),
    sleep: async (ms) => {
      await deps.clock.sleep(ms)
      if (deps.cancelled()) throw new Cancelled('Cancelled while verifying')
    }
  }
  const [verified, lastUse] = await Promise.all([
    log
      .group('Verify the new key with STS', () =>
        verifyKey(key, arn, deps.callerArn, clock, req.verifyTimeoutMs)
      )
      .catch((e: unknown) =>
        undo(e instanceof Cancelled ? e.message : `Verification failed: ${(e as Error).message}`)
      ),
    old ? keys.lastUse(iam, old.id).catch(() => undefined) : Promise.resolve(undefined)
  ])
  outcome.verifiedAfterMs = verified.afterMs
  log.info(`Verified after ${verified.afterMs} ms (${verified.attempts} attempt(s))`)
  if (deps.cancelled()) await undo('Cancelled before writing any secret')

  await log.group('Write secrets', () =>
    publish(deps, req, key, order, outcome, undo, deletedAt, old?.id)
  )
  await mark(key.id, 'published')
  outcome.rotated = true
  if (deps.cancelled()) {
    fail(
      `Cancelled after the new key ${key.id} reached every target; ${old?.id ?? 'no old key'} was not retired yet: the next run retires it.`
    )
  }
  if (old) {
    await log.group(`Retire the old key ${old.id}`, () =>
      retire(deps, req, old, outcome, mark, remove)
    )
    if (outcome.old) outcome.old.lastUse = lastUse
  }
  return outcome
}

function policy(deps: Deps, req: Request) {
  return {
    now: deps.clock.now(),
    maxAgeDays: req.maxAgeDays,
    force: req.force,
    gracePeriodDays: req.gracePeriodDays,
    deleteOldKey: req.deleteOldKey,
    // A run still verifying or writing leaves its new key marked `created` for at most this long.
    inFlightMs: req.verifyTimeoutMs + 10 * 60_000
  }
}
