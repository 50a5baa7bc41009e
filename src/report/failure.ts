/**
 * What a person reads when the rotation fails: one message per state it failed in, said from the
 * facts failures.ts gathered (rotation/aftermath.ts): what happened, what holds now, the next step.
 */
import { contended, type Aftermath } from '../rotation/aftermath.js'
import {
  AGAIN,
  CONTENDED,
  deletedBefore,
  leaseNote,
  own,
  sentences,
  stillWorks,
  undoneNote,
  why
} from './failure-parts.js'
import { publishingMessage } from './failure-publishing.js'
import { Stale } from '../rotation/create.js'

type At<S extends Aftermath['at']> = Extract<Aftermath, { at: S }>

/** The message of a failure: byte for byte what the machine tests, e2e tests and fault matrix read. */
export function failureMessage(a: Aftermath): string {
  switch (a.at) {
    case 'planned':
      return planned(a)
    case 'leased':
      return leased(a)
    case 'created':
      return created(a)
    case 'verified':
      return [
        why(a.cause.error, 'starting to write secrets'),
        sentences(
          undoneNote(a.user, a.key, a.undone),
          `No target was changed${deletedBefore(a.cleared)}.`,
          AGAIN
        )
      ].join('\n')
    case 'publishing':
      return publishingMessage(a)
    case 'published':
      return published(a)
    case 'draining':
      return draining(a)
  }
}

function planned(a: At<'planned'>): string {
  const none = `No key was created${deletedBefore(a.cleared)}.`
  // A refusal to take a key from a target says itself what a person must do.
  if (a.cause.kind === 'still-held') return [own(a.cause.error), none].join('\n')
  const doing = 'finishing earlier runs and making room for a new key'
  return [why(a.cause.error, doing), sentences(none, AGAIN)].join('\n')
}

function leased(a: At<'leased'>): string {
  const kept = `No new key was kept and no target was changed${deletedBefore(a.cleared)}`
  return [
    why(a.cause.error, `creating a new access key for ${a.user}`),
    sentences(
      `${kept}; ${stillWorks(a.old)}.`,
      leaseNote(a.lease),
      contended(a.cause) ? CONTENDED : AGAIN
    )
  ].join('\n')
}

/** Whether the old key still works; nothing when IAM showed it gone: a key retired first works nowhere. */
function oldWorks(a: At<'created'>): string {
  const gone =
    a.cause.kind === 'old-gone' || (a.cause.error instanceof Stale && a.cause.error.oldGone)
  return gone ? '' : `; ${stillWorks(a.old)}`
}

function created(a: At<'created'>): string {
  const undone = undoneNote(a.user, a.key, a.undone)
  const unchanged = `No target was changed${deletedBefore(a.cleared)}${oldWorks(a)}.`
  if (a.cause.kind === 'stale') {
    const next = 'Run the workflow again: it plans from a fresh read.'
    return [`${own(a.cause.error)}.`, sentences(undone, unchanged, next)].join('\n')
  }
  const e = a.cause.error
  const what =
    a.cause.kind === 'cancelled'
      ? own(e)
      : contended(a.cause)
        ? why(e, 'checking the user after the create')
        : `Verification failed: ${why(e, 'verifying the new key')}`
  const next = contended(a.cause) ? CONTENDED : AGAIN
  return [what, sentences(undone, unchanged, next)].join('\n')
}

function published(a: At<'published'>): string {
  const after = [leaseNote(a.lease), cleanUp(a)]
  if (a.cause.kind === 'cancelled') {
    return sentences(
      `${own(a.cause.error)}; ${a.old ?? 'no old key'} was not retired yet.`,
      ...after
    )
  }
  return [
    why(a.cause.error, `retiring the old key ${a.old ?? ''}`),
    sentences(
      `The new key ${a.key} is verified and in every target; only the old key's clean-up failed.`,
      ...after
    )
  ].join('\n')
}

/** What the next run does about an old key whose retirement stopped halfway. */
function cleanUp(a: At<'published'>): string {
  const old = a.retiring
  // Deactivated, not deleted: an Inactive key nobody can use, deleted when a rotation needs room.
  if (old?.fate === 'deactivated' && a.deletesInactive) {
    const command = `aws iam delete-access-key --user-name ${a.user} --access-key-id ${old.id}`
    return sentences(
      `${old.id} is Inactive, so nothing can sign with it:`,
      `the next rotation deletes it to make room, or delete it now with '${command}'.`
    )
  }
  if (old?.fate === 'deleted') return `${old.id} is deleted; the next run clears its mark.`
  return 'Run the workflow again: it finishes the clean-up.'
}

function draining(a: At<'draining'>): string {
  const e = a.cause.error
  const what =
    a.cause.kind === 'cancelled'
      ? own(e)
      : why(e, 'waiting for workflow runs that may hold the old key')
  const old = a.old ?? 'the old key'
  const runs = a.runs.map((r) => `${r.repo} run ${r.id}`).join(', ')
  return [
    `${what}.`,
    sentences(
      `The new key ${a.key} is verified and in every target;`,
      `${old} stays Active, because ${runs} may still sign with it.`,
      leaseNote(a.lease),
      `Run the workflow again (due or not): it retires ${old} once those runs have ended, without writing any target.`
    )
  ].join('\n')
}
