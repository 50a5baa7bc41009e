/**
 * IAM's ConcurrentModification in the AWS emulator, through the real AWS SDK: two changes of one
 * user that a client sends side by side collide (the later gets 409 and changes nothing), changes
 * sent one after another never do. By default only TagUser and UntagUser take part, the
 * operations whose API reference lists ConcurrentModification; `'all'` adds the key changes.
 */
import { afterEach, describe, expect, test } from '@jest/globals'
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  IAMClient,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import {
  startAwsEmulator,
  type AwsEmulator,
  type AwsEmulatorOptions
} from '../../emulators/aws/index.js'

const CONFLICT = {
  name: 'ConcurrentModification',
  status: 409,
  message:
    'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.'
}

let aws: AwsEmulator
let iam: IAMClient

async function start(options: AwsEmulatorOptions = {}, maxAttempts = 1): Promise<void> {
  aws = await startAwsEmulator(options)
  const admin = aws.createAdminUser('admin')
  aws.createUser('deploy')
  aws.createUser('other')
  iam = new IAMClient({ endpoint: aws.url, region: 'us-east-1', credentials: admin, maxAttempts })
}
afterEach(async () => {
  await aws.close()
})

/** How each call settled: 'ok', or the AWS error code, message and HTTP status. */
async function outcomes(calls: Promise<unknown>[]) {
  return (await Promise.allSettled(calls)).map((r) => {
    if (r.status === 'fulfilled') return 'ok' as const
    const e = r.reason as Error & {
      $metadata?: { httpStatusCode?: number }
      Error?: { Code?: string }
    }
    return {
      name: e.Error?.Code ?? e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode
    }
  })
}

const tag = (Key: string, Value: string, UserName = 'deploy') =>
  iam.send(new TagUserCommand({ UserName, Tags: [{ Key, Value }] }))
const untag = (Key: string, UserName = 'deploy') =>
  iam.send(new UntagUserCommand({ UserName, TagKeys: [Key] }))
const create = (UserName = 'deploy') => iam.send(new CreateAccessKeyCommand({ UserName }))
const tags = (user = 'deploy') => aws.users().find((u) => u.userName === user)?.tags

describe('changes sent side by side collide', () => {
  test('two TagUser at once, latency 0: the later gets 409 and changes nothing, every time', async () => {
    await start()
    expect(aws.latencyMs).toBe(0)
    for (let round = 0; round < 10; round++) {
      const results = await outcomes([tag('lease', `a${round}`), tag('lease', `b${round}`)])
      expect(results[0]).toBe('ok')
      expect(results[1]).toEqual(CONFLICT)
      expect(tags()).toEqual({ lease: `a${round}` })
    }
    const statuses = aws.log.filter((e) => e.route === 'iam:TagUser').map((e) => e.status)
    expect(statuses).toEqual(Array.from({ length: 10 }, () => [200, 409]).flat())
  })

  test('TagUser and UntagUser at once collide too', async () => {
    await start()
    await tag('keep', 'v')
    expect(await outcomes([untag('keep'), tag('new', 'v')])).toEqual(['ok', CONFLICT])
    expect(tags()).toEqual({})
  })

  test('with latency the window is the same: the later change is still refused', async () => {
    await start({ latencyMs: 50 })
    expect(await outcomes([tag('a', '1'), tag('b', '2'), tag('c', '3')])).toEqual([
      'ok',
      CONFLICT,
      CONFLICT
    ])
    expect(tags()).toEqual({ a: '1' })
  })

  test('changes of different users never collide', async () => {
    await start()
    expect(await outcomes([tag('a', '1'), tag('a', '1', 'other')])).toEqual(['ok', 'ok'])
  })

  test('a change refused before it acts (invalid, or denied) holds nothing', async () => {
    await start()
    const invalid = iam.send(
      new TagUserCommand({ UserName: 'deploy', Tags: [{ Key: 'bad!', Value: 'v' }] })
    )
    const results = await outcomes([invalid, tag('good', 'v')])
    expect(results[0]).toMatchObject({ status: 400 })
    expect(results[1]).toBe('ok')
  })

  test('the SDK does not retry a ConcurrentModification (409 is neither throttling nor transient)', async () => {
    await start({}, 3)
    expect(await outcomes([tag('a', '1'), tag('b', '2')])).toEqual(['ok', CONFLICT])
    expect(aws.log.filter((e) => e.route === 'iam:TagUser')).toHaveLength(2)
  })
})

