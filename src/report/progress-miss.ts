/** Why the new key did not certainly reach a target (rotation/aftermath.ts's `Miss`), in words. */
import type { Miss } from '../rotation/aftermath.js'
import { own } from './failure-parts.js'

/** GitHub's answer, without its closing full stop; none when it gave none. */
const answer = (e: unknown): string =>
  ((e as Error | undefined)?.message === undefined ? 'no answer' : own(e)).replace(/\.$/, '')

export function missWords(m: Miss): string {
  switch (m.miss) {
    case 'refused':
      return answer(m.error)
    case 'no-old':
      return `${answer(m.error)}; ${m.target} has no old key to go back to`
    case 'not-back':
      return `${answer(m.error)}; putting ${m.name} back to ${m.key} failed too (${answer(m.again)})`
    case 'unseen': {
      const unseen = m.unseen === undefined ? 'either write' : `the write of ${m.unseen}`
      return `${answer(m.error)}; GitHub's record does not show ${unseen} yet`
    }
    case 'stopped':
      return 'the run stopped while writing it'
  }
}
