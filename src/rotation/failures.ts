/**
 * What a failure in each state leaves, undone where it can be, and the message a person reads:
 * what happened, what holds now, and the next step. One row per state of states.ts.
 */
import type { NewKey } from './ports.js'
import { INTENT_TAG, parseIntent, type Holding } from './marks.js'
import { isUncertain } from '../aws/retry.js'
import type { Prepared } from './ports.js'
import { describe } from '../github/targets.js'
import { explainAws } from '../report/messages.js'
import { Contended, OldGone, Stale } from './create.js'
import { release } from './lease.js'
import { publishedMark } from './publish.js'
import { StillHeld } from './recovery.js'
import { Cancelled, NotEverywhere, Stopped, type Held, type Live, type Of } from './states.js'
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
    await ctx.deps.keys.deleteKey(user, key.id)
  } catch (e) {
    return `Deleting the new key ${key.id} failed too (${(e as Error).message}): the next run deletes it, or delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'.${await release(ctx, intent)}`
  }
  // An intent that asks for every target to be rewritten stays, released, for the next run.
  const clearing = intent.rewrite
    ? await release(ctx, intent)
    : await ctx.deps.keys.untag(user, [INTENT_TAG]).then(
        () => '',
        () => release(ctx, intent)
      )
  return `The new key ${key.id} was deleted again.${clearing}`
}

const REFUSED_NEXT =
  "Give the token or App write access to that target's secrets (an archived repository must be unarchived first), or remove it from the targets, then run the workflow again."

const AGAIN =
  'Run the workflow again (a re-run of this job takes over at once); if it keeps failing, check the AWS and GitHub status pages.'

