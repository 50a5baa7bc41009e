/**
 * The rotation, one step after another: plan → reach targets → create → verify → publish →
 * retire. Each step says what a failure at that point leaves behind; docs/state-machine.md is the
 * same story in prose.
 */
import type { IAMClient } from '@aws-sdk/client-iam'
import * as keys from './aws/keys.js'
import { verifyKey, type CallerArn, type Clock } from './aws/verify.js'
import type { Prepared, Secrets } from './github/secrets.js'
import { describe, type Target } from './github/targets.js'
import { planKeys, TwoActiveKeysError } from './plan.js'
import { explainAws, twoActiveKeys } from './messages.js'

/** Everything the rotation touches, passed in so tests control it. */
export interface Deps {
  iam: IAMClient
  secrets: Secrets
  callerArn: CallerArn
  clock: Clock
  log: Log
  /** The access key ID the action itself signs IAM calls with, when known. */
  adminKeyId?: string
}

/** Where progress is reported: `@actions/core` in a run. */
export interface Log {
  info(message: string): void
  warning(message: string): void
  group<T>(name: string, fn: () => Promise<T>): Promise<T>
}

export interface Request {
  userName: string
  targets: Target[]
  secretNames: { accessKeyId: string; secretAccessKey: string }
  verifyTimeoutMs: number
  deleteOldKey: boolean
}

