/**
 * The AWS emulator, exercised through the real AWS SDK v3 clients: if the SDK accepts its
 * answers and errors, the action will see what it would see against AWS.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  jest,
  test
} from '@jest/globals'
import {
  CreateAccessKeyCommand,
  DeleteAccessKeyCommand,
  GetAccessKeyLastUsedCommand,
  GetUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  ListUserTagsCommand,
  TagUserCommand,
  UntagUserCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import {
  AssumeRoleWithWebIdentityCommand,
  GetCallerIdentityCommand,
  STSClient
} from '@aws-sdk/client-sts'
import { exportJWK, generateKeyPair, SignJWT, type CryptoKey, type JWK } from 'jose'
import { startAwsEmulator, type AwsEmulator } from '../../emulators/aws/index.js'

interface Creds {
  accessKeyId: string
  secretAccessKey: string
  sessionToken?: string
}

let emulator: AwsEmulator
const iam = (credentials: Creds, extra: Record<string, unknown> = {}) =>
  new IAMClient({
    endpoint: emulator.url,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
    ...extra
  })
const sts = (credentials: Creds, region = 'us-east-1') =>
  new STSClient({ endpoint: emulator.url, region, credentials, maxAttempts: 1 })

/** The rejection an SDK call ends with: error name (AWS Code), message and HTTP status. */
async function failure(promise: Promise<unknown>) {
  try {
    await promise
  } catch (error) {
    // Modeled errors get class names (NoSuchEntityException); `Error.Code` is AWS's own code.
    const e = error as Error & {
      $metadata?: { httpStatusCode?: number }
      Error?: { Code?: string }
    }
    return {
      name: e.Error?.Code ?? e.name,
      message: e.message,
      status: e.$metadata?.httpStatusCode
    }
  }
  throw new Error('expected the call to fail')
}

const whoami = async (credentials: Creds) =>
  (await sts(credentials).send(new GetCallerIdentityCommand({}))).Arn

