/** The users a run rotates, each with where its key goes, and the checks that span them. */
import { describe, scopeKey, type Target } from '../github/targets.js'
import { quote } from './quote.js'
import type { UserAccount } from './aws-account.js'
import type { UserSettings } from './user-settings.js'
import type { SecretNames } from '../rotation/job.js'

/** One IAM user to rotate and every place its key goes. */
export interface UserSpec {
  userName: string
  targets: Target[]
  secretNames: SecretNames
  /** The manifest's `max-age-days` and `grace-period-days` for this user; the inputs' otherwise. */
  settings?: UserSettings
  /** The manifest's `role-to-assume` and `aws-region` for this user; the inputs' otherwise. */
  account?: UserAccount
  /** Where the user was declared, e.g. `rotation.yml:4:5`, for messages. */
  source?: string
}

const IAM_USER_NAME = /^[\w+=,.@-]{1,64}$/

/**
 * Why `name` is not a valid GitHub secret name, or undefined when it is. GitHub's rules: letters,
 * digits and underscores only, not starting with a digit or `GITHUB_` (case-insensitive).
 */
export function secretNameProblem(name: string): string | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'may contain only letters, digits and underscores'
  if (/^[0-9]/.test(name)) return 'must not start with a digit'
  if (/^GITHUB_/i.test(name)) return "must not start with 'GITHUB_' (GitHub reserves that prefix)"
  return undefined
}

/** Problems that only show across fields or users: names, duplicates, two users in one secret. */
export function checkUsers(users: UserSpec[]): string[] {
  const problems: string[] = []
  const at = (u: UserSpec): string => (u.source ? ` (${u.source})` : '')
  // A name is quoted until it has passed: it may be anything a manifest holds, line breaks too.
  const shown = (u: UserSpec): string =>
    IAM_USER_NAME.test(u.userName) ? u.userName : quote(u.userName)
  // IAM user names are unique case-insensitively: `deploy` and `DEPLOY` are one user, and two
  // entries for it would rotate its key twice at once.
  const seen = new Map<string, UserSpec>()
  // GitHub secret names are case-insensitive: one secret per scope and upper-cased name.
  const writers = new Map<string, UserSpec>()
  for (const user of users) {
    const name = shown(user)
    if (name !== user.userName) {
      problems.push(
        `'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got ${name}${at(user)}`
      )
    }
    const other = seen.get(user.userName.toLowerCase())
    if (other) {
      const as =
        other.userName === user.userName
          ? ''
          : ` (as ${shown(other)}: IAM user names are case-insensitive, so both are one user)`
      problems.push(
        `IAM user ${name} is listed twice${as}${at(other)}${at(user)}: list it once, with every target`
      )
    } else seen.set(user.userName.toLowerCase(), user)
    if (user.targets.length === 0) problems.push(`IAM user ${name} has no target${at(user)}`)
    const { accessKeyId, secretAccessKey } = user.secretNames
    if (accessKeyId.toUpperCase() === secretAccessKey.toUpperCase()) {
      problems.push(
        `the two secret names of ${name} must differ (GitHub secret names are case-insensitive), both are ${quote(accessKeyId)}${at(user)}`
      )
    }
    for (const target of user.targets) {
      for (const secret of [accessKeyId, secretAccessKey]) {
        const key = `${scopeKey(target)}#${secret.toUpperCase()}`
        const writer = writers.get(key)
        if (writer && writer !== user) {
          problems.push(
            `${shown(writer)}${at(writer)} and ${name}${at(user)} would both write secret ${secret.toUpperCase()} in ${describe(target)}: give one of them other secret names`
          )
        }
        writers.set(key, user)
      }
    }
  }
  return problems
}
