/**
 * IAM's eventual consistency for reads, opt-in in the AWS emulator: with `readLagMs`, ListAccessKeys,
 * GetUser and ListUserTags answer from the user's state as it was `readLagMs` ago, so a change made
 * since is not seen yet (IAM User Guide: changes are not always immediately visible). Through the
 * real AWS SDK.
 */
import { afterEach, describe, expect, test } from '@jest/globals'
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import {
  startAwsEmulator,
  type AwsEmulator,
  type AwsEmulatorOptions
} from '../../emulators/aws/index.js'

let aws: AwsEmulator
let iam: IAMClient

async function start(options: AwsEmulatorOptions = {}): Promise<void> {
  aws = await startAwsEmulator(options)
  const admin = aws.createAdminUser('admin')
  aws.createUser('deploy')
  iam = new IAMClient({
    endpoint: aws.url,
    region: 'us-east-1',
    credentials: admin,
    maxAttempts: 1
  })
}
afterEach(async () => {
  await aws.close()
})

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
/**
 * The lag of the timed tests: long enough that a few requests on a loaded machine (CI runs the
 * suites side by side) finish well within it, as the assertions before each wait need.
 */
const LAG = 3_000
const UserName = 'deploy'

/** What the three reads show: key ID → status, and tags, from each read that carries them. */
async function reads(): Promise<{
  keys: Record<string, string>
  getUserTags: Record<string, string>
  listUserTags: Record<string, string>
}> {
  const [listed, user, tagged] = await Promise.all([
    iam.send(new ListAccessKeysCommand({ UserName })),
    iam.send(new GetUserCommand({ UserName })),
    iam.send(new ListUserTagsCommand({ UserName }))
  ])
  const tags = (list: { Key?: string; Value?: string }[] = []): Record<string, string> =>
    Object.fromEntries(list.map((t) => [t.Key ?? '', t.Value ?? '']))
  return {
    keys: Object.fromEntries(
      (listed.AccessKeyMetadata ?? []).map((k) => [k.AccessKeyId ?? '', k.Status ?? ''])
    ),
    getUserTags: tags(user.User?.Tags),
    listUserTags: tags(tagged.Tags)
  }
}

describe('reads that lag writes', () => {
  test('off by default: every read sees the change at once', async () => {
    await start()
    expect(aws.readLagMs).toBe(0)
    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }))
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'mark', Value: 'v' }] }))
    expect(await reads()).toEqual({
      keys: { [AccessKey!.AccessKeyId!]: 'Active' },
      getUserTags: { mark: 'v' },
      listUserTags: { mark: 'v' }
    })
  })

  test('a key created and a tag written less than readLagMs ago are not seen yet', async () => {
    await start({ readLagMs: LAG })
    const old = aws.seedAccessKey(UserName) // seeded state is old news: visible at once
    expect((await reads()).keys).toEqual({ [old.accessKeyId]: 'Active' })

    const { AccessKey } = await iam.send(new CreateAccessKeyCommand({ UserName }))
    const fresh = AccessKey!.AccessKeyId!
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'mark', Value: 'v' }] }))
    // the emulator's own view is the truth, never lagged
    expect(aws.keys(UserName).map((k) => k.accessKeyId)).toEqual([old.accessKeyId, fresh])
    expect(await reads()).toEqual({
      keys: { [old.accessKeyId]: 'Active' },
      getUserTags: {},
      listUserTags: {}
    })
    await sleep(LAG + 100)
    expect(await reads()).toEqual({
      keys: { [old.accessKeyId]: 'Active', [fresh]: 'Active' },
      getUserTags: { mark: 'v' },
      listUserTags: { mark: 'v' }
    })
  })

  test('a deactivated or deleted key and a removed tag still show as they were', async () => {
    await start({ readLagMs: LAG })
    const a = aws.seedAccessKey(UserName)
    const b = aws.seedAccessKey(UserName)
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'mark', Value: 'v' }] }))
    await sleep(LAG + 100)
    await iam.send(
      new UpdateAccessKeyCommand({ UserName, AccessKeyId: a.accessKeyId, Status: 'Inactive' })
    )
    await iam.send(new DeleteAccessKeyCommand({ UserName, AccessKeyId: b.accessKeyId }))
    await iam.send(new UntagUserCommand({ UserName, TagKeys: ['mark'] }))
    expect(await reads()).toEqual({
      keys: { [a.accessKeyId]: 'Active', [b.accessKeyId]: 'Active' },
      getUserTags: { mark: 'v' },
      listUserTags: { mark: 'v' }
    })
    await sleep(LAG + 100)
    expect(await reads()).toEqual({
      keys: { [a.accessKeyId]: 'Inactive' },
      getUserTags: {},
      listUserTags: {}
    })
  })

  test('each change shows once it is readLagMs old: an earlier one before a later one', async () => {
    await start({ readLagMs: LAG })
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'first', Value: '1' }] }))
    await sleep(LAG / 2)
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'second', Value: '2' }] }))
    expect((await reads()).listUserTags).toEqual({})
    await sleep((LAG * 2) / 3) // first is over LAG old, second a third of LAG short of it
    expect((await reads()).listUserTags).toEqual({ first: '1' })
    await sleep(LAG / 2)
    expect((await reads()).listUserTags).toEqual({ first: '1', second: '2' })
  })

  test('writes act on the current state, not the lagged one: the key limit counts a key not yet listed', async () => {
    await start({ readLagMs: 5_000 })
    await iam.send(new CreateAccessKeyCommand({ UserName }))
    await iam.send(new CreateAccessKeyCommand({ UserName }))
    expect((await reads()).keys).toEqual({})
    await expect(iam.send(new CreateAccessKeyCommand({ UserName }))).rejects.toMatchObject({
      name: 'LimitExceededException'
    })
  })

  test('readLagMs can be switched at run time', async () => {
    await start({ readLagMs: 5_000 })
    await iam.send(new TagUserCommand({ UserName, Tags: [{ Key: 'mark', Value: 'v' }] }))
    expect((await reads()).listUserTags).toEqual({})
    aws.readLagMs = 0
    expect((await reads()).listUserTags).toEqual({ mark: 'v' })
  })
})
