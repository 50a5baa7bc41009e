/**
 * The rotation as a state machine. Each state is a type (states.ts); `step` takes a state to the
 * next one; `onFailure` (failures.ts) says, for each state, what a failure there leaves, as facts
 * (aftermath.ts) that src/report/failure.ts turns into the message a person reads.
 * docs/state-machine.md tells the same story, and a test holds its list of states to {@link STATES}.
 */
import type { LastUse } from '../aws/key-data.js'
import { INTENT_TAG } from './marks.js'
import { verifyKey } from './verify.js'
import type { Clock } from './ports.js'
import { RateLimited } from '../github/errors.js'
import { describe } from '../github/targets.js'
import { checkAlone, createKey } from './create.js'
import { Failed, type Aftermath } from './aftermath.js'
import { onFailure } from './failures.js'
import { recoveryOf } from './facts.js'
import { foldFacts, foldFailure, foldState } from './fold.js'
import { dueDate } from './plan.js'
import { housekeep, makeRoom } from './housekeeping.js'
import { coversNextWrite, needsRenewal, newIntent, renewed, writeIntent } from './lease.js'
import { Midway, publishedMark, waitOut, writeTarget, type Reached } from './publish.js'
import { settled } from '../settled.js'
import { retire } from './retire.js'
import {
  decideDrain,
  holdOld,
  keepLease,
  listHolding,
  listingNext,
  noteRetiring,
  pollDelay
} from './drain.js'
import {
  Cancelled,
  NotEverywhere,
  Stopped,
  type CancelPoint,
  type Live,
  type Of,
  type Rotate,
  type State
} from './states.js'
import { namesOf, type Ctx, type Outcome } from './types.js'
import type { KeyState } from './plan.js'

export { STATES, type At, type State } from './states.js'

