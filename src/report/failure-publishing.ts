/**
 * The message of a publication that stopped: what each target holds, as GitHub confirmed or
 * not, what the run undid or recorded, and how the next run finishes it.
 */
import type { Aftermath, Missed } from '../rotation/aftermath.js'
import {
  AGAIN,
  deletedBefore,
  leaseNote,
  own,
  sentences,
  stillWorks,
  undoneNote,
  why
} from './failure-parts.js'
import { missWords } from './progress-miss.js'
import { holds } from './target-list.js'

type Publishing = Extract<Aftermath, { at: 'publishing' }>

const REFUSED_NEXT = [
  "Give the token or App write access to that target's secrets",
  '(an archived repository must be unarchived first), or remove it from the targets,',
  'then run the workflow again.'
].join(' ')

const FINISH_NEXT = [
  'Run the workflow again (due or not, it finishes this):',
  "it repairs any target in doubt from GitHub's record, then completes the rotation."
].join(' ')

/** After "Make <targets> writable": how, and what the next run does then. */
const UNBLOCK = [
  '(unarchive it, or give the token or App write access to its secrets) or remove it from the',
  'targets, then run the workflow again; the next run says what it can finish.'
].join(' ')

const READS_GITHUB = "the next run reads GitHub's record of each secret instead."

/** What a target in doubt may hold, and until when. */
const MIXED =
  "may hold a mixed pair of the two keys until the next run reads GitHub's record and repairs it"

const missed = (ms: Missed[]): string =>
  ms.map((m) => `${m.target} (${missWords(m.why)})`).join('; ')

/** The failure in words, unless it is only that the key did not reach every target. */
function causeLines(a: Publishing): string[] {
  if (a.cause.kind === 'not-everywhere') return []
  const doing = a.tried ? `recording that ${a.key} reached every target` : 'writing secrets'
  return [why(a.cause.error, doing)]
}

/** Who holds which key when both stay Active, one clause per kind of holder. */
function holdersClauses(a: Publishing): string[] {
  const oldKey = a.old ? `the old key ${a.old}` : 'no working key'
  const clauses = [
    a.written.length
      ? `${a.written.join(', ')} ${holds(a.written)} the new key ${a.key}, as GitHub confirmed`
      : `no target certainly holds the new key ${a.key}`
  ]
  if (a.refused.length) {
    const keep = a.refused.length === 1 ? 'that target keeps' : 'they keep'
    clauses.push(`GitHub refused it for good at ${missed(a.refused)}: ${keep} ${oldKey}`)
  }
  if (a.doubt.length) {
    const each = a.doubt.length === 1 ? 'it' : 'each'
    clauses.push(
      `${missed(a.doubt)}: GitHub did not say whether the write landed, so ${each} ${MIXED}`
    )
  }
  if (a.holdOld.length) {
    clauses.push(`${a.holdOld.join(', ')} still ${holds(a.holdOld)} ${oldKey}`)
  }
  return clauses
}

/** What a person reads after a publication that stopped. */
export function publishingMessage(a: Publishing): string {
  const p = a.publication
  if (p.left === 'undone') {
    const refusedAll = a.refused.length
      ? `GitHub refused it for good at ${missed(a.refused)}, before anything was written there.`
      : undefined
    return [
      ...causeLines(a),
      sentences('Writing secrets failed.', refusedAll),
      sentences(
        undoneNote(a.user, a.key, p.undone),
        `No target holds it${deletedBefore(a.cleared)}; ${stillWorks(a.old)}.`,
        a.refused.length ? REFUSED_NEXT : AGAIN
      )
    ].join('\n')
  }
  if (p.left === 'everywhere') {
    const last = sentences(
      `Every target holds the new key ${a.key}, as GitHub confirmed, and both keys stay Active;`,
      'only the mark saying so failed.',
      leaseNote(p.lease),
      `Run the workflow again: the next run finds every target holding ${a.key} and completes the rotation.`
    )
    return [...causeLines(a), last].join('\n')
  }
  const recorded =
    p.recorded === true
      ? undefined
      : `Recording this on ${a.key} failed too (${own(p.recorded.error)}): ${READS_GITHUB}`
  const refusedNames = a.refused.map((m) => m.target).join(', ')
  const next = a.refused.length ? `Make ${refusedNames} writable ${UNBLOCK}` : FINISH_NEXT
  const last = sentences(
    `Both access keys stay Active and neither is deleted: ${holdersClauses(a).join('; ')}.`,
    recorded,
    leaseNote(p.lease),
    next
  )
  return [...causeLines(a), last].join('\n')
}
