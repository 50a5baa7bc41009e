/**
 * Reading an account's IAM users and their access keys, read-only: ListUsers paged, then for each
 * user ListAccessKeys and, only for users that have keys, ListUserTags (the action's marks) and
 * GetAccessKeyLastUsed per key. Facts only: no words, no judgement (findings.ts judges).
 *
 * ListUsers is paged by hand with `new ListUsersCommand(`, not the SDK's paginator, so that
 * __tests__/policy.test.ts sees the call and holds the permission policy to it.
 */
import {
  GetAccessKeyLastUsedCommand,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  type IAMClient
} from '@aws-sdk/client-iam'
import pLimit from 'p-limit'

/** One account to read: its label (the account ID) and a client whose credentials reach it. */
export interface AccountSource {
  account: string
  iam: IAMClient
}

export interface KeyFact {
  accessKeyId: string
  status: 'Active' | 'Inactive'
  createDate: Date
  /** Absent: never used (IAM answers `N/A`). */
  lastUsed?: { date: Date; service: string; region: string }
}

export interface UserFact {
  account: string
  userName: string
  path: string
  arn: string
  keys: KeyFact[]
  /** The user's tags: the action's marks are among them. */
  tags: Record<string, string>
}

export interface ReadOptions {
  /** IAM calls in flight at once per account: IAM throttles bursts, the SDK backs off. */
  concurrency: number
  /** Called after every `every` users read, and once at the end of each account. */
  onProgress?: (p: { account: string; read: number; listed: number; done: boolean }) => void
  every?: number
}

/** ListUsers' largest page: fewer round trips; IAM may still answer with fewer. */
const PAGE = 1000

/**
 * Every user of every account that has at least one access key, with its keys and tags, and how
 * many users were listed in all (with keys or not). Accounts
 * are read one after another, so the request rate against any one account stays bounded.
 */
export async function readAccounts(
  accounts: AccountSource[],
  options: ReadOptions
): Promise<{ users: UserFact[]; listed: number; requests: number }> {
  const users: UserFact[] = []
  let requests = 0
  let listed = 0
  for (const source of accounts) {
    const read = await readAccount(source, options)
    users.push(...read.users)
    requests += read.requests
    listed += read.listed
  }
  return { users, listed, requests }
}

async function readAccount(
  { account, iam }: AccountSource,
  options: ReadOptions
): Promise<{ users: UserFact[]; listed: number; requests: number }> {
  const limit = pLimit(options.concurrency)
  let requests = 0
  // Every call goes through the one limiter, so a user's own calls never wait on a slot its
  // caller holds: no nesting, no deadlock.
  const send = <T>(call: () => Promise<T>): Promise<T> =>
    limit(() => {
      requests++
      return call()
    })
  const every = options.every ?? 100
  let listed = 0
  let read = 0
  const pending: Array<Promise<UserFact | undefined>> = []
  let marker: string | undefined
  do {
    const page = await send(() =>
      iam.send(new ListUsersCommand({ MaxItems: PAGE, ...(marker ? { Marker: marker } : {}) }))
    )
    for (const u of page.Users ?? []) {
      listed++
      pending.push(
        readUser(iam, send, account, u).then((fact) => {
          read++
          if (read % every === 0) options.onProgress?.({ account, read, listed, done: false })
          return fact
        })
      )
    }
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)
  const facts = (await Promise.all(pending)).filter((f): f is UserFact => f !== undefined)
  options.onProgress?.({ account, read, listed, done: true })
  return { users: facts, listed, requests }
}

type Send = <T>(call: () => Promise<T>) => Promise<T>
type Listed = { UserName?: string; Path?: string; Arn?: string }

async function readUser(
  iam: IAMClient,
  send: Send,
  account: string,
  u: Listed
): Promise<UserFact | undefined> {
  const userName = u.UserName ?? ''
  const keys: KeyFact[] = []
  let marker: string | undefined
  do {
    const page = await send(() =>
      iam.send(
        new ListAccessKeysCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) })
      )
    )
    for (const k of page.AccessKeyMetadata ?? []) {
      keys.push({
        accessKeyId: k.AccessKeyId ?? '',
        status: k.Status === 'Active' ? 'Active' : 'Inactive',
        createDate: k.CreateDate ?? new Date(0)
      })
    }
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)
  if (keys.length === 0) return undefined
  const [tags] = await Promise.all([
    readTags(iam, send, userName),
    ...keys.map(async (key) => {
      const used = await send(() =>
        iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId }))
      )
      const last = used.AccessKeyLastUsed
      if (last?.LastUsedDate)
        key.lastUsed = {
          date: last.LastUsedDate,
          service: last.ServiceName ?? 'N/A',
          region: last.Region ?? 'N/A'
        }
    })
  ])
  return { account, userName, path: u.Path ?? '/', arn: u.Arn ?? '', keys, tags }
}

async function readTags(
  iam: IAMClient,
  send: Send,
  userName: string
): Promise<Record<string, string>> {
  const tags: Record<string, string> = {}
  let marker: string | undefined
  do {
    const page = await send(() =>
      iam.send(
        new ListUserTagsCommand({ UserName: userName, ...(marker ? { Marker: marker } : {}) })
      )
    )
    for (const t of page.Tags ?? []) tags[t.Key ?? ''] = t.Value ?? ''
    marker = page.IsTruncated ? page.Marker : undefined
  } while (marker)
  return tags
}