const step: { [S in Live]: (ctx: Ctx, s: Of<S>) => Promise<State> } = {
  async planned(ctx, { plan }) {
    // The old key a finished publication replaced is still held by running deploys: IAM's two
    // keys are taken, so this run rotates nothing (a later run retires that key first).
    if ((await housekeep(ctx, plan)) === 'held') return { at: 'held' }
    const room = await makeRoom(ctx, plan)
    stopIfCancelled(ctx, { at: 'before-create' })
    // Keys deleted since the plan stay in `before`: IDs are never reused, so that is harmless.
    // A recovery that left targets without a working key carries that into the intent, so the
    // next run rewrites every target even if this one fails first.
    const intent = newIntent(
      ctx,
      plan.seen,
      room.deletedAt !== undefined || Boolean(plan.leftIntent?.rewrite)
    )
    await writeIntent(ctx, intent)
    return { at: 'leased', room, intent }
  },

  async leased(ctx, { room, intent }) {
    const key = await ctx.deps.group({ section: 'create' }, () => createKey(ctx, intent))
    ctx.deps.progress({ kind: 'created', key: key.id })
    return { at: 'created', room, intent, key }
  },

  async created(ctx, { room, intent, key }) {
    const { deps, req, arn } = ctx
    const clock: Clock = {
      now: () => deps.clock.now(),
      sleep: async (ms) => {
        await deps.clock.sleep(ms)
        stopIfCancelled(ctx, { at: 'verifying' })
      }
    }
    // Beside verification, which waits on IAM anyway: no other run created a key, and the lease
    // names the new key. Two IAM calls, as many as the plan's reads left connections for.
    const mine = { ...intent, created: key.id }
    const [verified] = await settled([
      deps.group({ section: 'verify' }, () =>
        verifyKey(key, arn, deps.callerArn, clock, req.verifyTimeoutMs)
      ),
      checkAlone(ctx, intent, key, room.old),
      writeIntent(ctx, mine)
    ] as const)
    deps.progress({ kind: 'verified', afterMs: verified.afterMs, attempts: verified.attempts })
    return { at: 'verified', room, intent: mine, key, afterMs: verified.afterMs }
  },

  verified(ctx, s) {
    stopIfCancelled(ctx, { at: 'before-writing' })
    return Promise.resolve({
      ...s,
      at: 'publishing',
      written: [],
      pending: s.room.order,
      refused: [],
      doubt: [],
      pass: 1
    })
  },

  async publishing(ctx, s) {
    const [target, ...pending] = s.pending
    if (!target) {
      // Complete forward: a target in doubt is written once more (writing again is harmless).
      if (s.doubt.length > 0 && s.pass === 1) {
        return { ...s, pending: s.doubt.map((m) => m.p), doubt: [], pass: 2 }
      }
      // Every target was tried; one the key did not certainly reach keeps both keys (failures.ts).
      if (s.refused.length > 0 || s.doubt.length > 0) throw new NotEverywhere()
      const at = new Date(ctx.deps.clock.now())
      // Beside the mark: which workflow runs may still sign with the old key, and its last use
      // for the summary, read as late as the run can (not beside verification, where a third
      // IAM call would open a connection the first write waits for). With no runs in flight
      // the listing costs no round trip of its own.
      const { old } = s.room
      const [, inFlight, oldLastUse] = await settled([
        ctx.deps.keys.tag(ctx.req.userName, publishedMark(ctx, s.key, old, at)),
        old ? listHolding(ctx, s.written) : { runs: [] },
        old ? ctx.deps.keys.lastUse(old.id).catch(() => undefined) : undefined
      ] as const)
      // The new key is the one due next: from IAM's date, or (not given) this moment, seconds later.
      const due = dueDate(s.key.created ?? at, ctx.req.maxAgeDays)
      const { room, intent, key } = s
      const learned = { ...(oldLastUse ? { oldLastUse } : {}), ...(due ? { due } : {}) }
      return { at: 'published', room, intent, key, ...learned, inFlight }
    }
    let intent = s.intent
    const writesLeft = s.pending.length * 2
    if (needsRenewal(ctx, intent, writesLeft)) {
      const next = renewed(ctx, intent, writesLeft)
      // A lease that cannot be renewed still runs until it expires: warn, and try at the next target.
      await writeIntent(ctx, next).then(
        () => (intent = next),
        (error: unknown) => ctx.deps.progress({ kind: 'renew-failed', error })
      )
      // Another run may take the user over once the lease runs out: never write past it.
      if (!coversNextWrite(ctx, intent)) {
        throw new Stopped(ctx.req.userName, intent.lease)
      }
    }
    // The last write: the listing of the runs that may hold the old key follows its answer.
    if (pending.length === 0 && s.doubt.length === 0 && s.room.old) listingNext(ctx)
    const name = describe(target.target)
    // A target holding the old pair gets its ID back when GitHub refuses its secret; one whose
    // key a recovery deleted has nothing to go back to.
    const affected = recoveryOf(ctx.facts)?.affected.includes(name)
    let reached: Reached
    try {
      reached = await writeTarget(ctx, s.key, target, affected ? undefined : s.room.old?.id)
    } catch (e) {
      if (!(e instanceof RateLimited || e instanceof Midway)) throw e
      // The same state again: this target is written once the wait is over.
      return { ...s, intent: await waitOut(ctx, intent, e, writesLeft) }
    }
    if (reached.holds !== 'new') {
      // The other targets still get the new key: one target's refusal must not hold them back.
      ctx.deps.progress({ kind: 'missed', target: name, why: reached.why })
      const missed = { p: target, why: reached.why }
      return reached.holds === 'refused'
        ? { ...s, intent, pending, refused: [...s.refused, missed] }
        : { ...s, intent, pending, doubt: [...s.doubt, missed] }
    }
    const written = [...s.written, { p: target, at: reached.at }]
    if (affected && s.room.deletedAt !== undefined)
      ctx.facts.push({ kind: 'window', target: name, ms: ctx.deps.clock.now() - s.room.deletedAt })
    ctx.deps.progress({ kind: 'written', target: name, names: namesOf(ctx.req) })
    return { ...s, intent, written, pending }
  },

  async published(ctx, s) {
    stopIfCancelled(ctx, { at: 'published' })
    const { old } = s.room
    if (!old) {
      await ctx.deps.keys.untag(ctx.req.userName, [INTENT_TAG])
      return { at: 'retired' }
    }
    const now = ctx.deps.clock.now()
    const { inFlightRuns, drainCapMs, drainTimeoutMs } = ctx.req
    const d = decideDrain(inFlightRuns, s.inFlight, now, now, drainCapMs)
    if (d.kind === 'wait') {
      ctx.deps.progress({ kind: 'waiting', key: old.id, runs: d.runs, upToMs: drainTimeoutMs })
      return {
        ...s,
        at: 'draining',
        found: d.runs,
        runs: d.runs,
        since: now,
        until: now + drainTimeoutMs,
        polls: 0
      }
    }
    if (d.kind === 'keep') {
      ctx.deps.progress({ kind: 'cannot-tell', key: old.id, why: d.why })
      ctx.facts.push({ kind: 'inFlight', fate: 'unknown', runs: [], why: d.why })
      await holdOld(ctx, old, [], [INTENT_TAG])
      return { at: 'held' }
    }
    if (d.kind !== 'retire') noteRetiring(ctx, d)
    await retireOld(ctx, old, s.key.id, s.oldLastUse)
    return { at: 'retired' }
  },

  async draining(ctx, s) {
    const { clock, progress } = ctx.deps
    const old = s.room.old as KeyState
    if (clock.now() >= s.until) {
      ctx.facts.push({
        kind: 'inFlight',
        fate: 'held',
        runs: s.runs,
        waitedMs: clock.now() - s.since
      })
      progress({ kind: 'stopped-waiting', key: old.id, runs: s.runs })
      await holdOld(ctx, old, s.runs, [INTENT_TAG])
      return { at: 'held' }
    }
    await clock.sleep(Math.min(pollDelay(s.polls), s.until - clock.now()))
    stopIfCancelled(ctx, { at: 'draining', key: old.id })
    const intent = await keepLease(ctx, s.intent)
    const still = await (ctx.deps.runs?.running(s.runs) ?? { runs: [] })
    if ('unknown' in still) {
      progress({ kind: 'still-waiting', why: still.unknown })
      return { ...s, intent, polls: s.polls + 1 }
    }
    if (still.runs.length > 0) return { ...s, intent, runs: still.runs, polls: s.polls + 1 }
    ctx.facts.push({
      kind: 'inFlight',
      fate: 'waited',
      runs: s.found,
      waitedMs: clock.now() - s.since
    })
    progress({ kind: 'runs-ended', key: old.id })
    await retireOld(ctx, old, s.key.id, s.oldLastUse)
    return { at: 'retired' }
  }
}

