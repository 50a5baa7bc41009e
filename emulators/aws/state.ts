/**
 * The emulated accounts: each with users with their access keys and tags, roles trusted for web
 * identity, its own OIDC provider registration, and the sessions AssumeRoleWithWebIdentity issued.
 * Identifiers look like AWS's own.
 */
import { randomBytes, randomInt } from 'node:crypto'

export interface LastUsed {
  date: Date
  serviceName: string
  region: string
}

export interface AccessKey {
  accessKeyId: string
  secretAccessKey: string
  userName: string
  status: 'Active' | 'Inactive'
  createDate: Date
  /** Epoch ms from which IAM's eventual consistency lets the key authenticate. */
  usableFrom: number
  lastUsed?: LastUsed
}

/** `admin` may call every IAM action; `self` may manage its own keys, tags and user (a common policy). */
export type UserPolicy = 'none' | 'self' | 'admin'

export interface User {
  userName: string
  userId: string
  path: string
  arn: string
  createDate: Date
  policy: UserPolicy
  keys: AccessKey[]
  tags: Array<{ Key: string; Value: string }>
}

export interface Role {
  roleName: string
  roleId: string
  arn: string
  audience: string
  /** Glob on the token's `sub`, `*` matching any run of characters (as in a StringLike condition). */
  subject: string
  admin: boolean
  /**
   * The role's IAM permissions reach only users whose path starts with this (a policy whose
   * Resource is `arn:aws:iam::ACCOUNT:user/deploy/*`); undefined: every user.
   */
  usersPath?: string
  maxSessionDuration: number
}

export interface Session {
  accessKeyId: string
  secretAccessKey: string
  sessionToken: string
  role: Role
  sessionName: string
  expiration: Date
}

const BASE32 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'
const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/'
const pick = (alphabet: string, n: number): string =>
  Array.from({ length: n }, () => alphabet[randomInt(alphabet.length)]).join('')

/** IAM unique IDs: a 4-letter type prefix (AKIA, ASIA, AIDA, AROA) then base32. */
export const newId = (prefix: 'AKIA' | 'ASIA' | 'AIDA' | 'AROA'): string =>
  prefix + pick(BASE32, prefix === 'AKIA' || prefix === 'ASIA' ? 16 : 17)
export const newSecret = (): string => pick(BASE64, 40)
export const newSessionToken = (): string =>
  'IQoJb3JpZ2luX2Vj' + randomBytes(480).toString('base64')

export const MAX_KEYS_PER_USER = 2

/** An account's registration of an OIDC identity provider (IAM CreateOpenIDConnectProvider). */
export interface OidcTrust {
  issuer: string
  jwksUrl: string
}

export class Account {
  /** Each account registers the issuer itself: a provider in one account is none in another. */
  oidc?: OidcTrust
  readonly users = new Map<string, User>()
  readonly roles = new Map<string, Role>()
  readonly sessions = new Map<string, Session>()
  /** Every key CreateAccessKey issued, deleted ones included: what a run created. */
  readonly issued: AccessKey[] = []

  constructor(readonly accountId: string) {}

  addUser(userName: string, path = '/', policy: UserPolicy = 'none'): User {
    if (this.users.has(userName)) throw new Error(`user ${userName} already exists`)
    const user: User = {
      userName,
      userId: newId('AIDA'),
      path,
      arn: `arn:aws:iam::${this.accountId}:user${path}${userName}`,
      createDate: new Date(),
      policy,
      keys: [],
      tags: []
    }
    this.users.set(userName, user)
    return user
  }

  addKey(user: User, fields: Partial<AccessKey> = {}): AccessKey {
    if (user.keys.length >= MAX_KEYS_PER_USER)
      throw new Error(`user ${user.userName} already has ${MAX_KEYS_PER_USER} access keys`)
    const key: AccessKey = {
      accessKeyId: newId('AKIA'),
      secretAccessKey: newSecret(),
      userName: user.userName,
      status: 'Active',
      createDate: new Date(),
      usableFrom: 0,
      ...fields
    }
    user.keys.push(key)
    return key
  }

  addRole(roleName: string, trust: Omit<Role, 'roleName' | 'roleId' | 'arn'>): Role {
    const role: Role = {
      roleName,
      roleId: newId('AROA'),
      arn: `arn:aws:iam::${this.accountId}:role/${roleName}`,
      ...trust
    }
    this.roles.set(roleName, role)
    return role
  }

  findKey(accessKeyId: string): { user: User; key: AccessKey } | undefined {
    for (const user of this.users.values()) {
      const key = user.keys.find((k) => k.accessKeyId === accessKeyId)
      if (key) return { user, key }
    }
    return undefined
  }

  /** Session ARN and ID as GetCallerIdentity reports them. */
  sessionIdentity(s: Session): { arn: string; userId: string } {
    return {
      arn: `arn:aws:sts::${this.accountId}:assumed-role/${s.role.roleName}/${s.sessionName}`,
      userId: `${s.role.roleId}:${s.sessionName}`
    }
  }
}

/**
 * Every account behind the one endpoint, as AWS serves them: a request's credential (a user's key
 * or a session) selects its account, and an AssumeRoleWithWebIdentity the account of its RoleArn.
 */
export class Accounts {
  private readonly byId = new Map<string, Account>()

  add(account: Account): Account {
    if (this.byId.has(account.accountId))
      throw new Error(`account ${account.accountId} already exists`)
    this.byId.set(account.accountId, account)
    return account
  }

  get(accountId: string): Account | undefined {
    return this.byId.get(accountId)
  }

  all(): Account[] {
    return [...this.byId.values()]
  }

  /** The account whose user key or session `accessKeyId` is: IDs are unique across AWS. */
  ofKey(accessKeyId: string): Account | undefined {
    return this.all().find((a) => a.sessions.has(accessKeyId) || a.findKey(accessKeyId))
  }
}

/** StringLike semantics: `*` any run, `?` any one character, everything else literal. */
export function globMatches(glob: string, value: string): boolean {
  const source = glob.replace(/[.+^${}()|[\]\\*?]/g, (c) =>
    c === '*' ? '.*' : c === '?' ? '.' : `\\${c}`
  )
  return new RegExp(`^${source}$`, 's').test(value)
}
