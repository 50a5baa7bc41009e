/** The IAM calls on one user: its keys, their last use, and the marks the action keeps on them. */
import * as core from '@actions/core'
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  ListAccessKeysCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand,
  type IAMClient
} from '@aws-sdk/client-iam'
import { EmptyAnswer } from './empty-answer.js'
import { notIdempotent } from './retry.js'
import type { AccessKey, LastUse, NewKey } from './key-data.js'

/** The user's ARN and tags; fails with IAM's NoSuchEntity when the user does not exist. */
export async function getUser(
  iam: IAMClient,
  userName: string
): Promise<{ arn: string; tags: Record<string, string> }> {
  const { User } = await iam.send(new GetUserCommand({ UserName: userName }))
  if (!User?.Arn) throw new EmptyAnswer({ kind: 'iam-user-arn', user: userName })
  const tags: Record<string, string> = {}
  for (const t of User.Tags ?? []) if (t.Key !== undefined) tags[t.Key] = t.Value ?? ''
  return { arn: User.Arn, tags }
}

/** The user's access keys, oldest first. */
export async function listKeys(iam: IAMClient, userName: string): Promise<AccessKey[]> {
  const { AccessKeyMetadata = [] } = await iam.send(
    new ListAccessKeysCommand({ UserName: userName })
  )
  return AccessKeyMetadata.map((k) => ({
    id: k.AccessKeyId ?? '',
    status: k.Status === 'Active' ? ('Active' as const) : ('Inactive' as const),
    created: k.CreateDate ?? new Date(0)
  })).sort((a, b) => a.created.getTime() - b.created.getTime())
}

/**
 * Create a key and mask its secret before anything else can print it. Sent once: after an answer
 * that never came the caller reads the user's keys back (see `notIdempotent`).
 */
export async function createKey(iam: IAMClient, userName: string): Promise<NewKey> {
  const command = new CreateAccessKeyCommand({ UserName: userName })
  command.middlewareStack.add(notIdempotent(), {
    step: 'finalizeRequest',
    priority: 'low',
    name: 'notIdempotent'
  })
  const { AccessKey } = await iam.send(command)
  const secret = AccessKey?.SecretAccessKey
  if (secret) core.setSecret(secret)
  if (!AccessKey?.AccessKeyId || !secret) throw new EmptyAnswer({ kind: 'iam-access-key' })
  const created = AccessKey.CreateDate
  return { id: AccessKey.AccessKeyId, secret, ...(created ? { created } : {}) }
}

/** A key that is already gone is what deleting or deactivating it wanted: another run did it. */
const gone = (error: unknown): void => {
  const name = (error as Error).name
  if (name !== 'NoSuchEntityException' && name !== 'NoSuchEntity') throw error
}

/** Mark a key Inactive: reversible, unlike deletion. False when IAM has no such key (any more). */
export async function deactivateKey(
  iam: IAMClient,
  userName: string,
  id: string
): Promise<boolean> {
  return iam
    .send(new UpdateAccessKeyCommand({ UserName: userName, AccessKeyId: id, Status: 'Inactive' }))
    .then(
      () => true,
      (error: unknown) => {
        gone(error)
        return false
      }
    )
}

export async function deleteKey(iam: IAMClient, userName: string, id: string): Promise<void> {
  await iam
    .send(new DeleteAccessKeyCommand({ UserName: userName, AccessKeyId: id }))
    .then(() => undefined, gone)
}

export async function lastUse(iam: IAMClient, id: string): Promise<LastUse> {
  const { AccessKeyLastUsed: u } = await iam.send(
    new GetAccessKeyLastUsedCommand({ AccessKeyId: id })
  )
  return { date: u?.LastUsedDate, service: u?.ServiceName === 'N/A' ? undefined : u?.ServiceName }
}

/** Write tags on the user (the action's marks); writing the same value again changes nothing. */
export async function tag(
  iam: IAMClient,
  userName: string,
  tags: Record<string, string>
): Promise<void> {
  const list = Object.entries(tags).map(([Key, Value]) => ({ Key, Value }))
  if (list.length > 0) await iam.send(new TagUserCommand({ UserName: userName, Tags: list }))
}

/** Remove tags from the user; removing a tag that is not there changes nothing. */
export async function untag(iam: IAMClient, userName: string, keys: string[]): Promise<void> {
  if (keys.length > 0) await iam.send(new UntagUserCommand({ UserName: userName, TagKeys: keys }))
}

/**
 * The calls above bound to one client: the rotation's `Keys` port (src/rotation/ports.ts), which
 * this adapter fits without importing it.
 */
export function iamKeys(iam: IAMClient) {
  return {
    getUser: (userName: string) => getUser(iam, userName),
    listKeys: (userName: string) => listKeys(iam, userName),
    createKey: (userName: string) => createKey(iam, userName),
    deactivateKey: (userName: string, id: string) => deactivateKey(iam, userName, id),
    deleteKey: (userName: string, id: string) => deleteKey(iam, userName, id),
    lastUse: (id: string) => lastUse(iam, id),
    tag: (userName: string, tags: Record<string, string>) => tag(iam, userName, tags),
    untag: (userName: string, keys: string[]) => untag(iam, userName, keys)
  }
}
