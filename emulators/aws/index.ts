/**
 * An AWS IAM + STS emulator speaking the Query protocol the AWS SDK v3 uses, with SigV4
 * verification, IAM's key limits and eventual consistency, and OIDC web identity federation.
 * It shares no code with `src/`, so it cannot agree with the action by construction.
 */
import { startServer, type EmulatorServer, type LogEntry } from '../shared/server.js'
import { DEFAULT_HOLD_MS, UserChanges, type ConcurrentModificationMode } from './changes.js'
import { createHandler } from './handler.js'
import { ReadLag } from './read-lag.js'
import {
  Account,
  Accounts,
  type AccessKey,
  type LastUsed,
  type OidcTrust,
  type UserPolicy
} from './state.js'
import { WebIdentity } from './sts.js'
import { RequestRate } from './throttle.js'

export type { ConcurrentModificationMode } from './changes.js'

export interface AwsEmulatorOptions {
  /** Default '123456789012'. */
  accountId?: string
  /** How long a key created through CreateAccessKey is refused (IAM eventual consistency). Default 0. */
  propagationDelayMs?: number
  latencyMs?: number
  /** The OIDC issuer the default account registers, which AssumeRoleWithWebIdentity trusts. */
  oidc?: OidcTrust
  /** Roles' MaxSessionDuration unless createRole says otherwise; default 3600, AWS's default. */
  sessionDurationLimitSeconds?: number
  /**
   * IAM's ConcurrentModification (409) when two changes of one user overlap (see
   * `emulators/aws/changes.ts`): two changes a client sends side by side collide, the later is
   * refused and changes nothing; changes sent one after another never collide.
   * - `'documented'` (default): TagUser and UntagUser collide with each other, the operations
   *   whose API reference lists ConcurrentModification; key changes never take part.
   * - `'all'`: CreateAccessKey, UpdateAccessKey and DeleteAccessKey take part too: any two of the
   *   five collide (stricter than the API reference).
   * - `'off'`: no collisions and no hold.
   */
  concurrentModification?: ConcurrentModificationMode
  /** How long an accepted change holds its user before its answer; default 25 ms. */
  concurrentModificationHoldMs?: number
  /**
   * Reads that lag writes, as IAM's eventual consistency allows (see `emulators/aws/read-lag.ts`):
   * ListAccessKeys, GetUser and ListUserTags answer from the user's keys and tags as they were
   * this many ms ago, so a key created (or a tag written) less than `readLagMs` ago is not seen
   * yet, and a key deleted or deactivated that recently still shows as it was. Default 0: off.
   */
  readLagMs?: number
  /**
   * IAM requests admitted per second, across accounts; past it IAM answers `Throttling: Rate
   * exceeded` (400), as AWS throttles its APIs. Default 0: no limit.
   */
  iamRequestsPerSecond?: number
}

/** One user to seed with `seedUsers`: keys already propagated, with the dates a test chooses. */
export interface SeedUser {
  userName: string
  path?: string
  keys?: Array<{
    status?: 'Active' | 'Inactive'
    createDate?: Date
    lastUsed?: LastUsed
    /** A tag whose key is this key's ID, as the action's marks are: the tag's value. */
    tag?: string
  }>
  tags?: Record<string, string>
}

/** A key as the inspection helpers report it (copies: mutating them changes nothing). */
export interface KeySnapshot {
  accessKeyId: string
  status: 'Active' | 'Inactive'
  createDate: Date
  secretAccessKey: string
  lastUsed?: LastUsed
}

export interface UserSnapshot {
  userName: string
  arn: string
  keys: KeySnapshot[]
  tags: Record<string, string>
}

