/**
 * The problems that span users, in words: a bad name, a user listed twice, no target, two users
 * writing one secret. A user's name is quoted until it is a valid IAM user name: it may be
 * anything a manifest holds, line breaks too.
 */
import { describe } from '../github/targets.js'
import { quote } from '../inputs/quote.js'
import { isIamUserName, type Declared, type UserProblem } from '../inputs/users.js'

const shown = (user: string): string => (isIamUserName(user) ? user : quote(user))
/** Where the user is declared, as a clause; nothing for the inputs' own user. */
const at = (d: Declared): string => (d.source ? ` (${d.source})` : '')

export function userWords(p: UserProblem): string {
  const name = shown(p.user)
  switch (p.kind) {
    case 'user-name':
      return `'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got ${name}${at(p)}`
    case 'user-twice': {
      const as =
        p.first.user === p.user
          ? ''
          : ` (as ${shown(p.first.user)}: IAM user names are case-insensitive, so both are one user)`
      return `IAM user ${name} is listed twice${as}${at(p.first)}${at(p)}: list it once, with every target`
    }
    case 'user-no-target':
      return `IAM user ${name} has no target${at(p)}`
    case 'secret-names-same':
      return [
        `the two secret names of ${name} must differ (GitHub secret names are case-insensitive),`,
        `both are ${quote(p.secret)}${at(p)}`
      ].join(' ')
    case 'secret-shared':
      return [
        `${shown(p.writer.user)}${at(p.writer)} and ${name}${at(p)}`,
        `would both write secret ${p.secret} in ${describe(p.target)}:`,
        'give one of them other secret names'
      ].join(' ')
  }
}
