/** The users a run rotates, each with where its key goes, and the checks that span them. */
import { describe, scopeKey, type Target } from './github/targets.js'

export interface SecretNames {
  accessKeyId: string
  secretAccessKey: string
}

/** One IAM user to rotate and every place its key goes. */
export interface UserSpec {
  userName: string
  targets: Target[]
  secretNames: SecretNames
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
  const seen = new Map<string, UserSpec>()
  // GitHub secret names are case-insensitive: one secret per scope and upper-cased name.
  const writers = new Map<string, UserSpec>()
  for (const user of users) {
    if (!IAM_USER_NAME.test(user.userName)) {
      problems.push(
        `'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got '${user.userName}'${at(user)}`
      )
    }
    const other = seen.get(user.userName)
    if (other) problems.push(`IAM user ${user.userName} is listed twice${at(other)}${at(user)}`)
    seen.set(user.userName, user)
    if (user.targets.length === 0)
      problems.push(`IAM user ${user.userName} has no target${at(user)}`)
    const { accessKeyId, secretAccessKey } = user.secretNames
    if (accessKeyId.toUpperCase() === secretAccessKey.toUpperCase()) {
      problems.push(
        `the two secret names of ${user.userName} must differ (GitHub secret names are case-insensitive), both are '${accessKeyId}'${at(user)}`
      )
    }
    for (const target of user.targets) {
      for (const name of [accessKeyId, secretAccessKey]) {
        const key = `${scopeKey(target)}#${name.toUpperCase()}`
        const writer = writers.get(key)
        if (writer && writer !== user) {
          problems.push(
            `${writer.userName}${at(writer)} and ${user.userName}${at(user)} would both write secret ${name.toUpperCase()} in ${describe(target)}: give one of them other secret names`
          )
        }
        writers.set(key, user)
      }
    }
  }
  return problems
}
