/**
 * The outcome, folded from the facts the machine learns: what a failure left (aftermath.ts)
 * goes into the outputs and the summary here, not in the steps that learned it.
 */
import type { Aftermath } from './aftermath.js'
import type { Outcome } from './types.js'

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