describe('AWS emulator', () => {
  let admin: Creds

  beforeEach(async () => {
    emulator = await startAwsEmulator()
    admin = emulator.createAdminUser('admin')
    emulator.createUser('deploy')
  })
  afterEach(async () => {
    await emulator.close()
  })

  test('full key lifecycle: create, use, deactivate, delete', async () => {
    const old = emulator.seedAccessKey('deploy', { createDate: new Date('2026-01-01T00:00:00Z') })
    const created = await iam(admin).send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    const fresh = created.AccessKey!
    expect(fresh.AccessKeyId).toMatch(/^AKIA[A-Z2-7]{16}$/)
    expect(fresh.SecretAccessKey).toMatch(/^[A-Za-z0-9+/]{40}$/)
    expect(fresh.Status).toBe('Active')
    expect(fresh.UserName).toBe('deploy')

    const fresherCreds = {
      accessKeyId: fresh.AccessKeyId!,
      secretAccessKey: fresh.SecretAccessKey!
    }
    expect(await whoami(fresherCreds)).toBe('arn:aws:iam::123456789012:user/deploy')

    const listed = await iam(admin).send(new ListAccessKeysCommand({ UserName: 'deploy' }))
    expect(listed.IsTruncated).toBe(false)
    expect(listed.AccessKeyMetadata?.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [old.accessKeyId, 'Active'],
      [fresh.AccessKeyId, 'Active']
    ])
    expect(listed.AccessKeyMetadata?.[0]?.CreateDate).toEqual(new Date('2026-01-01T00:00:00Z'))

    await iam(admin).send(
      new UpdateAccessKeyCommand({
        UserName: 'deploy',
        AccessKeyId: old.accessKeyId,
        Status: 'Inactive'
      })
    )
    expect(await failure(whoami(old))).toMatchObject({ name: 'InvalidClientTokenId', status: 403 })
    await iam(admin).send(
      new DeleteAccessKeyCommand({ UserName: 'deploy', AccessKeyId: old.accessKeyId })
    )
    expect(await failure(whoami(old))).toEqual({
      name: 'InvalidClientTokenId',
      message: 'The security token included in the request is invalid.',
      status: 403
    })
    expect(emulator.keys('deploy').map((k) => k.accessKeyId)).toEqual([fresh.AccessKeyId])
    expect(emulator.users().find((u) => u.userName === 'deploy')?.keys[0]?.secretAccessKey).toBe(
      fresh.SecretAccessKey
    )

    // Without UserName, IAM acts on the caller's own user.
    const own = await iam(admin).send(new ListAccessKeysCommand({}))
    expect(own.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([admin.accessKeyId])
  })

  test('a third key is refused with 409 LimitExceeded', async () => {
    await iam(admin).send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    await iam(admin).send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    expect(
      await failure(iam(admin).send(new CreateAccessKeyCommand({ UserName: 'deploy' })))
    ).toEqual({
      name: 'LimitExceeded',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2',
      status: 409
    })
  })

  test('unknown entities are 404 NoSuchEntity', async () => {
    expect(
      await failure(iam(admin).send(new CreateAccessKeyCommand({ UserName: 'ghost' })))
    ).toEqual({
      name: 'NoSuchEntity',
      message: 'The user with name ghost cannot be found.',
      status: 404
    })
    const missing = 'AKIAAAAAAAAAAAAAAAAA'
    expect(
      await failure(
        iam(admin).send(
          new UpdateAccessKeyCommand({
            UserName: 'deploy',
            AccessKeyId: missing,
            Status: 'Inactive'
          })
        )
      )
    ).toEqual({
      name: 'NoSuchEntity',
      message: `The Access Key with id ${missing} cannot be found.`,
      status: 404
    })
  })

  test('unknown key, wrong secret and stale clock are refused as AWS refuses them', async () => {
    const unknown = { accessKeyId: 'AKIAZZZZZZZZZZZZZZZZ', secretAccessKey: 'x'.repeat(40) }
    expect(await failure(whoami(unknown))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403
    })
    const wrong = { accessKeyId: admin.accessKeyId, secretAccessKey: 'y'.repeat(40) }
    const mismatch = await failure(iam(wrong).send(new ListAccessKeysCommand({})))
    expect(mismatch).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 })
    expect(mismatch.message).toMatch(/^The request signature we calculated does not match/)
    const skewed = await failure(
      iam(admin, { systemClockOffset: -20 * 60_000 }).send(new ListAccessKeysCommand({}))
    )
    expect(skewed).toMatchObject({ name: 'SignatureDoesNotMatch', status: 403 })
    expect(skewed.message).toMatch(/^Signature expired: \d{8}T\d{6}Z is now earlier than/)
  })

  test('unsigned requests and unknown actions get Query-protocol errors', async () => {
    const post = (body: string) =>
      fetch(emulator.url, {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body
      })
    const unsigned = await post('Action=GetCallerIdentity&Version=2011-06-15')
    expect(unsigned.status).toBe(403)
    expect(unsigned.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/)
    expect(await unsigned.text()).toMatch(
      /^<ErrorResponse xmlns="https:\/\/sts\.amazonaws\.com\/doc\/2011-06-15\/"><Error><Type>Sender<\/Type><Code>MissingAuthenticationToken<\/Code><Message>Request is missing Authentication Token<\/Message><\/Error><RequestId>[0-9a-f-]{36}<\/RequestId><\/ErrorResponse>/
    )
    const bogus = await post('Action=RotateEverything&Version=2010-05-08')
    expect(bogus.status).toBe(400)
    expect(await bogus.text()).toContain(
      '<Code>InvalidAction</Code><Message>Could not find operation RotateEverything for version 2010-05-08</Message>'
    )
  })

  test('values are XML-escaped and validated like AWS', async () => {
    const error = await failure(iam(admin).send(new GetUserCommand({ UserName: 'a<b&c' })))
    expect(error).toMatchObject({ name: 'ValidationError', status: 400 })
    expect(error.message).toContain("Value 'a<b&c' at 'userName'")
  })

  test('a new key is refused until it has propagated', async () => {
    emulator.propagationDelayMs = 400
    const created = await iam(admin).send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    const creds = {
      accessKeyId: created.AccessKey!.AccessKeyId!,
      secretAccessKey: created.AccessKey!.SecretAccessKey!
    }
    expect(await failure(whoami(creds))).toMatchObject({
      name: 'InvalidClientTokenId',
      status: 403
    })
    await new Promise((r) => setTimeout(r, 450))
    expect(await whoami(creds)).toBe('arn:aws:iam::123456789012:user/deploy')
  })

  test('GetAccessKeyLastUsed reflects real use', async () => {
    const key = emulator.seedAccessKey('deploy')
    const before = await iam(admin).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId })
    )
    expect(before.UserName).toBe('deploy')
    expect(before.AccessKeyLastUsed).toEqual({ ServiceName: 'N/A', Region: 'N/A' })

    const start = Date.now()
    await sts(key, 'eu-west-1').send(new GetCallerIdentityCommand({}))
    const after = await iam(admin).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: key.accessKeyId })
    )
    expect(after.AccessKeyLastUsed?.ServiceName).toBe('sts')
    expect(after.AccessKeyLastUsed?.Region).toBe('eu-west-1')
    // LastUsedDate has second precision on the wire.
    expect(after.AccessKeyLastUsed!.LastUsedDate!.getTime()).toBeGreaterThanOrEqual(start - 1000)

    const seeded = emulator.seedAccessKey('deploy', {
      lastUsed: { date: new Date('2026-02-03T04:05:06Z'), serviceName: 's3', region: 'us-west-2' }
    })
    const old = await iam(admin).send(
      new GetAccessKeyLastUsedCommand({ AccessKeyId: seeded.accessKeyId })
    )
    expect(old.AccessKeyLastUsed).toEqual({
      LastUsedDate: new Date('2026-02-03T04:05:06Z'),
      ServiceName: 's3',
      Region: 'us-west-2'
    })
  })

  test('non-admin principals are denied IAM but may call GetCallerIdentity', async () => {
    const deployKey = emulator.seedAccessKey('deploy')
    expect(await whoami(deployKey)).toBe('arn:aws:iam::123456789012:user/deploy')
    expect(
      await failure(iam(deployKey).send(new CreateAccessKeyCommand({ UserName: 'deploy' })))
    ).toEqual({
      name: 'AccessDenied',
      message:
        'User: arn:aws:iam::123456789012:user/deploy is not authorized to perform: iam:CreateAccessKey on resource: user deploy because no identity-based policy allows the iam:CreateAccessKey action',
      status: 403
    })

    // A self-managing user may rotate its own keys, and nobody else's.
    emulator.createUser('ci', { path: '/bots/', policy: 'self' })
    const ciKey = emulator.seedAccessKey('ci')
    expect(await whoami(ciKey)).toBe('arn:aws:iam::123456789012:user/bots/ci')
    await iam(ciKey).send(new CreateAccessKeyCommand({}))
    expect(emulator.keys('ci')).toHaveLength(2)
    expect(
      (await failure(iam(ciKey).send(new ListAccessKeysCommand({ UserName: 'deploy' })))).name
    ).toBe('AccessDenied')
  })

  test('tags: TagUser, ListUserTags, UntagUser', async () => {
    const client = iam(admin)
    await client.send(
      new TagUserCommand({
        UserName: 'deploy',
        Tags: [
          { Key: 'rotated-at', Value: '2026-11-22T00:00:00Z' },
          { Key: 'owner', Value: 'team a' }
        ]
      })
    )
    await client.send(
      new TagUserCommand({ UserName: 'deploy', Tags: [{ Key: 'Owner', Value: 'b' }] })
    )
    const listed = await client.send(new ListUserTagsCommand({ UserName: 'deploy' }))
    expect(listed.Tags).toEqual([
      { Key: 'rotated-at', Value: '2026-11-22T00:00:00Z' },
      { Key: 'Owner', Value: 'b' }
    ])
    await client.send(new UntagUserCommand({ UserName: 'deploy', TagKeys: ['owner'] }))
    expect(emulator.users().find((u) => u.userName === 'deploy')?.tags).toEqual({
      'rotated-at': '2026-11-22T00:00:00Z'
    })
    const user = await client.send(new GetUserCommand({ UserName: 'deploy' }))
    expect(user.User?.Tags).toEqual([{ Key: 'rotated-at', Value: '2026-11-22T00:00:00Z' }])
    const bad = await failure(
      client.send(
        new TagUserCommand({ UserName: 'deploy', Tags: [{ Key: 'a'.repeat(129), Value: '' }] })
      )
    )
    expect(bad).toMatchObject({ name: 'ValidationError', status: 400 })
  })

  test('TagsPerUser is 50: a user at 48 tags takes 2 more, not 3 (409 LimitExceeded)', async () => {
    const client = iam(admin)
    const tags = (from: number, n: number) =>
      Array.from({ length: n }, (_, i) => ({ Key: `k${from + i}`, Value: 'v' }))
    await client.send(new TagUserCommand({ UserName: 'deploy', Tags: tags(0, 48) }))
    const quota = {
      name: 'LimitExceeded',
      message: 'Cannot exceed quota for TagsPerUser: 50',
      status: 409
    }
    // three at once is refused whole: nothing of it is applied
    expect(
      await failure(client.send(new TagUserCommand({ UserName: 'deploy', Tags: tags(48, 3) })))
    ).toEqual(quota)
    const deploy = emulator.users().find((u) => u.userName === 'deploy')
    expect(Object.keys(deploy?.tags ?? {})).toHaveLength(48)
    await client.send(new TagUserCommand({ UserName: 'deploy', Tags: tags(48, 2) }))
    expect(
      await failure(client.send(new TagUserCommand({ UserName: 'deploy', Tags: tags(50, 1) })))
    ).toEqual(quota)
    // at the quota, overwriting an existing key (case-insensitively) still works
    await client.send(
      new TagUserCommand({ UserName: 'deploy', Tags: [{ Key: 'K0', Value: 'replaced' }] })
    )
    const listed = await client.send(new ListUserTagsCommand({ UserName: 'deploy' }))
    expect(listed.Tags).toHaveLength(50)
    expect(listed.Tags).toContainEqual({ Key: 'K0', Value: 'replaced' })
  })

  test('fault injection: a 500, a throttle, then a hang', async () => {
    emulator.inject({ route: 'iam:ListAccessKeys', status: 500 })
    const error = await failure(iam(admin).send(new ListAccessKeysCommand({})))
    expect(error).toMatchObject({ name: 'InternalFailure', status: 500 })
    emulator.inject({ route: /^iam:/, status: 400 })
    expect(await failure(iam(admin).send(new ListAccessKeysCommand({})))).toEqual({
      name: 'Throttling',
      message: 'Rate exceeded',
      status: 400
    })
    expect((await iam(admin).send(new ListAccessKeysCommand({}))).AccessKeyMetadata).toHaveLength(1)

    emulator.inject({ route: 'sts:GetCallerIdentity', hang: true })
    const client = new STSClient({
      endpoint: emulator.url,
      region: 'us-east-1',
      credentials: admin,
      maxAttempts: 1,
      requestHandler: { requestTimeout: 300, throwOnRequestTimeout: true }
    })
    const hung = await failure(client.send(new GetCallerIdentityCommand({})))
    expect(hung.name).toBe('TimeoutError')
    expect(emulator.log.filter((e) => e.injected).map((e) => [e.route, e.status])).toEqual([
      ['iam:ListAccessKeys', 500],
      ['iam:ListAccessKeys', 400],
      ['sts:GetCallerIdentity', -1]
    ])
    expect(emulator.requests.at(-2)).toMatchObject({ status: 200, principal: admin.accessKeyId })
  })

  test('AWS_ENDPOINT_URL_IAM and AWS_ENDPOINT_URL_STS route the SDK to the emulator', async () => {
    const saved = { iam: process.env.AWS_ENDPOINT_URL_IAM, sts: process.env.AWS_ENDPOINT_URL_STS }
    process.env.AWS_ENDPOINT_URL_IAM = emulator.url
    process.env.AWS_ENDPOINT_URL_STS = emulator.url
    try {
      const iamClient = new IAMClient({ region: 'us-east-1', credentials: admin, maxAttempts: 1 })
      const stsClient = new STSClient({ region: 'us-east-1', credentials: admin, maxAttempts: 1 })
      const keys = await iamClient.send(new ListAccessKeysCommand({}))
      expect(keys.AccessKeyMetadata?.[0]?.AccessKeyId).toBe(admin.accessKeyId)
      expect((await stsClient.send(new GetCallerIdentityCommand({}))).Arn).toBe(
        'arn:aws:iam::123456789012:user/admin'
      )
      expect(emulator.log.map((e) => e.route)).toEqual([
        'iam:ListAccessKeys',
        'sts:GetCallerIdentity'
      ])
    } finally {
      for (const [name, value] of [
        ['AWS_ENDPOINT_URL_IAM', saved.iam],
        ['AWS_ENDPOINT_URL_STS', saved.sts]
      ] as const) {
        if (value === undefined) delete process.env[name]
        else process.env[name] = value
      }
    }
  })
})

