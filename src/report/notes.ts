/**
 * What a person should know about one user's run beyond the table row, as plain sentences: the
 * summary escapes them. Said from the outcome's facts: the plan's reason, what was finished,
 * deleted, retired or recovered.
 */
import type { UserResult } from '../fleet.js'
import type { Outcome } from '../rotation/index.js'
import { DAY_MS } from '../rotation/day.js'
import { statusOf, type Status } from './tally.js'
import { describePlan } from './dry-run.js'
import { reasonWords } from './reason.js'

/** What a dry run cannot prove. */
const DRY_RUN_LIMITS = [
  "It read the user, its keys and each target's public key with this token;",
  'it cannot check that the token may write the secrets (GitHub has no dry-run write),',
  'so a real run can still fail there, before the old key is touched.'
].join(' ')

const WHILE_WRITING = 'while writing secrets, as GitHub asked.'

/**
 * Why the user was rotated or not. A plan's reason to rotate never explains a user that was not
 * rotated: that one gets what stopped it.
 */
function decisionNote(result: UserResult): string | undefined {
  const o = result.outcome
  if (!o.reason) return undefined
  const reason = reasonWords(o.reason)
  if (o.rotated) return `Rotated: ${reason}.`
  if (o.decision === 'idle') return `Not rotated: ${reason}.`
  const stopped: Partial<Record<Status, string>> = {
    failed: 'the rotation failed; what happened is below',
    'dry-run': 'this is a dry run',
    held: [
      'the key an earlier rotation replaced is still Active for running deploys,',
      'so IAM has no room for a new key; a later run retires it, then rotates'
    ].join(' ')
  }
  const why = stopped[statusOf(result)]
  return `Planned to rotate: ${reason}.${why ? ` Not rotated: ${why}.` : ''}`
}

/** What a run finished for an earlier one, about the key that run replaced. */
const finished = (f: NonNullable<Outcome['finished']>): string =>
  'retired' in f
    ? `retired ${f.retired}, which an earlier run replaced but did not retire`
    : `kept ${f.kept} Active: workflow runs may still sign with it`

/** What a person should know about one user's run beyond the table row. */
export function notesFor(result: UserResult): string[] {
  const o = result.outcome
  const notes: string[] = []
  const decided = decisionNote(result)
  if (decided) notes.push(decided)
  if (o.plan) {
    const would = describePlan(o.plan.plan, o.plan.req).join('; ')
    notes.push(`Dry run, nothing changed. The run would: ${would}.`, DRY_RUN_LIMITS)
  }
  if (o.rateLimitWaitMs)
    notes.push(
      `Waited ${Math.ceil(o.rateLimitWaitMs / 1000)} s in all for GitHub's rate limits ${WHILE_WRITING}`
    )
  if (o.targetsChanged)
    notes.push(
      [
        'The list of targets changed since this workflow published the previous key:',
        'check that no target that left the list still needs it.'
      ].join(' ')
    )
  if (o.otherWorkflow)
    notes.push(
      [
        `The current key was published by another workflow of this repository (${o.otherWorkflow});`,
        'one repository may rotate a user from several workflows.'
      ].join(' ')
    )
  if (o.stranger) {
    const use = o.stranger.lastUse?.date
      ? `last used ${o.stranger.lastUse.date.toISOString()}`
      : o.stranger.lastUse
        ? 'never used'
        : 'last use unknown'
    notes.push(
      [
        `Left alone: ${o.stranger.id} (created ${o.stranger.created.toISOString()}, ${use})`,
        "is Active beside the key the action published, and the action's records do not account for it:",
        'a key made by hand, or for a consumer outside GitHub. The action never retires it;',
        'when a rotation is due, the run stops until one of the two keys is deactivated.'
      ].join(' ')
    )
  }
  if (o.reactivated)
    notes.push(
      [
        `${o.reactivated.id} was re-activated after the action deactivated it:`,
        `it stays Active until its grace period ends on ${o.reactivated.until}.`
      ].join(' ')
    )
  if (o.finished) notes.push(`Finished an earlier run's work: ${finished(o.finished)}.`)
  if (o.cleared.length > 0) notes.push(`Deleted first: ${o.cleared.join(', ')}.`)
  if (o.old) {
    const age = Math.floor((Date.now() - o.old.created.getTime()) / DAY_MS)
    const use = o.old.lastUse?.date
      ? `last used ${o.old.lastUse.date.toISOString()}${o.old.lastUse.service ? ` (${o.old.lastUse.service})` : ''}`
      : o.old.lastUse
        ? 'never used'
        : 'last use unknown'
    const next = o.old.deleteAfter
      ? ` A run on or after ${o.old.deleteAfter} deletes it; until then it can be re-activated if a deploy breaks.`
      : ''
    notes.push(`Old key ${o.old.id}: ${age} days old, ${use}, ${o.old.fate}.${next}`)
  }
  if (o.recovery) {
    const affected = o.recovery.affected
      .map(
        (a) =>
          `${a.target} (${a.windowMs === undefined ? 'not rewritten' : `${(a.windowMs / 1000).toFixed(1)} s`})`
      )
      .join(', ')
    notes.push(
      [
        `Recovered ${o.recovery.lostKey}, which an earlier run did not get into every target:`,
        `deleted ${o.recovery.deleted}; ${affected || 'no target'} had no working key until the new one was written.`
      ].join(' ')
    )
  }
  return notes
}