describe('changes sent one after another never collide', () => {
  test.each([0, 20])('latency %i ms: thirty changes in a row all succeed', async (latencyMs) => {
    await start({ latencyMs, concurrentModification: 'all' })
    for (let i = 0; i < 5; i++) {
      await tag('lease', String(i))
      const { AccessKey } = await create()
      const id = AccessKey!.AccessKeyId!
      await iam.send(
        new UpdateAccessKeyCommand({ UserName: 'deploy', AccessKeyId: id, Status: 'Inactive' })
      )
      await untag('lease')
      await iam.send(new DeleteAccessKeyCommand({ UserName: 'deploy', AccessKeyId: id }))
      await tag('done', String(i))
    }
    expect(aws.log.filter((e) => e.status !== 200)).toEqual([])
    expect(tags()).toEqual({ done: '4' })
  })

  test('the next change right after a collision goes through', async () => {
    await start()
    expect(await outcomes([tag('a', '1'), tag('b', '2')])).toEqual(['ok', CONFLICT])
    await tag('b', '2')
    expect(tags()).toEqual({ a: '1', b: '2' })
  })
})

describe('which operations may be refused', () => {
  test('by default key changes take no part: they neither collide nor hold the user', async () => {
    await start()
    // two CreateAccessKey at once both succeed: the API reference lists no ConcurrentModification
    expect(await outcomes([create(), create()])).toEqual(['ok', 'ok'])
    expect(aws.keys('deploy')).toHaveLength(2)
    const [first] = aws.keys('deploy')
    const remove = iam.send(
      new DeleteAccessKeyCommand({ UserName: 'deploy', AccessKeyId: first!.accessKeyId })
    )
    // a key change and a tag change side by side both go through, either order
    expect(await outcomes([remove, tag('lease', 'v')])).toEqual(['ok', 'ok'])
    expect(await outcomes([tag('other', 'v'), create()])).toEqual(['ok', 'ok'])
    expect(aws.keys('deploy')).toHaveLength(2)
    expect(tags()).toEqual({ lease: 'v', other: 'v' })
  })

  test("'all': CreateAccessKey, UpdateAccessKey and DeleteAccessKey collide as well", async () => {
    await start({ concurrentModification: 'all' })
    expect(await outcomes([create(), create()])).toEqual(['ok', CONFLICT])
    expect(aws.keys('deploy')).toHaveLength(1)
    const [key] = aws.keys('deploy')
    const id = key!.accessKeyId
    const update = () =>
      iam.send(
        new UpdateAccessKeyCommand({ UserName: 'deploy', AccessKeyId: id, Status: 'Inactive' })
      )
    const remove = () =>
      iam.send(new DeleteAccessKeyCommand({ UserName: 'deploy', AccessKeyId: id }))
    expect(await outcomes([update(), remove()])).toEqual(['ok', CONFLICT])
    expect(aws.keys('deploy').map((k) => k.status)).toEqual(['Inactive'])
    expect(await outcomes([remove(), tag('a', '1')])).toEqual(['ok', CONFLICT])
    expect(aws.keys('deploy')).toEqual([])
    expect(tags()).toEqual({})
  })

  test("'off': nothing collides, and it can be switched at run time", async () => {
    await start({ concurrentModification: 'off' })
    expect(await outcomes([tag('a', '1'), tag('b', '2')])).toEqual(['ok', 'ok'])
    expect(tags()).toEqual({ a: '1', b: '2' })
    aws.concurrentModification = 'documented'
    expect(await outcomes([tag('c', '3'), tag('d', '4')])).toEqual(['ok', CONFLICT])
  })
})
