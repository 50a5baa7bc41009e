/**
 * The outcome, folded from the facts the machine learns: what a state carries and what a failure
 * left (aftermath.ts) go into the outputs and the summary here, not in the steps that learned them.
 */
import { describe } from '../github/targets.js'
import type { Aftermath } from './aftermath.js'
import type { State } from './states.js'
import type { Outcome } from './types.js'

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
