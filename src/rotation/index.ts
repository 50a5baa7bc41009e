/**
 * Rotate one user: read (the user, its keys and marks, every target, side by side), decide
 * (plan.ts), then carry the decision out (machine.ts). docs/state-machine.md tells the same story.
 */
import type * as keys from './ports.js'
import { fingerprint, INTENT_TAG } from './marks.js'
import { describe } from '../github/targets.js'
import { Failed } from './aftermath.js'
import { housekeep } from './housekeeping.js'
import { drive } from './machine.js'
import { foldFacts, foldPlan } from './fold.js'
import { plan as decide, expiredUnreleased, type Me, type Plan, type Policy } from './plan.js'
import { RotationError, type Stop } from './stop.js'
import type { Words } from './words.js'
import type { Request } from './job.js'
import { namesOf, type Ctx, type Deps, type Outcome } from './types.js'

export { RotationError }
export type { Request } from './job.js'
export type { Deps, Log, Outcome } from './types.js'
export type { Words } from './words.js'

/**
 * Rotate `req.userName`'s access key into every target, or finish what an ended run left. `words`
 * say the plan's facts in the log and the outcome.
 */
export async function rotate(deps: Deps, req: Request, words: Words): Promise<Outcome> {
  const { keys, log } = deps
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
  const { arn, plan } = await log.group(`Plan: access keys of IAM user ${user}`, async () => {
    const [info, listed] = await Promise.all([keys.getUser(user), keys.listKeys(user)]).catch(
      (error: unknown) => fail({ stop: 'read', user, error })
    )
    for (const k of listed) {
      log.info(
        `${k.id} ${k.status}, created ${k.created.toISOString()}${info.tags[k.id] ? ` (${info.tags[k.id]})` : ''}`
      )
    }
    const policy = policyOf(deps, req)
    let plan = decide(listed, info.tags, me, policy)
    if (plan.kind === 'busy' && deps.runEnded && (await deps.runEnded(plan.intent))) {
      log.info(`GitHub says run ${plan.intent.run?.id} has ended: taking over its lease`)
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
  foldPlan(outcome, plan, words.reason(plan.reason), strangerUse)
  if (plan.reactivated) {
    const { key } = plan.reactivated
    log.info(
      `${key.id} was re-activated after the action deactivated it: kept until ${outcome.reactivated?.until}`
    )
  }
  if (plan.stranger) {
    const s = plan.stranger
    const beside = `${s.id} is Active beside ${plan.current?.id ?? 'the current key'}`
    log.warning(`${beside}, and the action's records do not account for it: left alone`)
  }
  log.info(`${plan.kind === 'rotate' ? 'Rotating' : 'Not rotating'}: ${outcome.reason}`)
  if (plan.targetsChanged)
    log.info('The list of targets changed since the current key was published')
  guardAdminKey(deps, plan, fail)
  if (plan.kind === 'rotate') {
    const refused = deps.takeWrites?.(req.targets)
    if (refused) fail({ stop: 'budget', refusal: refused })
  }
  const prepared = await log
    .group(`Read the public key of ${req.targets.length} target(s)`, () => preparing)
    .catch((error: unknown) => fail({ stop: 'unready', user, error }))
  await deps.ready.catch((error: unknown) => fail({ stop: 'unready', user, error }))
  // Only a run that may retire a key needs to see the runs that hold it.
  if (plan.kind === 'rotate' || plan.unretired) {
    const missing = await checking
    if (missing) fail({ stop: 'runs', blocked: missing })
  }

  if (req.dryRun) {
    outcome.plan = words.dryRun(plan, req)
    for (const line of outcome.plan) log.info(`Dry run: ${line}`)
    return outcome
  }
  if (deps.cancelled()) fail({ stop: 'cancelled' })

  const ctx: Ctx = { deps, req, words, facts: [], arn, prepared, fingerprint: me.targets }
  if (plan.kind === 'rotate') {
    // Words at the edge: the machine says what a failure left, the report says it to a person.
    await drive(ctx, plan, outcome).catch((e: unknown) => {
      if (!(e instanceof Failed)) throw e
      fail({ stop: 'machine', aftermath: e.aftermath })
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
      .catch((e: unknown) =>
        log.warning(`Forgetting an earlier run's intent failed: ${(e as Error).message}`)
      )
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
function lastUses(deps: Deps, ks: { id: string }[]): Promise<(keys.LastUse | undefined)[]> {
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
