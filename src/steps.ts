/**
 * The two steps of a rotation that change what deploys use: writing the new key into every target,
 * and retiring the old key. Each says, when it fails, what it left behind.
 */
import * as keys from './aws/keys.js'
import type { Prepared } from './github/secrets.js'
import { describe } from './github/targets.js'
import { explainAws } from './messages.js'
import type { KeyState } from './plan.js'
import { RotationError, type Deps, type Outcome, type Request } from './rotation.js'

const DAY_MS = 86_400_000

/** Write the new key into every target, in order, one pair of writes after another. */
export async function publish(
  deps: Deps,
  req: Request,
  key: keys.NewKey,
  order: Prepared[],
  outcome: Outcome,
  undo: (why: string) => Promise<never>,
  deletedAt: number | undefined,
  oldId: string | undefined
): Promise<void> {
  const isAffected = (p: Prepared): boolean =>
    outcome.recovery?.affected.some((a) => a.target === describe(p.target)) ?? false
  for (const [i, target] of order.entries()) {
    const name = describe(target.target)
    let halfWritten = false
    try {
      // ID first, then secret, back to back: the ID is the half that can be put back, since it
      // is no secret; between the two writes the target holds a mismatched pair.
      await deps.secrets.write(target, req.secretNames.accessKeyId, key.id)
      halfWritten = true
      await deps.secrets.write(target, req.secretNames.secretAccessKey, key.secret)
    } catch (e) {
      let why = (e as Error).message
      if (halfWritten && oldId && !isAffected(target)) {
        why += await deps.secrets.write(target, req.secretNames.accessKeyId, oldId).then(
          () =>
            `\n${name}'s ${req.secretNames.accessKeyId} was put back to ${oldId}, matching its secret again.`,
          (r: unknown) =>
            `\nPutting ${name}'s ${req.secretNames.accessKeyId} back to ${oldId} failed too (${(r as Error).message}): it holds a mismatched pair until the next run.`
        )
      }
      if (outcome.written.length === 0 && deletedAt === undefined) {
        return undo(`Writing secrets failed: ${why}`)
      }
      const pending = order.slice(i).map((p) => describe(p.target))
      throw new RotationError(
        `${why}\nBoth access keys stay Active so every deploy keeps working: ${outcome.written.join(', ') || 'no target'} now hold${outcome.written.length === 1 ? 's' : ''} the new key ${key.id}; ${pending.join(', ')} still ${pending.length === 1 ? 'holds' : 'hold'} the old key. Fix the cause above and run the workflow again: the next run finds ${key.id} unfinished, checks which targets hold it, and completes the rotation.`,
        outcome
      )
    }
    outcome.written.push(name)
    const affected = outcome.recovery?.affected.find((a) => a.target === name)
    if (affected && deletedAt !== undefined) affected.windowMs = deps.clock.now() - deletedAt
    deps.log.info(
      `${name}: ${req.secretNames.accessKeyId}, ${req.secretNames.secretAccessKey} written`
    )
  }
}

/** Deactivate a key, then delete it now or leave it, marked, for a later run to delete. */
export async function retire(
  deps: Deps,
  req: Request,
  old: KeyState,
  outcome: Outcome,
  mark: (id: string, state: 'deactivated') => Promise<void>,
  remove: (id: string) => Promise<void>
): Promise<void> {
  const { iam, log } = deps
  outcome.old = { id: old.id, created: old.created, fate: 'kept' }
  try {
    // Deactivate before delete: a deactivated key can be re-enabled if a consumer breaks.
    if (old.status === 'Active') await keys.deactivateKey(iam, req.userName, old.id)
    outcome.old.fate = 'deactivated'
    if (req.deleteOldKey && req.gracePeriodDays === 0) {
      await remove(old.id)
      outcome.old.fate = 'deleted'
    } else {
      await mark(old.id, 'deactivated')
      if (req.deleteOldKey) {
        const when = new Date(deps.clock.now() + req.gracePeriodDays * DAY_MS)
          .toISOString()
          .slice(0, 10)
        outcome.old.deleteAfter = when
        log.info(`${old.id} stays Inactive until ${when}; a run after that deletes it`)
      }
    }
  } catch (e) {
    throw new RotationError(
      `${e instanceof RotationError ? e.message : explainAws(e, `retiring the old key ${old.id}`)}\nThe new key ${outcome.newKeyId ?? ''} is verified and in every target; only the old key's clean-up failed. Run the workflow again: it finishes the clean-up.`,
      outcome
    )
  }
  log.info(`Old key ${old.id} ${outcome.old.fate}`)
}
