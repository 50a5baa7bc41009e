/** Why the plan rotates a user or not (rotation/plan.ts's `Reason`), in words. */
import type { Reason } from '../rotation/plan.js'

/** A day as the reason says it: `YYYY-MM-DD` (UTC). */
const dayOf = (d: Date): string => d.toISOString().slice(0, 10)

export function reasonWords(r: Reason): string {
  switch (r.why) {
    case 'lost':
      return r.reached
        ? `key ${r.key} reached only some targets in an earlier run, and its secret is gone with that run`
        : `key ${r.key} was created by a run that ended before publishing it, and its secret is lost`
    case 'no-key':
      return 'the user has no Active key'
    case 'rewrite':
      return 'an earlier run recovered a lost key and ended before every target held a working key again'
    case 'force':
      return "'force' is set"
    case 'every-run':
      return 'every run rotates (max-age-days is 0)'
    case 'age':
      return `key ${r.key} is ${r.days} days old (max-age-days is ${r.maxAgeDays})`
    case 'not-due': {
      const age = `key ${r.key} is ${r.days} days old`
      return `${age}; it is due on ${dayOf(r.due)} (max-age-days is ${r.maxAgeDays})`
    }
  }
}
