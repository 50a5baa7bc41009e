/**
 * The AWS emulator's ListUsers (paged with Marker and MaxItems, as IAM's API reference documents),
 * the bulk seeding the inventory tests use, and the opt-in IAM request rate (Throttling), through
 * the real AWS SDK client.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import {
  GetAccessKeyLastUsedCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUsersCommand,
  ListUserTagsCommand,
  paginateListUsers
} from '@aws-sdk/client-iam'
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/index.js'

let emulator: AwsEmulator
let iam: IAMClient
const DAY = 86_400_000

beforeEach(async () => {
  emulator = await startAwsEmulator()
  const admin = emulator.createAdminUser('admin')
  iam = new IAMClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials: admin,
    maxAttempts: 1
  })
})
afterEach(async () => {
  iam.destroy()
  await emulator.close()
})

const seed = (n: number, path = '/') =>
  emulator.seedUsers(
    Array.from({ length: n }, (_, i) => ({ userName: `u${String(i).padStart(4, '0')}`, path }))
  )

describe('ListUsers', () => {
  test('100 users a page by default, IsTruncated and a Marker until the last page', async () => {
    seed(250)
    const first = await iam.send(new ListUsersCommand({}))
    expect(first.Users).toHaveLength(100)
    expect(first.IsTruncated).toBe(true)
    expect(first.Marker).toBeTruthy()
    const names: string[] = []
    for await (const page of paginateListUsers({ client: iam }, {}))
      names.push(...(page.Users ?? []).map((u) => u.UserName ?? ''))
    // 250 seeded and the admin, each exactly once, in order
    expect(names).toHaveLength(251)
    expect(new Set(names).size).toBe(251)
    expect([...names].sort()).toEqual(names)
  })

  test('MaxItems up to 1000; the last page is not truncated and has no Marker', async () => {
    seed(1200)
    const first = await iam.send(new ListUsersCommand({ MaxItems: 1000 }))
    expect(first.Users).toHaveLength(1000)
    const second = await iam.send(new ListUsersCommand({ MaxItems: 1000, Marker: first.Marker }))
    expect(second.Users).toHaveLength(201)
    expect(second.IsTruncated).toBe(false)
    expect(second.Marker).toBeUndefined()
  })

  test('MaxItems past 1000 or below 1 is a ValidationError', async () => {
    for (const MaxItems of [0, 1001]) {
      await expect(iam.send(new ListUsersCommand({ MaxItems }))).rejects.toMatchObject({
        name: 'ValidationError'
      })
    }
  })

  test('PathPrefix lists only users whose path starts with it, with their path and ARN', async () => {
    seed(3, '/deploy/')
    emulator.createUser('other', { path: '/people/' })
    const listed = await iam.send(new ListUsersCommand({ PathPrefix: '/deploy/' }))
    expect(listed.Users?.map((u) => [u.UserName, u.Path])).toEqual([
      ['u0000', '/deploy/'],
      ['u0001', '/deploy/'],
      ['u0002', '/deploy/']
    ])
    expect(listed.Users?.[0]?.Arn).toBe(`arn:aws:iam::${emulator.accountId}:user/deploy/u0000`)
  })
})

describe('seedUsers', () => {
  test('keys with chosen status, dates and last use, and tags, as the read calls answer', async () => {
    const created = new Date(Date.now() - 120 * DAY)
    const used = new Date(Date.now() - 50 * DAY)
    const ids = emulator.seedUsers([
      {
        userName: 'ci',
        keys: [
          { createDate: created, lastUsed: { date: used, serviceName: 's3', region: 'eu-west-1' } },
          { status: 'Inactive' }
        ],
        tags: { team: 'web' }
      }
    ])
    const [a, b] = ids.get('ci') ?? []
    const keys = await iam.send(new ListAccessKeysCommand({ UserName: 'ci' }))
    expect(keys.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [a, 'Active'],
      [b, 'Inactive']
    ])
    expect(keys.AccessKeyMetadata?.[0]?.CreateDate?.getTime()).toBe(
      Math.floor(created.getTime() / 1000) * 1000
    )
    const last = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: a }))
    expect(last.AccessKeyLastUsed).toMatchObject({ ServiceName: 's3', Region: 'eu-west-1' })
    const never = await iam.send(new GetAccessKeyLastUsedCommand({ AccessKeyId: b }))
    expect(never.AccessKeyLastUsed).toMatchObject({ ServiceName: 'N/A', Region: 'N/A' })
    expect(never.AccessKeyLastUsed?.LastUsedDate).toBeUndefined()
    const tags = await iam.send(new ListUserTagsCommand({ UserName: 'ci' }))
    expect(tags.Tags).toEqual([{ Key: 'team', Value: 'web' }])
  })
})

describe('iamRequestsPerSecond', () => {
  test('past the rate IAM answers Throttling: Rate exceeded; a second later it admits again', async () => {
    emulator.iamRequestsPerSecond = 3
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => iam.send(new ListUsersCommand({})))
    )
    const refused = results.filter((r) => r.status === 'rejected')
    expect(refused).toHaveLength(2)
    expect((refused[0] as PromiseRejectedResult).reason).toMatchObject({
      name: 'Throttling',
      message: 'Rate exceeded'
    })
    expect(emulator.iamThrottled).toBe(2)
    await new Promise((r) => setTimeout(r, 1100))
    await expect(iam.send(new ListUsersCommand({}))).resolves.toBeDefined()
  })
})
