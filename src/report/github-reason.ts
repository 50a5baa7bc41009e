/**
 * Why a GitHub request failed, in words that never quote a credential (src/github/errors.ts
 * keeps only GitHub's answer, or the kind of a local failure), and how long GitHub asks to wait.
 */
import type { Reason } from '../github/errors.js'

export function reasonWords(r: Reason): string {
  switch (r.kind) {
    case 'answered':
      return `${r.status}: ${r.message}`
    case 'header':
      return 'not sent: a credential holds a character HTTP headers refuse'
    case 'timeout':
      return 'no response: timed out'
    case 'unanswered':
      return r.code ? `no response: ${r.code}` : 'no response'
  }
}

/** A wait, for messages: "3 s", "2 min", "2 h 5 min". */
export function wait(ms: number): string {
  const s = Math.ceil(ms / 1000)
  if (s < 120) return `${s} s`
  const min = Math.ceil(s / 60)
  return min < 120 ? `${min} min` : `${Math.floor(min / 60)} h ${min % 60} min`
}