/** One account's seeding and inspection helpers; the emulator's own act on the default account. */
export interface AwsAccount {
  readonly accountId: string
  /** `policy: 'self'` lets the user manage its own keys/tags; default 'none' (every IAM call denied). */
  createUser(
    userName: string,
    options?: { path?: string; policy?: UserPolicy }
  ): { userName: string; userId: string; arn: string }
  /** A user allowed every IAM action, with one propagated access key. */
  createAdminUser(userName: string): { accessKeyId: string; secretAccessKey: string; arn: string }
  /** Give a user a key that is already propagated; throws past the 2-key limit. */
  seedAccessKey(
    userName: string,
    options?: { status?: 'Active' | 'Inactive'; createDate?: Date; lastUsed?: LastUsed }
  ): { accessKeyId: string; secretAccessKey: string }
  /** A role trusting the account's OIDC provider for tokens with this `aud` and a `sub` matching the glob. */
  createRole(
    roleName: string,
    options: {
      audience: string
      subject: string
      admin?: boolean
      /** Its IAM permissions reach only users on this path, as docs/aws-setup.md's policy does. */
      usersPath?: string
      maxSessionDuration?: number
    }
  ): { arn: string }
  /** Register an OIDC issuer in this account after start (e.g. when the OIDC emulator starts later). */
  trustOidc(oidc: OidcTrust): void
  users(): UserSnapshot[]
  keys(userName: string): KeySnapshot[]
  /** Let time pass for a user's keys: their creation dates move `ms` into the past (tests only). */
  backdateKeys(userName: string, ms: number): void
  /** IDs of every key CreateAccessKey issued in this account, deleted ones included. */
  createdKeyIds(): string[]
  /** The secret of any key ever issued or seeded in this account, deleted ones included. */
  secretOf(accessKeyId: string): string
  /** Secret halves of every session AssumeRoleWithWebIdentity issued (for leak scans). */
  sessionSecrets(): string[]
  /**
   * Many users at once, each with its keys and tags (no request, no limit but IAM's two keys per
   * user): returns the key IDs each user got, in order.
   */
  seedUsers(users: SeedUser[]): Map<string, string[]>
}

/**
 * The emulator: one endpoint for every account, as AWS's. Its helpers act on the default account;
 * `addAccount` adds another, whose credentials and roles select it.
 */
export interface AwsEmulator extends EmulatorServer, AwsAccount {
  /** Applies to keys created from now on. */
  propagationDelayMs: number
  /** See `AwsEmulatorOptions.concurrentModification`; applies to changes arriving from now on. */
  concurrentModification: ConcurrentModificationMode
  /** See `AwsEmulatorOptions.readLagMs`; changes made while it is 0 are never lagged. */
  readLagMs: number
  /** Same array as `log`. */
  readonly requests: LogEntry[]
  /** See `AwsEmulatorOptions.iamRequestsPerSecond`; 0 lifts the limit. */
  iamRequestsPerSecond: number
  /** IAM requests refused with Throttling so far. */
  readonly iamThrottled: number
  /**
   * Another account behind the same endpoint. Its OIDC provider registration trusts the issuer
   * the default account trusts (the same GitHub issuer), unless `oidc` says otherwise (`null`:
   * none registered).
   */
  addAccount(accountId: string, options?: { oidc?: OidcTrust | null }): AwsAccount
  /** Secret halves of every session of every account (for leak scans). */
  sessionSecrets(): string[]
}

const snapshot = (k: AccessKey): KeySnapshot => ({
  accessKeyId: k.accessKeyId,
  status: k.status,
  createDate: new Date(k.createDate),
  secretAccessKey: k.secretAccessKey,
  ...(k.lastUsed ? { lastUsed: { ...k.lastUsed, date: new Date(k.lastUsed.date) } } : {})
})

