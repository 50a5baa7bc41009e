/**
 * Sessions, one per account a run reaches: opened by the first user of a role (and region),
 * shared by the rest, each role assumed with its own GitHub token; a role that refuses the run
 * fails its own session alone, and is not asked again.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { placeOf, Sessions } from '../src/sessions.js'
import { errorWords } from '../src/report/error.js'
import type { Role } from '../src/inputs/inputs.js'
import { startAwsEmulator, type AwsEmulator } from '../emulators/aws/index.js'
import { startOidcEmulator, type OidcEmulator } from '../emulators/oidc/index.js'

const options = {
  audience: 'sts.amazonaws.com',
  sessionName: 'rotate-iam-key',
  durationSeconds: 900
}
const saved = { ...process.env }
let aws: AwsEmulator
let oidc: OidcEmulator
let roleA: Role
let roleB: Role
let refusing: Role

beforeAll(async () => {
  oidc = await startOidcEmulator({ claims: { repository: 'acme/ops', repository_owner: 'acme' } })
  aws = await startAwsEmulator({ oidc: { issuer: oidc.issuer, jwksUrl: oidc.jwksUrl } })
  const trust = { audience: 'sts.amazonaws.com', subject: 'repo:acme/ops:*' }
  roleA = { arn: aws.createRole('rotate-iam-key', trust).arn, ...options }
  aws.createUser('deploy')
  const b = aws.addAccount('222222222222')
  roleB = { arn: b.createRole('rotate-iam-key', trust).arn, ...options }
  b.createUser('deploy')
  b.seedAccessKey('deploy')
  const c = aws.addAccount('333333333333')
  refusing = {
    arn: c.createRole('rotate-iam-key', { ...trust, subject: 'repo:acme/other:*' }).arn,
    ...options
  }
  Object.assign(process.env, oidc.env, { AWS_ENDPOINT_URL: aws.url })
})
afterAll(async () => {
  process.env = { ...saved }
  await Promise.all([aws.close(), oidc.close()])
})

describe('placeOf', () => {
  it("takes the user's own role and region, the inputs' otherwise", () => {
    const inputs = { role: roleA, assume: options, region: 'us-east-1' }
    const arn = 'arn:aws:iam::222222222222:role/r'
    expect(placeOf({ userName: 'a', targets: [], secretNames: {} as never }, inputs)).toEqual({
      role: roleA,
      region: 'us-east-1'
    })
    const own = { roleArn: arn, region: 'eu-west-1' }
    expect(
      placeOf({ userName: 'a', targets: [], secretNames: {} as never, account: own }, inputs)
    ).toEqual({ role: { arn, ...options }, region: 'eu-west-1' })
    expect(
      placeOf({ userName: 'a', targets: [], secretNames: {} as never }, { region: 'eu-west-1' })
    ).toEqual({ region: 'eu-west-1' })
  })
})

describe('Sessions', () => {
  it('opens one session per role and region, each assumed with its own token', async () => {
    const sessions = new Sessions()
    try {
      const before = oidc.tokensIssued.length
      const a = sessions.for({ role: roleA, region: 'us-east-1' })
      expect(sessions.for({ role: roleA, region: 'us-east-1' })).toBe(a)
      const b = sessions.for({ role: roleB, region: 'us-east-1' })
      expect(b).not.toBe(a)
      const elsewhere = sessions.for({ role: roleA, region: 'eu-west-1' })
      expect(elsewhere).not.toBe(a)
      await Promise.all([a.ready, b.ready, elsewhere.ready])
      expect(await a.account).toBe('123456789012')
      expect(await b.account).toBe('222222222222')
      // Each session acts in its own account.
      const keys = await b.iam.send(new ListAccessKeysCommand({ UserName: 'deploy' }))
      expect(keys.AccessKeyMetadata).toHaveLength(1)
      expect(
        (await a.iam.send(new ListAccessKeysCommand({ UserName: 'deploy' }))).AccessKeyMetadata
      ).toHaveLength(0)
      expect(oidc.tokensIssued.length - before).toBe(3)
      expect(sessions.size).toBe(3)
    } finally {
      sessions.close()
    }
  })

  it('gives the early token to the first role assumed only', async () => {
    const sessions = new Sessions(Promise.resolve('not-a-jwt'))
    try {
      const before = oidc.tokensIssued.length
      const first = sessions.for({ role: roleA, region: 'us-east-1' })
      await expect(first.ready.catch(errorWords)).resolves.toMatch(/not a valid JWT/)
      await sessions.for({ role: roleB, region: 'us-east-1' }).ready
      expect(oidc.tokensIssued.length - before).toBe(1)
    } finally {
      sessions.close()
    }
  })

  it('fails a refusing role with the trust-policy hint, once, and the other roles go on', async () => {
    const sessions = new Sessions()
    try {
      const before = oidc.tokensIssued.length
      const bad = sessions.for({ role: refusing, region: 'us-east-1' })
      const good = sessions.for({ role: roleB, region: 'us-east-1' })
      await expect(bad.ready.catch(errorWords)).resolves.toMatch(
        /Could not assume role arn:aws:iam::333333333333:role\/rotate-iam-key[\s\S]*sub 'repo:acme\/ops:/
      )
      await good.ready
      // Its users' own calls get the same refusal without a new token or a new AssumeRole.
      const assumed = aws.requests.filter((r) => r.route === 'sts:AssumeRoleWithWebIdentity').length
      await expect(bad.iam.send(new ListAccessKeysCommand({ UserName: 'deploy' }))).rejects.toThrow(
        /Could not assume role/
      )
      expect(aws.requests.filter((r) => r.route === 'sts:AssumeRoleWithWebIdentity')).toHaveLength(
        assumed
      )
      expect(oidc.tokensIssued.length - before).toBe(2)
      // The account of a refused role is still known from its ARN, for the summary.
      expect(await bad.account).toBe('333333333333')
    } finally {
      sessions.close()
    }
  })

  it('reads the account of ambient credentials from the caller identity', async () => {
    const admin = aws.createAdminUser('admin-ambient')
    process.env.AWS_ACCESS_KEY_ID = admin.accessKeyId
    process.env.AWS_SECRET_ACCESS_KEY = admin.secretAccessKey
    const sessions = new Sessions()
    try {
      const s = sessions.for({ region: 'us-east-1' })
      await s.ready
      expect(await s.account).toBe('123456789012')
      expect(await s.adminKeyId).toBe(admin.accessKeyId)
    } finally {
      sessions.close()
      delete process.env.AWS_ACCESS_KEY_ID
      delete process.env.AWS_SECRET_ACCESS_KEY
    }
  })
})
