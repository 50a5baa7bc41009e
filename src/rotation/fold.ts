/**
 * The outcome, folded from the facts the machine learns: what a state carries, what the steps
 * recorded (facts.ts) and what a failure left (aftermath.ts) go into the outputs and the summary
 * here, not in the steps that learned them.
 */
import { describe } from '../github/targets.js'
import type { Aftermath } from './aftermath.js'
import type { Fact } from './facts.js'
import type { Plan } from './plan.js'
import type { LastUse } from '../aws/key-data.js'
import type { State } from './states.js'
import type { Outcome } from './types.js'

/**
 * What the plan found, for the outcome: the decision and why, when the user is due, who else
 * published its key, and the keys it leaves alone (a stranger's with its last use, if IAM said).
 */
export function foldPlan(
  outcome: Outcome,
  plan: Extract<Plan, { kind: 'idle' | 'rotate' }>,
  strangerUse?: LastUse
): void {
  outcome.decision = plan.kind
  outcome.reason = plan.reason
  if (plan.due) outcome.nextDue = plan.due
  outcome.targetsChanged = plan.targetsChanged || undefined
  if (plan.otherWorkflow) outcome.otherWorkflow = plan.otherWorkflow
  if (plan.reactivated) {
    const { key, until } = plan.reactivated
    outcome.reactivated = { id: key.id, until: until.toISOString().slice(0, 10) }
  }
  if (plan.stranger) {
    const s = plan.stranger
    outcome.stranger = {
      id: s.id,
      created: s.created,
      ...(strangerUse ? { lastUse: strangerUse } : {})
    }
  }
}

/**
 * What the state a step reached (from `was`) says for the outcome: the new key once, how soon it
 * verified, each target it reached, and, once published, that the user rotated and when it is due.
 */
export function foldState(outcome: Outcome, s: State, was: State): void {
  if (s.at === 'created') outcome.newKeyId = s.key.id
  if (s.at === 'verified') outcome.verifiedAfterMs = s.afterMs
  if (s.at === 'publishing' && was.at === 'publishing' && s.written.length > was.written.length) {
    outcome.written.push(...s.written.slice(was.written.length).map((w) => describe(w.p.target)))
  }
  if (s.at === 'published') {
    outcome.rotated = true
    if (s.due) outcome.nextDue = s.due
  }
}

/** What a failure leaves in the outcome: the new key undone, who holds what, runs still holding. */
export function foldFailure(outcome: Outcome, a: Aftermath): void {
  if (a.at === 'created' || a.at === 'verified') outcome.newKeyId = undefined
  if (a.at === 'publishing') {
    outcome.holders = {
      refused: a.refused.map((m) => m.target),
      doubt: a.doubt.map((m) => m.target),
      old: a.holdOld
    }
    if (a.publication.left === 'undone') outcome.newKeyId = undefined
  }
  if (a.at === 'draining') {
    outcome.inFlight = { fate: 'held', runs: a.runs, waitedMs: a.waitedMs }
  }
}

/**
 * What the steps recorded, in order, folded once at the end of the run (or of its failure): a
 * later fact about the old key or the in-flight runs replaces an earlier one, as it happened.
 */
export function foldFacts(outcome: Outcome, facts: readonly Fact[]): void {
  for (const f of facts) foldFact(outcome, f)
}

function foldFact(outcome: Outcome, f: Fact): void {
  const old = outcome.old
  switch (f.kind) {
    case 'cleared':
      outcome.cleared.push(f.id)
      return
    case 'old':
      outcome.old = { id: f.id, created: f.created, fate: 'kept' }
      return
    case 'deactivated':
    case 'deleted':
      if (old) old.fate = f.kind
      return
    case 'deleteAfter':
      if (old) old.deleteAfter = f.day
      return
    case 'lastUse':
      if (old) old.lastUse = f.use
      return
    case 'inFlight': {
      const { kind: _, ...inFlight } = f
      outcome.inFlight = inFlight
      return
    }
    case 'finished':
      outcome.finished = f.finished
      return
    case 'recovery':
      outcome.recovery = {
        lostKey: f.lostKey,
        deleted: f.deleted,
        affected: f.affected.map((target) => ({ target }))
      }
      return
    case 'window': {
      const affected = outcome.recovery?.affected.find((a) => a.target === f.target)
      if (affected) affected.windowMs = f.ms
      return
    }
    case 'rateLimitWait':
      outcome.rateLimitWaitMs = (outcome.rateLimitWaitMs ?? 0) + f.ms
      return
    case 'stranger':
      outcome.stranger = { id: f.id, created: f.created }
      return
  }
}