/** The helpers of one account; `sessionDurationLimitSeconds` is the roles' default limit. */
function accountHelpers(account: Account, sessionDurationLimitSeconds?: number): AwsAccount {
  const userOrThrow = (userName: string) => {
    const user = account.users.get(userName)
    if (!user) throw new Error(`no such user ${userName} in account ${account.accountId}`)
    return user
  }
  /** A key already propagated: seedAccessKey's, and each of seedUsers'. */
  const seedKey = (
    user: ReturnType<typeof userOrThrow>,
    opts: NonNullable<Parameters<AwsAccount['seedAccessKey']>[1]>
  ): AccessKey =>
    account.addKey(user, {
      status: opts.status ?? 'Active',
      createDate: opts.createDate ?? new Date(),
      ...(opts.lastUsed ? { lastUsed: opts.lastUsed } : {})
    })
  return {
    accountId: account.accountId,
    createUser(userName, opts = {}) {
      const user = account.addUser(userName, opts.path ?? '/', opts.policy ?? 'none')
      return { userName: user.userName, userId: user.userId, arn: user.arn }
    },
    createAdminUser(userName) {
      const user = account.addUser(userName, '/', 'admin')
      const key = account.addKey(user)
      return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey, arn: user.arn }
    },
    seedAccessKey(userName, opts = {}) {
      const key = seedKey(userOrThrow(userName), opts)
      return { accessKeyId: key.accessKeyId, secretAccessKey: key.secretAccessKey }
    },
    createRole(roleName, opts) {
      const role = account.addRole(roleName, {
        audience: opts.audience,
        subject: opts.subject,
        admin: opts.admin ?? true,
        ...(opts.usersPath ? { usersPath: opts.usersPath } : {}),
        maxSessionDuration: opts.maxSessionDuration ?? sessionDurationLimitSeconds ?? 3600
      })
      return { arn: role.arn }
    },
    trustOidc(oidc) {
      account.oidc = oidc
    },
    users: () =>
      [...account.users.values()].map((u) => ({
        userName: u.userName,
        arn: u.arn,
        keys: u.keys.map(snapshot),
        tags: Object.fromEntries(u.tags.map((t) => [t.Key, t.Value]))
      })),
    keys: (userName) => userOrThrow(userName).keys.map(snapshot),
    backdateKeys: (userName, ms) => {
      for (const key of userOrThrow(userName).keys)
        key.createDate = new Date(key.createDate.getTime() - ms)
    },
    createdKeyIds: () => account.issued.map((k) => k.accessKeyId),
    secretOf: (id) => {
      const key = account.issued.find((k) => k.accessKeyId === id)
      if (!key) throw new Error(`no key ${id} was issued in account ${account.accountId}`)
      return key.secretAccessKey
    },
    sessionSecrets: () =>
      [...account.sessions.values()].flatMap((s) => [s.secretAccessKey, s.sessionToken]),
    seedUsers(seeds) {
      const ids = new Map<string, string[]>()
      for (const seed of seeds) {
        const user = account.addUser(seed.userName, seed.path ?? '/')
        user.tags = Object.entries(seed.tags ?? {}).map(([Key, Value]) => ({ Key, Value }))
        const keyIds = (seed.keys ?? []).map((k) => {
          const { accessKeyId } = seedKey(user, k)
          if (k.tag !== undefined) user.tags.push({ Key: accessKeyId, Value: k.tag })
          return accessKeyId
        })
        ids.set(seed.userName, keyIds)
      }
      return ids
    }
  }
}

/** Start the emulator on 127.0.0.1 and a random port. */
export async function startAwsEmulator(options: AwsEmulatorOptions = {}): Promise<AwsEmulator> {
  const accounts = new Accounts()
  const account = accounts.add(new Account(options.accountId ?? '123456789012'))
  if (options.oidc) account.oidc = options.oidc
  const state = {
    propagationDelayMs: options.propagationDelayMs ?? 0,
    concurrentModification: options.concurrentModification ?? 'documented',
    readLagMs: options.readLagMs ?? 0,
    iamRequestsPerSecond: options.iamRequestsPerSecond ?? 0
  }
  const iamRate = new RequestRate(() => state.iamRequestsPerSecond)
  const holdMs = options.concurrentModificationHoldMs ?? DEFAULT_HOLD_MS
  const changes = new UserChanges(
    () => state.concurrentModification,
    () => holdMs
  )
  const server = await startServer(
    createHandler({
      accounts,
      webIdentity: new WebIdentity(accounts),
      propagationDelayMs: () => state.propagationDelayMs,
      changes,
      readLag: new ReadLag(() => state.readLagMs),
      iamRate
    }),
    { latencyMs: options.latencyMs }
  )

  return {
    ...accountHelpers(account, options.sessionDurationLimitSeconds),
    url: server.url,
    log: server.log,
    requests: server.log,
    inject: (fault) => server.inject(fault),
    clearFaults: () => server.clearFaults(),
    close: () => server.close(),
    get latencyMs() {
      return server.latencyMs
    },
    set latencyMs(ms: number) {
      server.latencyMs = ms
    },
    get propagationDelayMs() {
      return state.propagationDelayMs
    },
    set propagationDelayMs(ms: number) {
      state.propagationDelayMs = ms
    },
    get concurrentModification() {
      return state.concurrentModification
    },
    set concurrentModification(mode: ConcurrentModificationMode) {
      state.concurrentModification = mode
    },
    get readLagMs() {
      return state.readLagMs
    },
    set readLagMs(ms: number) {
      state.readLagMs = ms
    },
    get iamRequestsPerSecond() {
      return state.iamRequestsPerSecond
    },
    set iamRequestsPerSecond(n: number) {
      state.iamRequestsPerSecond = n
    },
    get iamThrottled() {
      return iamRate.refused
    },
    addAccount(accountId, opts = {}) {
      const added = accounts.add(new Account(accountId))
      const oidc = opts.oidc === undefined ? account.oidc : opts.oidc
      if (oidc) added.oidc = oidc
      return accountHelpers(added, options.sessionDurationLimitSeconds)
    },
    sessionSecrets: () =>
      accounts
        .all()
        .flatMap((a) =>
          [...a.sessions.values()].flatMap((s) => [s.secretAccessKey, s.sessionToken])
        )
  }
}
