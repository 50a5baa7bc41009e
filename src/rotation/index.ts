/**
 * Rotate one user: read (the user, its keys and marks, every target, side by side), decide
 * (plan.ts), then carry the decision out (machine.ts). docs/state-machine.md tells the same story.
 */
import type { LastUse } from '../aws/key-data.js'
import { fingerprint, INTENT_TAG } from './marks.js'
import { describe } from '../github/targets.js'
import { Failed } from './aftermath.js'
import { housekeep } from './housekeeping.js'
import { drive } from './machine.js'
import { foldFacts, foldPlan } from './fold.js'
import { plan as decide, expiredUnreleased, type Me, type Plan, type Policy } from './plan.js'
import { RotationError, type Stop } from './stop.js'
import type { Request } from './job.js'
import { namesOf, type Ctx, type Deps, type Outcome } from './types.js'

export { RotationError }
export type { Request } from './job.js'
export type { Deps, Outcome } from './types.js'

/**
 * Rotate `req.userName`'s access key into every target, or finish what an ended run left. How it
 * goes is reported as facts (`deps.progress`); the entry words them.
 */
export async function rotate(deps: Deps, req: Request): Promise<Outcome> {
  const { keys, progress } = deps
  const user = req.userName
  const outcome: Outcome = { userName: user, rotated: false, written: [], cleared: [] }
  const fail = (stop: Stop): never => {
    throw new RotationError(stop, outcome)
  }
  const names = namesOf(req)
  const me: Me = {
    ...deps.identity,
    targets: fingerprint([...req.targets.map(describe), ...names])
  }

  // Read-only: the user, its keys and their marks, and every target, side by side.
  const preparing = Promise.all(req.targets.map((t) => deps.secrets.prepare(t, names)))
  preparing.catch(() => undefined) // awaited below; a rejection must not go unhandled meanwhile
  // Beside the reads: the token may list the workflow runs that may hold the old key.
  const checking =
    req.inFlightRuns === 'wait' && deps.runs
      ? deps.runs.check(req.targets, preparing)
      : Promise.resolve(undefined)
  checking.catch(() => undefined)
  const { arn, plan } = await deps.group({ section: 'plan', user }, async () => {
    const [info, listed] = await Promise.all([keys.getUser(user), keys.listKeys(user)]).catch(
      (error: unknown) => fail({ stop: 'read', user, error })
    )
    for (const k of listed) {
      const mark = info.tags[k.id]
      progress({
        kind: 'key',
        id: k.id,
        status: k.status,
        created: k.created,
        ...(mark ? { mark } : {})
      })
    }
    const policy = policyOf(deps, req)
    let plan = decide(listed, info.tags, me, policy)
    if (plan.kind === 'busy' && deps.runEnded && (await deps.runEnded(plan.intent))) {
      const run = plan.intent.run?.id
      progress({ kind: 'taking-over', ...(run !== undefined ? { run } : {}) })
      plan = decide(listed, info.tags, { ...me, leaseHolderEnded: true }, policy)
    }
    // A lease that ran out is no proof its run stopped writing: ask GitHub, when it can tell.
    const left = plan.kind === 'idle' || plan.kind === 'rotate' ? plan.leftIntent : undefined
    if (left && expiredUnreleased(left, me, policy.now) && deps.runEnded) {
      if ((await deps.runEnded(left)) === false) {
        plan = decide(listed, info.tags, { ...me, leaseHolderRunning: true }, policy)
      }
    }
    return { arn: info.arn, plan }
  })
  if (plan.kind === 'busy')
    return fail({ stop: 'busy', user, intent: plan.intent, now: deps.clock.now() })
  if (plan.kind === 'refused') return fail(await refusal(deps, user, plan.refusal))
  // The plan's facts, and a stranger key's last use beside them, to help a person choose.
  const strangerUse = plan.stranger
    ? await keys.lastUse(plan.stranger.id).catch(() => undefined)
    : undefined
  foldPlan(outcome, plan, strangerUse)
  if (plan.reactivated) {
    const { key, until } = plan.reactivated
    progress({ kind: 'reactivated', key: key.id, until })
  }
  if (plan.stranger) {
    const beside = plan.current?.id
    progress({ kind: 'stranger', key: plan.stranger.id, ...(beside ? { beside } : {}) })
  }
  progress({ kind: 'decided', decision: plan.kind, reason: plan.reason })
  if (plan.targetsChanged) progress({ kind: 'targets-changed' })
  guardAdminKey(deps, plan, fail)
  if (plan.kind === 'rotate') {
    const refused = deps.takeWrites?.(req.targets)
    if (refused) fail({ stop: 'budget', refusal: refused })
  }
  const prepared = await deps
    .group({ section: 'read-targets', count: req.targets.length }, () => preparing)
    .catch((error: unknown) => fail({ stop: 'unready', user, error }))
  await deps.ready.catch((error: unknown) => fail({ stop: 'unready', user, error }))
  // Only a run that may retire a key needs to see the runs that hold it.
  if (plan.kind === 'rotate' || plan.unretired) {
    const missing = await checking
    if (missing) fail({ stop: 'runs', blocked: missing })
  }

  if (req.dryRun) {
    outcome.plan = { plan, req }
    progress({ kind: 'dry-run', plan, req })
    return outcome
  }
  if (deps.cancelled()) fail({ stop: 'cancelled' })

  const ctx: Ctx = { deps, req, facts: [], arn, prepared, fingerprint: me.targets }
  if (plan.kind === 'rotate') {
    // Words at the edge: the machine says what a failure left, the report says it to a person.
    await drive(ctx, plan, outcome).catch((e: unknown) => {
      if (!(e instanceof Failed)) throw e
      fail({ stop: 'machine', aftermath: e.facts })
    })
    return outcome
  }
  // Not due: finish what earlier runs left, and forget an intent that no run holds any more.
  // What it did is folded in, done or failed midway, before a failure is said.
  await housekeep(ctx, plan)
    .finally(() => foldFacts(outcome, ctx.facts))
    .catch((error: unknown) => fail({ stop: 'housekeeping', error }))
  if (plan.leftIntent) {
    await keys
      .untag(user, [INTENT_TAG])
      .catch((error: unknown) => progress({ kind: 'forget-failed', error }))
  }
  return outcome
}

