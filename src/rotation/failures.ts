/**
 * What a failure in each state leaves, undone where it can be: one row per state of states.ts,
 * each returning the facts (aftermath.ts) that src/report/failure.ts turns into what a person reads.
 */
import { INTENT_TAG, parseIntent, type Holding } from './marks.js'
import { isUncertain } from '../aws/answers.js'
import type { Prepared } from './ports.js'
import type { NewKey } from '../aws/key-data.js'
import { describe } from '../github/targets.js'
import type { Aftermath, Cause, Lease, Miss, Missed, Publication, Undone } from './aftermath.js'
import { Contended, OldGone, Stale } from './create.js'
import { release } from './lease.js'
import { clearedOf } from './facts.js'
import { foldFacts } from './fold.js'
import { publishedMark } from './publish.js'
import { StillHeld } from './recovery.js'
import { Cancelled, NotEverywhere, Stopped, type Held, type Live, type Of } from './states.js'
import type { Ctx, Outcome } from './types.js'

/** The kind of a failure, most specific first: OldGone is a Contended. */
export function causeOf(error: unknown): Cause {
  const kinds: [abstract new (...a: never[]) => Error, Cause['kind']][] = [
    [StillHeld, 'still-held'],
    [OldGone, 'old-gone'],
    [Contended, 'contended'],
    [Stale, 'stale'],
    [Cancelled, 'cancelled'],
    [NotEverywhere, 'not-everywhere'],
    [Stopped, 'stopped']
  ]
  const kind = kinds.find(([type]) => error instanceof type)?.[1] ?? 'other'
  return { error, kind }
}

/** Forget the intent; release it instead when removing it failed. */
const clear = (ctx: Ctx, intent: Held['intent']): Promise<Lease> =>
  ctx.deps.keys.untag(ctx.req.userName, [INTENT_TAG]).then(
    (): Lease => ({ lease: 'cleared' }),
    () => release(ctx, intent)
  )

/** Delete the new key nobody holds yet; clear the lease when that worked, release it otherwise. */
async function undo(ctx: Ctx, { intent, key }: Held): Promise<Undone> {
  try {
    await ctx.deps.keys.deleteKey(ctx.req.userName, key.id)
  } catch (e) {
    return { newKey: 'kept', error: e, ...(await release(ctx, intent)) }
  }
  // An intent that asks for every target to be rewritten stays, released, for the next run.
  const lease = intent.rewrite ? await release(ctx, intent) : await clear(ctx, intent)
  return { newKey: 'deleted', ...lease }
}

/** What every aftermath starts from: the user, the cause, the keys deleted before. */
const base = (ctx: Ctx, e: unknown) => ({
  user: ctx.req.userName,
  cause: causeOf(e),
  cleared: clearedOf(ctx.facts)
})

/** The outcome of the facts so far alone: the old key's fate where retiring it failed. */
function folded(ctx: Ctx): Pick<Outcome, 'old'> {
  const o: Outcome = { userName: ctx.req.userName, rotated: false, written: [], cleared: [] }
  foldFacts(o, ctx.facts)
  return o
}

const keysOf = (s: Held) => ({ key: s.key.id, ...(s.room.old ? { old: s.room.old.id } : {}) })

type OnFailure = { [S in Live]: (ctx: Ctx, s: Of<S>, e: unknown) => Promise<Aftermath> }

