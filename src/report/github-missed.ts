/**
 * Why the new key did not certainly reach a target, in words: GitHub's error as the report says
 * it, and what followed (src/rotation/publish.ts records which).
 */
import type { MissedWhy } from '../rotation/aftermath.js'
import { own } from './failure-parts.js'

/** An error's words without the closing full stop, to go inside a sentence; none: no answer. */
const inline = (e: unknown): string =>
  ((e === undefined ? undefined : own(e)) ?? 'no answer').replace(/\.$/, '')

/** Why `target` (by name) missed the new key. */
export function missedWords(why: MissedWhy, target: string): string {
  if ('stopped' in why) return 'the run stopped while writing it'
  const said = inline(why.error)
  if (why.noOld) return `${said}; ${target} has no old key to go back to`
  if (why.putBack) {
    const { idName, oldId, error } = why.putBack
    return `${said}; putting ${idName} back to ${oldId} failed too (${inline(error)})`
  }
  if (why.unseen) {
    const [one] = why.unseen
    const unseen = why.unseen.length === 1 ? `the write of ${one}` : 'either write'
    return `${said}; GitHub's record does not show ${unseen} yet`
  }
  return said
}
