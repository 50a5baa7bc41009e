/** The users a run rotates, each with where its key goes, and the checks that span them. */
import { scopeKey, type Target } from '../github/targets.js'
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

/** Whether `name` is an IAM user name: a message quotes a name until it is one. */
export const isIamUserName = (name: string): boolean => IAM_USER_NAME.test(name)

/** The rule of GitHub's a secret name breaks. */
export type SecretNameRule = 'characters' | 'digit' | 'reserved'

/**
 * Why `name` is not a valid GitHub secret name, or undefined when it is. GitHub's rules: letters,
 * digits and underscores only, not starting with a digit or `GITHUB_` (case-insensitive).
 */
export function secretNameProblem(name: string): SecretNameRule | undefined {
  if (!/^[A-Za-z0-9_]+$/.test(name)) return 'characters'
  if (/^[0-9]/.test(name)) return 'digit'
  if (/^GITHUB_/i.test(name)) return 'reserved'
  return undefined
}

/** A user as a problem names it: its name as written, and where it was declared. */
export interface Declared {
  user: string
  source?: string
}

/** A problem that only shows across fields or users, as facts. */
export type UserProblem =
  | ({ kind: 'user-name' } & Declared)
  /** `first` was listed before, under this name or another case of it. */
  | ({ kind: 'user-twice'; first: Declared } & Declared)
  | ({ kind: 'user-no-target' } & Declared)
  | ({ kind: 'secret-names-same'; secret: string } & Declared)
  /** `writer` and this user would both write `secret` (upper-cased) in `target`. */
  | ({ kind: 'secret-shared'; writer: Declared; secret: string; target: Target } & Declared)

/** Problems that only show across fields or users: names, duplicates, two users in one secret. */
export function checkUsers(users: UserSpec[]): UserProblem[] {
  const problems: UserProblem[] = []
  const declared = (u: UserSpec): Declared => ({
    user: u.userName,
    ...(u.source ? { source: u.source } : {})
  })
  // IAM user names are unique case-insensitively: `deploy` and `DEPLOY` are one user, and two
  // entries for it would rotate its key twice at once.
  const seen = new Map<string, UserSpec>()
  // GitHub secret names are case-insensitive: one secret per scope and upper-cased name.
  const writers = new Map<string, UserSpec>()
  for (const user of users) {
    const who = declared(user)
    if (!isIamUserName(user.userName)) problems.push({ kind: 'user-name', ...who })
    const other = seen.get(user.userName.toLowerCase())
    if (other) problems.push({ kind: 'user-twice', first: declared(other), ...who })
    else seen.set(user.userName.toLowerCase(), user)
    if (user.targets.length === 0) problems.push({ kind: 'user-no-target', ...who })
    const { accessKeyId, secretAccessKey } = user.secretNames
    if (accessKeyId.toUpperCase() === secretAccessKey.toUpperCase()) {
      problems.push({ kind: 'secret-names-same', secret: accessKeyId, ...who })
    }
    for (const target of user.targets) {
      for (const secret of [accessKeyId, secretAccessKey]) {
        const key = `${scopeKey(target)}#${secret.toUpperCase()}`
        const writer = writers.get(key)
        if (writer && writer !== user) {
          problems.push({
            kind: 'secret-shared',
            writer: declared(writer),
            secret: secret.toUpperCase(),
            target,
            ...who
          })
        }
        writers.set(key, user)
      }
    }
  }
  return problems
}
