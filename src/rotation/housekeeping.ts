/**
 * Finishing what earlier runs left and making room for a new key: the first changes a run makes,
 * each safe to repeat, so a run that fails among them leaves work the next run redoes.
 */
import type { Prepared } from './ports.js'
import { describe } from '../github/targets.js'
import type { Housekeeping, Plan } from './plan.js'
import { holders, recover, StillHeld } from './recovery.js'
import { remove, retire } from './retire.js'
import { decideDrain, holdOld, listHolding, noteRetiring, runList, waitForRuns } from './drain.js'
import type { Ctx, KeyState } from './types.js'

/**
 * Retire a key an earlier run replaced, delete keys past their grace period, forget stale marks.
 * `held`: the replaced key stays Active, for workflow runs that may still sign with it.
 */
export async function housekeep(ctx: Ctx, plan: Housekeeping): Promise<'held' | undefined> {
  const { keys, log } = ctx.deps
  const user = ctx.req.userName
  let held: 'held' | undefined
  if (plan.unretired) {
    const { key, over } = plan.unretired
    // Retire only what nobody holds: every target written since `over` was created holds it.
    const { older, empty } = await holders(ctx, key, over, over.created)
    const holding = older.filter((p) => !empty.includes(p))
    if (holding.length > 0) {
      const names = holding.map((p) => describe(p.target))
      throw new StillHeld({ held: 'unretired', user, key: key.id, over: over.id, holding: names })
    }
    // Published at the mark's time: every target was written by then.
    if (await drainedBefore(ctx, key, (over.mark?.at ?? over.created).getTime())) {
      await log.group(`Retire ${key.id}, replaced by an earlier run`, () => retire(ctx, key))
      ctx.facts.push({ kind: 'finished', finished: { retired: key.id } })
    } else {
      held = 'held'
      ctx.facts.push({ kind: 'finished', finished: { kept: key.id } })
    }
  }
  for (const key of plan.expired) {
    await remove(ctx, key.id)
    ctx.facts.push({ kind: 'cleared', id: key.id })
    log.info(
      `Deleted ${key.id}: Inactive since ${key.mark?.at.toISOString()}, past its grace period`
    )
  }
  await keys.untag(user, plan.staleMarks)
  return held
}

/**
 * Whether the key an earlier publication replaced may go now: no workflow run queued before that
 * publication still runs (this run waits for them within the bound), or it is told not to wait,
 * or the cap has passed. Otherwise it is marked `held` with the runs, and kept.
 */
async function drainedBefore(ctx: Ctx, old: KeyState, publishedAt: number): Promise<boolean> {
  const { clock, log } = ctx.deps
  const at = new Date(publishedAt)
  const inFlight = await listHolding(
    ctx,
    ctx.prepared.map((p) => ({ p, at }))
  )
  const { inFlightRuns, drainCapMs, drainTimeoutMs } = ctx.req
  const d = decideDrain(inFlightRuns, inFlight, publishedAt, clock.now(), drainCapMs)
  if (d.kind === 'retire') return true
  if (d.kind === 'revoke' || d.kind === 'capped') {
    noteRetiring(ctx, d)
    return true
  }
  if (d.kind === 'keep') {
    log.warning(`Cannot tell which workflow runs hold ${old.id}: ${ctx.words.runsUnknown(d.why)}`)
    ctx.facts.push({ kind: 'inFlight', fate: 'unknown', runs: [], why: d.why })
    return false
  }
  const since = clock.now()
  log.info(`Waiting for workflow runs that may still sign with ${old.id}: ${runList(d.runs)}`)
  const left = await waitForRuns(ctx, d.runs, since + drainTimeoutMs)
  const waitedMs = clock.now() - since
  if (left.length === 0 && !ctx.deps.cancelled()) {
    ctx.facts.push({ kind: 'inFlight', fate: 'waited', runs: d.runs, waitedMs })
    return true
  }
  ctx.facts.push({ kind: 'inFlight', fate: 'held', runs: left, waitedMs })
  await holdOld(ctx, old, left, [])
  return false
}

/** Where the rotation starts once there is room: the key it retires, and the order of targets. */
export interface Room {
  old?: KeyState
  order: Prepared[]
  /** When recovery deleted a key some targets held: their windows run from here. */
  deletedAt?: number
}

/** Delete what must go so the new key fits (IAM allows two), recovering a lost key. */
export async function makeRoom(ctx: Ctx, plan: Extract<Plan, { kind: 'rotate' }>): Promise<Room> {
  const { log } = ctx.deps
  for (const key of plan.kept) {
    if (key.mark?.state === 'deactivated' && ctx.req.deleteOldKey) {
      log.warning(
        `Deleting ${key.id} before its grace period ends: the user needs room for a new key`
      )
    }
    await remove(ctx, key.id)
    ctx.facts.push({ kind: 'cleared', id: key.id })
  }
  const { current, lost } = plan
  if (!lost) return { old: current, order: ctx.prepared }
  if (!current) return { old: lost.key, order: ctx.prepared }
  // A record of another target list says nothing about this one: GitHub's record decides then.
  const record =
    lost.targets === undefined || lost.targets === ctx.fingerprint ? lost.holders : undefined
  const r = await log.group(`Recover ${lost.key.id}, whose secret an ended run lost`, () =>
    recover(ctx, current, lost.key, lost.since, record)
  )
  await remove(ctx, r.deleted.id)
  const deletedAt = ctx.deps.clock.now()
  ctx.facts.push({ kind: 'cleared', id: r.deleted.id })
  ctx.facts.push({
    kind: 'recovery',
    lostKey: lost.key.id,
    deleted: r.deleted.id,
    affected: r.affected.map((p) => describe(p.target))
  })
  // The targets left without a working key go first.
  const order = [...r.affected, ...ctx.prepared.filter((p) => !r.affected.includes(p))]
  return { old: r.survivor, order, ...(r.affected.length ? { deletedAt } : {}) }
}
