/**
 * What a person reads when rotate() stops: the facts of rotation/stop.ts in words, byte for byte
 * what the machine tests, e2e tests and fault matrix read.
 */
import type { Refusal } from '../rotation/plan.js'
import type { Stop } from '../rotation/stop.js'
import type { LastUse } from '../aws/key-data.js'
import { budgetWords } from './budget.js'
import { failureMessage } from './failure.js'
import { runsBlockedWords } from './github-runs.js'
import { own, why } from './failure-parts.js'
import { busy, explainAws, otherOwner, strangerKey, tagQuota, twoActiveKeys } from './messages.js'

/** What holds after a failure before any change: the user as the run found it. */
const unchanged = (user: string): string =>
  `Nothing was changed for IAM user ${user}: its keys and every target are as they were.`

const ADMIN_KEY = [
  'a key this run would retire.',
  "Give it other credentials: 'role-to-assume' (recommended) or another user's key."
].join(' ')

/** The message of a stopped rotation. */
export function stopMessage(s: Stop): string {
  switch (s.stop) {
    case 'read': {
      const doing = `reading IAM user ${s.user} and its keys`
      return `${explainAws(s.error, doing, true)}\n${unchanged(s.user)}`
    }
    case 'busy':
      return busy(s.user, s.intent, s.now)
    case 'refused':
      return refusal(s.user, s.refusal, s.uses, s.now)
    case 'budget':
      return budgetWords(s.refusal)
    case 'runs':
      return runsBlockedWords(s.blocked)
    case 'unready':
      return `${own(s.error)}\n${unchanged(s.user)}`
    case 'admin-key':
      return `The action is signing its IAM calls with ${s.key}, ${ADMIN_KEY}`
    case 'cancelled':
      return 'Cancelled before any change; nothing was changed.'
    case 'housekeeping':
      return why(s.error, 'finishing what an earlier run left')
    case 'machine':
      return failureMessage(s.aftermath)
  }
}

/** The message for a refused plan; two Active keys come with their last use, to help choose. */
function refusal(user: string, r: Refusal, uses: (LastUse | undefined)[], now: number): string {
  switch (r.why) {
    case 'tags':
      return tagQuota(user, r.own)
    case 'owner':
      return otherOwner(user, r.key, r.theirs, r.ours)
    case 'two-active':
      return twoActiveKeys(user, r.keys, uses, now)
    case 'stranger':
      return strangerKey(user, r.current, r.stranger, uses, now, r.reactivated)
  }
}