describe('AssumeRoleWithWebIdentity', () => {
  const issuer = 'https://token.actions.example.test'
  const audience = 'sts.amazonaws.com'
  let jwksServer: Server
  let jwksUrl: string
  let signingKey: CryptoKey
  let strangerKey: CryptoKey
  let roleArn: string
  let readOnlyRoleArn: string

  beforeAll(async () => {
    const pair = await generateKeyPair('RS256')
    signingKey = pair.privateKey
    strangerKey = (await generateKeyPair('RS256')).privateKey
    const jwk: JWK = { ...(await exportJWK(pair.publicKey)), kid: 'k1', alg: 'RS256', use: 'sig' }
    jwksServer = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' })
      res.end(JSON.stringify({ keys: [jwk] }))
    })
    await new Promise<void>((r) => jwksServer.listen(0, '127.0.0.1', r))
    jwksUrl = `http://127.0.0.1:${(jwksServer.address() as AddressInfo).port}/.well-known/jwks`
  })
  afterAll(async () => {
    await new Promise((r) => jwksServer.close(r))
  })

  beforeEach(async () => {
    emulator = await startAwsEmulator({ oidc: { issuer, jwksUrl } })
    roleArn = emulator.createRole('rotator', { audience, subject: 'repo:acme/*' }).arn
    readOnlyRoleArn = emulator.createRole('reader', {
      audience,
      subject: 'repo:acme/*',
      admin: false
    }).arn
    emulator.createUser('deploy')
  })
  afterEach(async () => {
    await emulator.close()
  })

  const token = (
    claims: Record<string, unknown> = {},
    key = signingKey,
    expiresIn: string | number = '5m'
  ) =>
    new SignJWT({ sub: 'repo:acme/app:ref:refs/heads/main', aud: audience, iss: issuer, ...claims })
      .setProtectedHeader({ alg: 'RS256', kid: 'k1' })
      .setIssuedAt()
      .setExpirationTime(expiresIn)
      .sign(key)

  const assume = async (webToken: string, arn = roleArn, extra: Record<string, unknown> = {}) =>
    new STSClient({ endpoint: emulator.url, region: 'us-east-1', maxAttempts: 1 }).send(
      new AssumeRoleWithWebIdentityCommand({
        RoleArn: arn,
        RoleSessionName: 'rotate-iam-key',
        WebIdentityToken: webToken,
        ...extra
      })
    )

  test('a good token yields session credentials that work for STS and IAM', async () => {
    const out = await assume(await token())
    expect(out.Credentials?.AccessKeyId).toMatch(/^ASIA[A-Z2-7]{16}$/)
    expect(out.SubjectFromWebIdentityToken).toBe('repo:acme/app:ref:refs/heads/main')
    expect(out.Audience).toBe(audience)
    expect(out.AssumedRoleUser?.Arn).toBe(
      'arn:aws:sts::123456789012:assumed-role/rotator/rotate-iam-key'
    )
    expect(out.AssumedRoleUser?.AssumedRoleId).toMatch(/^AROA[A-Z2-7]{17}:rotate-iam-key$/)
    expect(out.Provider).toBe('arn:aws:iam::123456789012:oidc-provider/token.actions.example.test')
    const ttl = out.Credentials!.Expiration!.getTime() - Date.now()
    expect(ttl).toBeGreaterThan(3590_000)
    expect(ttl).toBeLessThanOrEqual(3600_000)

    const creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!
    }
    const identity = await sts(creds).send(new GetCallerIdentityCommand({}))
    expect(identity.Arn).toBe('arn:aws:sts::123456789012:assumed-role/rotator/rotate-iam-key')
    expect(identity.UserId).toBe(out.AssumedRoleUser?.AssumedRoleId)
    await iam(creds).send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    expect(emulator.keys('deploy')).toHaveLength(1)
    // Role sessions have no user of their own.
    expect((await failure(iam(creds).send(new ListAccessKeysCommand({})))).name).toBe(
      'ValidationError'
    )
    // The session token is part of the credential.
    const noToken = { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }
    expect((await failure(whoami(noToken))).name).toBe('InvalidClientTokenId')
  })

  test('session credentials expire with ExpiredToken', async () => {
    const out = await assume(await token(), roleArn, { DurationSeconds: 900 })
    const creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!
    }
    // Only the clock moves: timers stay real so the SDK and the server keep working.
    jest.useFakeTimers({
      doNotFake: [
        'setTimeout',
        'clearTimeout',
        'setImmediate',
        'clearImmediate',
        'setInterval',
        'clearInterval',
        'nextTick',
        'queueMicrotask',
        'hrtime',
        'performance'
      ]
    })
    try {
      jest.setSystemTime(out.Credentials!.Expiration!.getTime() + 1000)
      expect(await failure(whoami(creds))).toEqual({
        name: 'ExpiredToken',
        message: 'The security token included in the request is expired',
        status: 403
      })
    } finally {
      jest.useRealTimers()
    }
  })

  test('a session of a non-admin role is denied IAM', async () => {
    const out = await assume(await token(), readOnlyRoleArn)
    const creds = {
      accessKeyId: out.Credentials!.AccessKeyId!,
      secretAccessKey: out.Credentials!.SecretAccessKey!,
      sessionToken: out.Credentials!.SessionToken!
    }
    const denied = await failure(iam(creds).send(new ListAccessKeysCommand({ UserName: 'deploy' })))
    expect(denied).toMatchObject({ name: 'AccessDenied', status: 403 })
    expect(denied.message).toMatch(
      /^User: arn:aws:sts::123456789012:assumed-role\/reader\/rotate-iam-key is not authorized/
    )
  })

  test('bad tokens are refused with AWS error codes', async () => {
    expect(await failure(assume(await token({ aud: 'someone-else' })))).toEqual({
      name: 'InvalidIdentityToken',
      message: 'Incorrect token audience',
      status: 400
    })
    expect(
      await failure(assume(await token({ sub: 'repo:evil/app:ref:refs/heads/main' })))
    ).toEqual({
      name: 'AccessDenied',
      message: 'Not authorized to perform sts:AssumeRoleWithWebIdentity',
      status: 403
    })
    const expired = await failure(
      assume(await token({}, signingKey, Math.floor(Date.now() / 1000) - 60))
    )
    expect(expired).toMatchObject({ name: 'ExpiredTokenException', status: 400 })
    expect(expired.message).toMatch(
      /^Token expired: current date\/time \d+ must be before the expiration date\/time\d+$/
    )
    expect(await failure(assume(await token({}, strangerKey)))).toMatchObject({
      name: 'InvalidIdentityToken',
      status: 400
    })
    expect(await failure(assume(await token({ iss: 'https://elsewhere.test' })))).toMatchObject({
      name: 'InvalidIdentityToken',
      message: 'No OpenIDConnect provider found in your account for https://elsewhere.test'
    })
    expect(await failure(assume('not-a-jwt'))).toMatchObject({ name: 'InvalidIdentityToken' })
    expect(
      await failure(assume(await token(), 'arn:aws:iam::123456789012:role/missing'))
    ).toMatchObject({ name: 'AccessDenied', status: 403 })
  })

  test('several accounts behind one endpoint: the role ARN and the credential select the account', async () => {
    const other = emulator.addAccount('210987654321')
    const otherRole = other.createRole('rotator', { audience, subject: 'repo:acme/*' }).arn
    other.createUser('deploy')
    const key = other.seedAccessKey('deploy')
    const none = emulator.addAccount('333333333333', { oidc: null })
    const noneRole = none.createRole('rotator', { audience, subject: 'repo:acme/*' }).arn
    const web = await token()

    const session = (await assume(web, otherRole)).Credentials!
    const creds = {
      accessKeyId: session.AccessKeyId!,
      secretAccessKey: session.SecretAccessKey!,
      sessionToken: session.SessionToken!
    }
    const me = await sts(creds).send(new GetCallerIdentityCommand({}))
    expect(me.Account).toBe('210987654321')
    expect(me.Arn).toBe('arn:aws:sts::210987654321:assumed-role/rotator/rotate-iam-key')
    // IAM acts in the session's own account: its 'deploy', not the default account's.
    const keys = await iam(creds).send(new ListAccessKeysCommand({ UserName: 'deploy' }))
    expect(keys.AccessKeyMetadata?.map((k) => k.AccessKeyId)).toEqual([key.accessKeyId])
    expect(emulator.keys('deploy')).toEqual([])
    // A user's key authenticates in its own account.
    expect((await sts(key).send(new GetCallerIdentityCommand({}))).Account).toBe('210987654321')
    // The provider is registered per account: one without it refuses the same token.
    expect(await failure(assume(web, noneRole))).toMatchObject({
      name: 'InvalidIdentityToken',
      message: `No OpenIDConnect provider found in your account for ${issuer}`
    })
    // A role of an account the emulator does not host is refused as one that does not trust.
    expect(await failure(assume(web, 'arn:aws:iam::444444444444:role/rotator'))).toMatchObject({
      name: 'AccessDenied',
      status: 403
    })
    expect(emulator.sessionSecrets()).toContain(creds.sessionToken)
    expect(() => emulator.addAccount('210987654321')).toThrow(/already exists/)
  })

  test('RoleSessionName and DurationSeconds are validated', async () => {
    const good = await token()
    expect(await failure(assume(good, roleArn, { RoleSessionName: 'has space' }))).toMatchObject({
      name: 'ValidationError',
      status: 400
    })
    const short = await failure(assume(good, roleArn, { DurationSeconds: 100 }))
    expect(short.message).toContain('Member must have value greater than or equal to 900')
    const long = await failure(assume(good, roleArn, { DurationSeconds: 7200 }))
    expect(long.message).toBe(
      'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'
    )
    const ok = await assume(good, roleArn, { DurationSeconds: 900 })
    expect(ok.Credentials!.Expiration!.getTime() - Date.now()).toBeLessThanOrEqual(900_000)
  })
})