function policyOf(deps: Deps, req: Request): Policy {
  return {
    now: deps.clock.now(),
    maxAgeDays: req.maxAgeDays,
    force: req.force,
    gracePeriodDays: req.gracePeriodDays,
    deleteOldKey: req.deleteOldKey
  }
}

/** A refused plan; two Active keys get their last use, to help a person choose. */
async function refusal(
  deps: Deps,
  user: string,
  refusal: Extract<Plan, { kind: 'refused' }>['refusal']
): Promise<Stop> {
  const ks =
    refusal.why === 'two-active'
      ? refusal.keys
      : refusal.why === 'stranger'
        ? [refusal.current, refusal.stranger]
        : []
  const uses = ks.length > 0 ? await lastUses(deps, ks) : []
  return { stop: 'refused', user, refusal, uses, now: deps.clock.now() }
}

/** Each key's last use, to help a person choose; unknown where IAM does not say. */
function lastUses(deps: Deps, ks: { id: string }[]): Promise<(LastUse | undefined)[]> {
  return Promise.all(ks.map((k) => deps.keys.lastUse(k.id).catch(() => undefined)))
}

/** The action must not retire the key it signs its own IAM calls with. */
function guardAdminKey(
  deps: Deps,
  plan: Extract<Plan, { kind: 'idle' | 'rotate' }>,
  fail: (s: Stop) => never
): void {
  const retiring = [
    plan.unretired?.key,
    ...(plan.kind === 'rotate' ? [plan.current, plan.lost?.key] : [])
  ]
  if (deps.adminKeyId && retiring.some((k) => k?.id === deps.adminKeyId)) {
    fail({ stop: 'admin-key', key: deps.adminKeyId })
  }
}
