/**
 * The pieces every failure message is built from: the cause in words, where the lease stands,
 * what became of the new key, and the advice that ends a message.
 */
import type { Lease, Undone } from '../rotation/aftermath.js'
import { awsWords } from './aws-words.js'
import { explainAws } from './messages.js'
import { rotationWords } from './rotation-errors.js'
import { githubWords } from './github.js'

/** Why a step failed, in words: an AWS error with its fix; the action's own errors as they say. */
export const why = (e: unknown, doing: string): string =>
  (e as { $metadata?: unknown }).$metadata ? explainAws(e, doing) : own(e)

/** The error's own words, for the action's errors that say everything themselves. */
export const own = (e: unknown): string =>
  rotationWords(e) ?? awsWords(e) ?? githubWords(e) ?? (e as Error).message

/** Sentences in a row, those not said left out. */
export const sentences = (...parts: (string | undefined)[]): string =>
  parts.filter((p) => p !== undefined && p !== '').join(' ')

export const AGAIN = [
  'Run the workflow again (a re-run of this job takes over at once);',
  'if it keeps failing, check the AWS and GitHub status pages.'
].join(' ')

export const CONTENDED = [
  'Another run is rotating this user: let it finish,',
  "and give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping."
].join(' ')

/** The keys deleted before the failure, as a clause; nothing when there were none. */
export const deletedBefore = (cleared: string[]): string =>
  cleared.length ? `; deleted before: ${cleared.join(', ')}` : ''

/** A key that still works, or that none does. */
export const stillWorks = (old: string | undefined): string =>
  `${old ?? 'no other key'} still works`

/** Only a lease that could not be released needs a word: the next run waits for it. */
export function leaseNote(l: Lease): string | undefined {
  if (l.lease !== 'stuck') return undefined
  return sentences(
    `Releasing this run's lease failed too (${own(l.releaseError)}):`,
    `another run waits until ${l.until.toISOString()},`,
    'or a re-run of this workflow run takes over at once.'
  )
}

/** What became of the new key nobody holds, and of the lease with it. */
export function undoneNote(user: string, key: string, u: Undone): string {
  if (u.lease === 'yielded') {
    return u.newKey === 'deleted'
      ? `This run deleted its own new key ${key} and left the user to the other run.`
      : `Deleting this run's new key ${key} failed (${own(u.error)}): the next run finds and deletes it.`
  }
  if (u.newKey === 'deleted')
    return sentences(`The new key ${key} was deleted again.`, leaseNote(u))
  const command = `aws iam delete-access-key --user-name ${user} --access-key-id ${key}`
  return sentences(
    `Deleting the new key ${key} failed too (${own(u.error)}):`,
    `the next run deletes it, or delete it with '${command}'.`,
    leaseNote(u)
  )
}