export const onFailure: { [S in Live]: (ctx: Ctx, s: Of<S>, e: unknown) => Promise<string> } = {
  planned(ctx, _s, e) {
    const done = cleared(ctx)
    // A refusal to take a key from a target says itself what a person must do.
    if (e instanceof StillHeld) return Promise.resolve(`${e.message}\nNo key was created${done}.`)
    return Promise.resolve(
      `${why(e, 'finishing earlier runs and making room for a new key')}\nNo key was created${done}. ${AGAIN}`
    )
  },

  async leased(ctx, { room, intent }, e) {
    // Another run owns the intent now: leave it alone. IAM refused the create for good: no key
    // was made (any a lost answer made was deleted), so the intent goes, unless it asks for
    // every target to be rewritten.
    const lease =
      e instanceof Contended
        ? ''
        : !isUncertain(e) && !intent.rewrite
          ? await ctx.deps.keys.untag(ctx.req.userName, [INTENT_TAG]).then(
              () => '',
              () => release(ctx, intent)
            )
          : await release(ctx, intent)
    return `${why(e, `creating a new access key for ${ctx.req.userName}`)}\nNo new key was kept and no target was changed${cleared(ctx)}; ${room.old?.id ?? 'no other key'} still works.${lease} ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async created(ctx, s, e) {
    if (e instanceof Stale) {
      return `${e.message}.\n${await undo(ctx, s)} No target was changed${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. Run the workflow again: it plans from a fresh read.`
    }
    const undone = e instanceof Contended ? await deleteOnly(ctx, s.key) : await undo(ctx, s)
    const what =
      e instanceof Cancelled
        ? e.message
        : e instanceof Contended
          ? why(e, 'checking the user after the create')
          : `Verification failed: ${why(e, 'verifying the new key')}`
    // A key another run retired is not one to say still works.
    const works = e instanceof OldGone ? '' : `; ${s.room.old?.id ?? 'no other key'} still works`
    return `${what}\n${undone} No target was changed${cleared(ctx)}${works}. ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async verified(ctx, s, e) {
    return `${why(e, 'starting to write secrets')}\n${await undo(ctx, s)} No target was changed${cleared(ctx)}. ${AGAIN}`
  },

  async publishing(ctx, s, e) {
    const doing =
      s.pending.length === 0 ? `recording that ${s.key.id} reached every target` : 'writing secrets'
    const cause = e instanceof NotEverywhere ? '' : `${why(e, doing)}\n`
    // The target being written when the run stopped may hold a mixed pair: in doubt.
    const stoppedAt = e instanceof NotEverywhere || e instanceof Stopped ? undefined : s.pending[0]
    const doubt = [
      ...s.doubt,
      ...(stoppedAt ? [{ p: stoppedAt, why: 'the run stopped while writing it' }] : [])
    ]
    const names = (ms: { p: Prepared }[]): string[] => ms.map((m) => describe(m.p.target))
    const holders: Holding[] = ctx.prepared.map((p) =>
      s.written.some((w) => w.p === p)
        ? 'new'
        : s.refused.some((m) => m.p === p)
          ? 'refused'
          : doubt.some((m) => m.p === p)
            ? 'doubt'
            : 'old'
    )
    const old = ctx.prepared.filter((_, i) => holders[i] === 'old')
    ctx.outcome.holders = {
      refused: names(s.refused),
      doubt: names(doubt),
      old: old.map((p) => describe(p.target))
    }
    const refusedWords = s.refused.map((m) => `${describe(m.p.target)} (${m.why})`).join('; ')
    const recovering = s.room.deletedAt !== undefined
    if (!holders.some((h) => h === 'new' || h === 'doubt') && !recovering) {
      // Proven: every target GitHub answered refused before anything landed, or was not written.
      const refusedAll = s.refused.length
        ? ` GitHub refused it for good at ${refusedWords}, before anything was written there.`
        : ''
      return `${cause}Writing secrets failed.${refusedAll}\n${await undo(ctx, s)} No target holds it${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${s.refused.length ? REFUSED_NEXT : AGAIN}`
    }
    if (holders.every((h) => h === 'new')) {
      const lease = await release(ctx, s.intent)
      return `${cause}Every target holds the new key ${s.key.id}, as GitHub confirmed, and both keys stay Active; only the mark saying so failed.${lease} Run the workflow again: the next run finds every target holding ${s.key.id} and completes the rotation.`
    }
    // Record what each target holds on the new key itself: the next run decides from it.
    const recorded = await ctx.deps.keys
      .tag(ctx.req.userName, publishedMark(ctx, s.key, s.room.old, s.intent.at, holders))
      .then(
        () => '',
        (r: unknown) =>
          ` Recording this on ${s.key.id} failed too (${(r as Error).message}): the next run reads GitHub's record of each secret instead.`
      )
    const lease = await release(ctx, s.intent)
    const oldKey = s.room.old ? `the old key ${s.room.old.id}` : 'no working key'
    const parts = [
      s.written.length
        ? `${names(s.written).join(', ')} ${s.written.length === 1 ? 'holds' : 'hold'} the new key ${s.key.id}, as GitHub confirmed`
        : `no target certainly holds the new key ${s.key.id}`,
      ...(s.refused.length
        ? [
            `GitHub refused it for good at ${refusedWords}: ${s.refused.length === 1 ? 'that target keeps' : 'they keep'} ${oldKey}`
          ]
        : []),
      ...(doubt.length
        ? [
            `${doubt.map((m) => `${describe(m.p.target)} (${m.why})`).join('; ')}: GitHub did not say whether the write landed, so ${doubt.length === 1 ? 'it' : 'each'} may hold a mixed pair of the two keys until the next run reads GitHub's record and repairs it`
          ]
        : []),
      ...(old.length
        ? [
            `${old.map((p) => describe(p.target)).join(', ')} still ${old.length === 1 ? 'holds' : 'hold'} ${oldKey}`
          ]
        : [])
    ]
    const next = s.refused.length
      ? `Make ${names(s.refused).join(', ')} writable (unarchive it, or give the token or App write access to its secrets) or remove it from the targets, then run the workflow again; the next run says what it can finish.`
      : "Run the workflow again (due or not, it finishes this): it repairs any target in doubt from GitHub's record, then completes the rotation."
    return `${cause}Both access keys stay Active and neither is deleted: ${parts.join('; ')}.${recorded}${lease} ${next}`
  },

  async published(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    const what =
      e instanceof Cancelled
        ? `${e.message}; ${s.room.old?.id ?? 'no old key'} was not retired yet`
        : `${why(e, `retiring the old key ${s.room.old?.id ?? ''}`)}\nThe new key ${s.key.id} is verified and in every target; only the old key's clean-up failed`
    return `${what}.${lease} ${cleanUp(ctx)}`
  },

  async draining(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    ctx.outcome.inFlight = {
      fate: 'held',
      runs: s.runs,
      waitedMs: ctx.deps.clock.now() - s.since
    }
    const old = s.room.old?.id ?? 'the old key'
    const what =
      e instanceof Cancelled
        ? e.message
        : why(e, 'waiting for workflow runs that may hold the old key')
    const runs = s.runs.map((r) => `${r.repo} run ${r.id}`).join(', ')
    return `${what}.\nThe new key ${s.key.id} is verified and in every target; ${old} stays Active, because ${runs} may still sign with it.${lease} Run the workflow again (due or not): it retires ${old} once those runs have ended, without writing any target.`
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

/**
 * A run that lost a race deletes its own key, and its own intent only when IAM still shows that
 * one (its write landed after the other run's): the other run's intent is left alone.
 */
async function deleteOnly(ctx: Ctx, key: NewKey): Promise<string> {
  ctx.outcome.newKeyId = undefined
  const { keys } = ctx.deps
  const user = ctx.req.userName
  const deleted = await keys.deleteKey(user, key.id).then(
    () => `This run deleted its own new key ${key.id} and left the user to the other run.`,
    (e: unknown) =>
      `Deleting this run's new key ${key.id} failed (${(e as Error).message}): the next run finds and deletes it.`
  )
  const tag = await keys.getUser(user).then(
    (u) => u.tags[INTENT_TAG],
    () => undefined
  )
  const shown = tag === undefined ? undefined : parseIntent(tag)
  const run = ctx.deps.identity.run
  if (shown && run && shown.run?.id === run.id && shown.run.attempt === run.attempt) {
    await keys.untag(user, [INTENT_TAG]).catch(() => undefined)
  }
  return deleted
}