/** What the run did, for outputs and the summary. Key IDs only: never a secret. */
export interface Outcome {
  userName: string
  rotated: boolean
  newKeyId?: string
  old?: { id: string; created: Date; fate: 'deleted' | 'deactivated' | 'kept' }
  leftoverDeleted?: string
  written: string[]
  verifiedAfterMs?: number
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

/** Rotate `req.userName`'s access key into every target. */
export async function rotate(deps: Deps, req: Request): Promise<Outcome> {
  const { iam, log } = deps
  const user = req.userName
  const outcome: Outcome = { userName: user, rotated: false, written: [] }
  const fail = (message: string): never => {
    throw new RotationError(message, outcome)
  }

  // Plan: read-only, so any failure here leaves everything as it was.
  const { arn, plan } = await log.group(`Plan: access keys of IAM user ${user}`, async () => {
    const [arn, current] = await Promise.all([
      keys.userArn(iam, user),
      keys.listKeys(iam, user)
    ]).catch((e: unknown) => fail(explainAws(e, `reading IAM user ${user} and its keys`)))
    for (const k of current) log.info(`${k.id} ${k.status}, created ${k.created.toISOString()}`)
    try {
      return { arn, plan: planKeys(current) }
    } catch (e) {
      if (!(e instanceof TwoActiveKeysError)) throw e
      const uses = await Promise.all(
        e.keys.map((k) => keys.lastUse(iam, k.id).catch(() => undefined))
      )
      return fail(twoActiveKeys(user, e.keys, uses, deps.clock.now()))
    }
  })
  if (plan.old && plan.old.id === deps.adminKeyId) {
    fail(
      `The action is signing its IAM calls with ${plan.old.id}, the key it would rotate away. Give it other credentials: 'role-to-assume' (recommended) or another user's key.`
    )
  }

  // Reach every target before changing anything: a token that cannot write fails here, not halfway.
  const names = [req.secretNames.accessKeyId, req.secretNames.secretAccessKey]
  const prepared = await log.group(`Check access to ${req.targets.length} target(s)`, () =>
    Promise.all(req.targets.map((t) => deps.secrets.prepare(t, names)))
  )

  if (plan.leftover) {
    const id = plan.leftover.id
    await log
      .group(`Delete leftover Inactive key ${id}`, () => keys.deleteKey(iam, user, id))
      .catch((e: unknown) => fail(explainAws(e, `deleting the leftover Inactive key ${id}`)))
    outcome.leftoverDeleted = id
  }

  const key = await log
    .group('Create access key', () => keys.createKey(iam, user))
    .catch((e: unknown) => fail(explainAws(e, `creating a new access key for ${user}`)))
  outcome.newKeyId = key.id
  log.info(`Created ${key.id}`)

  // Until a target holds the new key, undoing means deleting it: nobody has seen it yet.
  const undo = async (why: string): Promise<never> => {
    const undone = await keys.deleteKey(iam, user, key.id).then(
      () => `The new key ${key.id} was deleted again`,
      (e: unknown) =>
        `Deleting the new key ${key.id} failed too (${(e as Error).message}): delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'`
    )
    outcome.newKeyId = undefined
    return fail(
      `${why}. ${undone}; no target was changed and ${plan.old?.id ?? 'no old key'} is untouched. Run the workflow again; if it keeps failing, check the AWS and GitHub status pages.`
    )
  }

  const verified = await log
    .group('Verify the new key with STS', () =>
      verifyKey(key, arn, deps.callerArn, deps.clock, req.verifyTimeoutMs)
    )
    .catch((e: unknown) => undo(`Verification failed: ${(e as Error).message}`))
  outcome.verifiedAfterMs = verified.afterMs
  log.info(`Verified after ${verified.afterMs} ms (${verified.attempts} attempt(s))`)

  await log.group('Write secrets', () => publish(deps, req, key, prepared, outcome, undo))
  outcome.rotated = true

  if (plan.old) await retire(deps, req, plan.old, outcome)
  return outcome
}

async function publish(
  deps: Deps,
  req: Request,
  key: keys.NewKey,
  prepared: Prepared[],
  outcome: Outcome,
  undo: (why: string) => Promise<never>
): Promise<void> {
  for (const [i, target] of prepared.entries()) {
    const name = describe(target.target)
    try {
      // The two writes go back to back: between them the target holds a mismatched pair.
      await deps.secrets.write(target, req.secretNames.accessKeyId, key.id)
      await deps.secrets.write(target, req.secretNames.secretAccessKey, key.secret)
    } catch (e) {
      const why = (e as Error).message
      if (outcome.written.length === 0) return undo(`Writing secrets failed: ${why}`)
      const pending = req.targets.slice(i).map(describe)
      throw new RotationError(
        `${why}\nBoth access keys stay Active so every deploy keeps working: ${outcome.written.join(', ')} now hold the new key ${key.id}; ${pending.join(', ')} still hold the old key. Fix the cause above, then deactivate and delete the key that no target uses by hand, or update the remaining targets by hand.`,
        outcome
      )
    }
    outcome.written.push(name)
    deps.log.info(
      `${name}: ${req.secretNames.accessKeyId}, ${req.secretNames.secretAccessKey} written`
    )
  }
}

async function retire(
  deps: Deps,
  req: Request,
  old: keys.AccessKey,
  outcome: Outcome
): Promise<void> {
  const { iam, log } = deps
  outcome.old = { id: old.id, created: old.created, fate: 'kept' }
  await log
    .group(`Retire the old key ${old.id}`, async () => {
      // Deactivate before delete: a deactivated key can be re-enabled if a consumer breaks.
      if (old.status === 'Active') {
        await keys.deactivateKey(iam, req.userName, old.id)
        outcome.old = { ...outcome.old!, fate: 'deactivated' }
      }
      if (req.deleteOldKey) {
        await keys.deleteKey(iam, req.userName, old.id)
        outcome.old = { ...outcome.old!, fate: 'deleted' }
      }
    })
    .catch((e: unknown) => {
      throw new RotationError(
        `${explainAws(e, `retiring the old key ${old.id}`)}\nThe new key ${outcome.newKeyId} is verified and in every target; only the old key's clean-up failed. Run the workflow again or deactivate and delete ${old.id} by hand.`,
        outcome
      )
    })
  log.info(`Old key ${old.id} ${outcome.old.fate}`)
}
