/**
 * The retry strategy on the wire: the action's real client settings (`clientConfig`, so the real
 * `NoBlindRetry`) against the AWS emulator, counting what reaches it. CreateAccessKey is never
 * repeated after an answer that may hide a created key; quotas are never repeated; reads and
 * definite refusals (throttling) are.
 */
import { afterEach, beforeAll, beforeEach, describe, expect, it, jest } from '@jest/globals'
import { IAMClient } from '@aws-sdk/client-iam'
import { startAwsEmulator, type AwsEmulator } from '../emulators/aws/index.js'
import { clientConfig } from '../src/aws/config.js'
import * as keys from '../src/aws/keys.js'
import { INTENT_TAG } from '../src/rotation/marks.js'
import { isQuota, isUncertain } from '../src/aws/answers.js'

let aws: AwsEmulator
let iam: IAMClient

beforeAll(() => {
  // createKey masks the secret with `::add-mask::` on stdout; Jest reports on stderr.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

beforeEach(async () => {
  aws = await startAwsEmulator()
  const admin = aws.createAdminUser('admin')
  aws.createUser('deploy')
  iam = new IAMClient({
    ...clientConfig('us-east-1'),
    endpoint: aws.url,
    credentials: { accessKeyId: admin.accessKeyId, secretAccessKey: admin.secretAccessKey }
  })
})

afterEach(async () => {
  iam.destroy()
  await aws.close()
})

const sent = (route: string): number => aws.log.filter((e) => e.route === route).length

async function rejection(
  p: Promise<unknown>
): Promise<Error & { $metadata?: { httpStatusCode?: number } }> {
  try {
    await p
  } catch (e) {
    return e as Error
  }
  throw new Error('expected the call to fail')
}

describe('CreateAccessKey is sent once after an uncertain outcome', () => {
  it('a 500 before acting: one request, no key', async () => {
    aws.inject({ route: 'iam:CreateAccessKey', status: 500 })
    const e = await rejection(keys.createKey(iam, 'deploy'))
    expect(e.$metadata?.httpStatusCode).toBe(500)
    expect(isUncertain(e)).toBe(true)
    expect(sent('iam:CreateAccessKey')).toBe(1)
    expect(aws.keys('deploy')).toHaveLength(0)
  })

  it('a reset connection: one request, no answer', async () => {
    aws.inject({ route: 'iam:CreateAccessKey', reset: true })
    const e = await rejection(keys.createKey(iam, 'deploy'))
    expect(e.$metadata?.httpStatusCode).toBeUndefined()
    expect(isUncertain(e)).toBe(true)
    expect(sent('iam:CreateAccessKey')).toBe(1)
  })

  it('a 500 after acting: one request, and the key exists', async () => {
    aws.inject({ route: 'iam:CreateAccessKey', status: 500, afterActing: true })
    const e = await rejection(keys.createKey(iam, 'deploy'))
    expect(isUncertain(e)).toBe(true)
    expect(sent('iam:CreateAccessKey')).toBe(1)
    expect(aws.log.find((x) => x.route === 'iam:CreateAccessKey')?.actedStatus).toBe(200)
    expect(aws.keys('deploy')).toHaveLength(1)
    expect(aws.createdKeyIds()).toHaveLength(1)
  })

  it('a reset after acting: one request, and the key exists', async () => {
    aws.inject({ route: 'iam:CreateAccessKey', reset: true, afterActing: true })
    await rejection(keys.createKey(iam, 'deploy'))
    expect(sent('iam:CreateAccessKey')).toBe(1)
    expect(aws.keys('deploy')).toHaveLength(1)
  })
})

describe('definite refusals', () => {
  it('CreateAccessKey is retried after Throttling, and succeeds', async () => {
    aws.inject({
      route: 'iam:CreateAccessKey',
      status: 400,
      code: 'Throttling',
      message: 'Rate exceeded'
    })
    const key = await keys.createKey(iam, 'deploy')
    expect(sent('iam:CreateAccessKey')).toBe(2)
    expect(aws.keys('deploy').map((k) => k.accessKeyId)).toEqual([key.id])
  })

  it('CreateAccessKey LimitExceeded (injected) is sent once', async () => {
    aws.inject({
      route: 'iam:CreateAccessKey',
      status: 409,
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2'
    })
    const e = await rejection(keys.createKey(iam, 'deploy'))
    expect(isQuota(e)).toBe(true)
    expect(e.message).toContain('AccessKeysPerUser')
    expect(sent('iam:CreateAccessKey')).toBe(1)
  })

  it('CreateAccessKey on a user with two keys is sent once', async () => {
    aws.seedAccessKey('deploy')
    aws.seedAccessKey('deploy')
    const e = await rejection(keys.createKey(iam, 'deploy'))
    expect(isQuota(e)).toBe(true)
    expect(e.$metadata?.httpStatusCode).toBe(409)
    expect(sent('iam:CreateAccessKey')).toBe(1)
  })

  it('TagUser on a user with 50 tags is sent once', async () => {
    const fifty = Object.fromEntries(Array.from({ length: 50 }, (_, i) => [`team-${i}`, `v${i}`]))
    await keys.tag(iam, 'deploy', fifty)
    const before = sent('iam:TagUser')
    const e = await rejection(keys.tag(iam, 'deploy', { [INTENT_TAG]: 'x' }))
    expect(isQuota(e)).toBe(true)
    expect(e.message).toMatch(/TagsPerUser/)
    expect(sent('iam:TagUser') - before).toBe(1)
    expect(Object.keys(aws.users().find((u) => u.userName === 'deploy')!.tags)).toHaveLength(50)
  })
})

describe('calls safe to repeat are retried', () => {
  it('ListAccessKeys after a 500', async () => {
    aws.seedAccessKey('deploy')
    aws.inject({ route: 'iam:ListAccessKeys', status: 500 })
    expect(await keys.listKeys(iam, 'deploy')).toHaveLength(1)
    expect(sent('iam:ListAccessKeys')).toBe(2)
  })

  it('ListAccessKeys after a reset connection', async () => {
    aws.inject({ route: 'iam:ListAccessKeys', reset: true })
    expect(await keys.listKeys(iam, 'deploy')).toEqual([])
    expect(sent('iam:ListAccessKeys')).toBe(2)
  })

  it('TagUser after a 500', async () => {
    aws.inject({ route: 'iam:TagUser', status: 500 })
    await keys.tag(iam, 'deploy', { [INTENT_TAG]: 'x' })
    expect(sent('iam:TagUser')).toBe(2)
    expect(aws.users().find((u) => u.userName === 'deploy')!.tags).toEqual({ [INTENT_TAG]: 'x' })
  })
})