export const onFailure: OnFailure = {
  planned(ctx, _s, e) {
    return Promise.resolve({ at: 'planned', ...base(ctx, e) })
  },

  async leased(ctx, { room, intent }, e) {
    // Another run owns the intent now: leave it alone. IAM refused the create for good: no key
    // was made (any a lost answer made was deleted), so the intent goes, unless it asks for
    // every target to be rewritten.
    const lease: Lease =
      e instanceof Contended
        ? { lease: 'yielded' }
        : !isUncertain(e) && !intent.rewrite
          ? await clear(ctx, intent)
          : await release(ctx, intent)
    return { at: 'leased', ...base(ctx, e), ...(room.old ? { old: room.old.id } : {}), lease }
  },

  async created(ctx, s, e) {
    const undone = e instanceof Contended ? await yieldTo(ctx, s.key) : await undo(ctx, s)
    return { at: 'created', ...base(ctx, e), ...keysOf(s), undone }
  },

  async verified(ctx, s, e) {
    return { at: 'verified', ...base(ctx, e), ...keysOf(s), undone: await undo(ctx, s) }
  },

  async publishing(ctx, s, e) {
    // The target being written when the run stopped may hold a mixed pair: in doubt.
    const stoppedAt = e instanceof NotEverywhere || e instanceof Stopped ? undefined : s.pending[0]
    const doubt = [
      ...s.doubt,
      ...(stoppedAt ? [{ p: stoppedAt, why: { miss: 'stopped' as const } }] : [])
    ]
    const holders: Holding[] = ctx.prepared.map((p) =>
      s.written.some((w) => w.p === p)
        ? 'new'
        : s.refused.some((m) => m.p === p)
          ? 'refused'
          : doubt.some((m) => m.p === p)
            ? 'doubt'
            : 'old'
    )
    const facts = {
      at: 'publishing' as const,
      ...base(ctx, e),
      ...keysOf(s),
      tried: s.pending.length === 0,
      written: s.written.map((w) => describe(w.p.target)),
      refused: named(s.refused),
      doubt: named(doubt),
      holdOld: ctx.prepared.filter((_, i) => holders[i] === 'old').map((p) => describe(p.target))
    }
    return { ...facts, publication: await leaveHalfway(ctx, s, holders) }
  },

  async published(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    const { old } = folded(ctx)
    return {
      at: 'published',
      ...base(ctx, e),
      ...keysOf(s),
      lease,
      ...(old ? { retiring: { id: old.id, fate: old.fate } } : {}),
      deletesInactive: ctx.req.deleteOldKey && ctx.req.gracePeriodDays === 0
    }
  },

  async draining(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    const waitedMs = ctx.deps.clock.now() - s.since
    return { at: 'draining', ...base(ctx, e), ...keysOf(s), lease, runs: s.runs, waitedMs }
  }
}

const named = (ms: { p: Prepared; why: Miss }[]): Missed[] =>
  ms.map((m) => ({ target: describe(m.p.target), why: m.why }))

/**
 * A publication that stopped: undone when no target holds or may hold the key, else both keys
 * stay and the new key's mark records what each target holds, for the next run to decide from.
 */
async function leaveHalfway(
  ctx: Ctx,
  s: Of<'publishing'>,
  holders: Holding[]
): Promise<Publication> {
  const recovering = s.room.deletedAt !== undefined
  if (!holders.some((h) => h === 'new' || h === 'doubt') && !recovering) {
    // Proven: every target GitHub answered refused before anything landed, or was not written.
    return { left: 'undone', undone: await undo(ctx, s) }
  }
  if (holders.every((h) => h === 'new')) {
    return { left: 'everywhere', lease: await release(ctx, s.intent) }
  }
  const mark = publishedMark(ctx, s.key, s.room.old, s.intent.at, holders)
  const recorded = await ctx.deps.keys.tag(ctx.req.userName, mark).then(
    () => true as const,
    (error: unknown) => ({ error })
  )
  return { left: 'both', recorded, lease: await release(ctx, s.intent) }
}

/**
 * A run that lost a race deletes its own key, and its own intent only when IAM still shows that
 * one (its write landed after the other run's): the other run's intent is left alone.
 */
async function yieldTo(ctx: Ctx, key: NewKey): Promise<Undone> {
  const { keys } = ctx.deps
  const user = ctx.req.userName
  const deleted = await keys.deleteKey(user, key.id).then(
    () => ({ newKey: 'deleted' as const }),
    (error: unknown) => ({ newKey: 'kept' as const, error })
  )
  const tag = await keys.getUser(user).then(
    (u) => u.tags[INTENT_TAG],
    () => undefined
  )
  const shown = tag === undefined ? undefined : parseIntent(tag)
  const run = ctx.deps.identity.run
  if (shown && run && shown.run?.id === run.id && shown.run.attempt === run.attempt) {
    const ownCleared = await keys.untag(user, [INTENT_TAG]).then(
      () => true as const,
      () => undefined
    )
    return { ...deleted, lease: 'yielded', ...(ownCleared ? { ownCleared } : {}) }
  }
  return { ...deleted, lease: 'yielded' }
}