/** Retire the key `fresh` replaced, forget the run's intent, and note the key's last use. */
async function retireOld(ctx: Ctx, old: KeyState, fresh: string, lastUse?: LastUse): Promise<void> {
  await ctx.deps.group({ section: 'retire-old', key: old.id }, () =>
    retire(ctx, old, [INTENT_TAG], fresh)
  )
  if (lastUse) ctx.facts.push({ kind: 'lastUse', use: lastUse })
}

function stopIfCancelled(ctx: Ctx, point: CancelPoint): void {
  if (ctx.deps.cancelled()) throw new Cancelled(point)
}

/**
 * Drive the machine from `planned` to `retired`, folding what it learns into `outcome`: each state
 * reached, then, once, the facts the steps recorded, then what a failure left. A failure becomes
 * `Failed`, with what it left.
 */
export async function drive(ctx: Ctx, plan: Rotate, outcome: Outcome): Promise<void> {
  let s: State = { at: 'planned', plan }
  let aftermath: Aftermath | undefined
  try {
    while (s.at !== 'retired' && s.at !== 'held') {
      const at: State = s
      try {
        s = await (step[at.at] as (ctx: Ctx, s: State) => Promise<State>)(ctx, at)
        foldState(outcome, s, at)
      } catch (e) {
        const fail = onFailure[at.at] as (ctx: Ctx, s: State, e: unknown) => Promise<Aftermath>
        aftermath = await fail(ctx, at, e)
        break
      }
    }
  } finally {
    // The facts so far, whatever happened: a failure's aftermath may say more, so it comes last.
    foldFacts(outcome, ctx.facts)
    if (aftermath) foldFailure(outcome, aftermath)
  }
  if (aftermath) throw new Failed(aftermath)
}
