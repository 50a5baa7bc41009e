/**
 * What a failure in each state leaves, undone where it can be, and the message a person reads:
 * what happened, what holds now, and the next step. One row per state of states.ts.
 */
import type { NewKey } from '../aws/keys.js'
import * as keys from '../aws/keys.js'
import { INTENT_TAG } from '../aws/marks.js'
import { describe } from '../github/targets.js'
import { explainAws } from '../messages.js'
import { Contended } from './create.js'
import { release } from './lease.js'
import { Cancelled, type Held, type Live, type Of } from './states.js'
import type { Ctx } from './types.js'

/** Why a step failed, in words: an AWS error with its fix; the action's own errors as they are. */
export const why = (e: unknown, doing: string): string =>
  (e as { $metadata?: unknown }).$metadata ? explainAws(e, doing) : (e as Error).message

const cleared = (ctx: Ctx): string =>
  ctx.outcome.cleared.length ? `; deleted before: ${ctx.outcome.cleared.join(', ')}` : ''

/** Delete the new key nobody holds yet; clear the lease when that worked, release it otherwise. */
async function undo(ctx: Ctx, { intent, key }: Held): Promise<string> {
  const user = ctx.req.userName
  ctx.outcome.newKeyId = undefined
  try {
    await keys.deleteKey(ctx.deps.iam, user, key.id)
  } catch (e) {
    return `Deleting the new key ${key.id} failed too (${(e as Error).message}): the next run deletes it, or delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'.${await release(ctx, intent)}`
  }
  // An intent that asks for every target to be rewritten stays, released, for the next run.
  const clearing = intent.rewrite
    ? await release(ctx, intent)
    : await keys.untag(ctx.deps.iam, user, [INTENT_TAG]).then(
        () => '',
        () => release(ctx, intent)
      )
  return `The new key ${key.id} was deleted again.${clearing}`
}

const AGAIN =
  'Run the workflow again (a re-run of this job takes over at once); if it keeps failing, check the AWS and GitHub status pages.'

export const onFailure: { [S in Live]: (ctx: Ctx, s: Of<S>, e: unknown) => Promise<string> } = {
  planned(ctx, _s, e) {
    const done = cleared(ctx)
    return Promise.resolve(
      `${why(e, 'finishing earlier runs and making room for a new key')}\nNo key was created${done}. ${AGAIN}`
    )
  },

  async leased(ctx, { room, intent }, e) {
    // Another run owns the intent now: leave it alone.
    const lease = e instanceof Contended ? '' : await release(ctx, intent)
    return `${why(e, `creating a new access key for ${ctx.req.userName}`)}\nNo new key was kept and no target was changed${cleared(ctx)}; ${room.old?.id ?? 'no other key'} still works.${lease} ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async created(ctx, s, e) {
    const undone = e instanceof Contended ? await deleteOnly(ctx, s.key) : await undo(ctx, s)
    return `${e instanceof Cancelled ? e.message : `Verification failed: ${why(e, 'verifying the new key')}`}\n${undone} No target was changed${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async verified(ctx, s, e) {
    return `${why(e, 'starting to write secrets')}\n${await undo(ctx, s)} No target was changed${cleared(ctx)}. ${AGAIN}`
  },

  async publishing(ctx, s, e) {
    const message = why(e, 'writing secrets')
    const recovering = s.room.deletedAt !== undefined
    if (s.written.length === 0 && !recovering) {
      return `Writing secrets failed: ${message}\n${await undo(ctx, s)} No target holds it${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${AGAIN}`
    }
    const lease = await release(ctx, s.intent)
    if (s.pending.length === 0) {
      return `${why(e, `recording that ${s.key.id} reached every target`)}\nEvery target holds the new key ${s.key.id} and both keys stay Active, so every deploy keeps working; only the mark saying so failed.${lease} Run the workflow again: the next run finds every target holding ${s.key.id} and completes the rotation.`
    }
    const written = s.written.map((p) => describe(p.target))
    const pending = s.pending.map((p) => describe(p.target))
    const holds = (n: number): string => (n === 1 ? 'holds' : 'hold')
    return `${message}\nBoth access keys stay Active so every deploy keeps working: ${written.join(', ') || 'no target'} now ${holds(written.length)} the new key ${s.key.id}; ${pending.join(', ')} still ${holds(pending.length)} the old key${s.room.old ? ` ${s.room.old.id}` : ''}.${lease} Fix the cause above and run the workflow again: the next run finds ${s.key.id} unfinished, checks which targets hold it, and completes the rotation.`
  },

  async published(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    const what =
      e instanceof Cancelled
        ? `${e.message}; ${s.room.old?.id ?? 'no old key'} was not retired yet`
        : `${why(e, `retiring the old key ${s.room.old?.id ?? ''}`)}\nThe new key ${s.key.id} is verified and in every target; only the old key's clean-up failed`
    return `${what}.${lease} ${cleanUp(ctx)}`
  }
}

/** What the next run does about an old key whose retirement stopped halfway. */
function cleanUp(ctx: Ctx): string {
  const old = ctx.outcome.old
  // Deactivated, not deleted: an Inactive key nobody can use, deleted when a rotation needs room.
  if (old?.fate === 'deactivated' && ctx.req.deleteOldKey && ctx.req.gracePeriodDays === 0) {
    return `${old.id} is Inactive, so nothing can sign with it: the next rotation deletes it to make room, or delete it now with 'aws iam delete-access-key --user-name ${ctx.req.userName} --access-key-id ${old.id}'.`
  }
  if (old?.fate === 'deleted') return `${old.id} is deleted; the next run clears its mark.`
  return 'Run the workflow again: it finishes the clean-up.'
}

const CONTENDED =
  "Another run is rotating this user: let it finish, and give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping."

/** A run that lost a race deletes only its own key: the intent belongs to the other run now. */
async function deleteOnly(ctx: Ctx, key: NewKey): Promise<string> {
  ctx.outcome.newKeyId = undefined
  return keys.deleteKey(ctx.deps.iam, ctx.req.userName, key.id).then(
    () => `This run deleted its own new key ${key.id} and left the user to the other run.`,
    (e: unknown) =>
      `Deleting this run's new key ${key.id} failed (${(e as Error).message}): the next run finds and deletes it.`
  )
}
