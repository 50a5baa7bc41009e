/**
 * End to end, many AWS accounts in one run: a manifest names users in three accounts, each
 * reached through its own role assumed with the job's one GitHub identity. The third account's
 * role does not trust the repository: its user fails with the trust-policy hint, the others
 * rotate. Verdicts come from the emulators' state, account by account.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { roleInputs, startWorld, type World } from '../../emulators/world.js'
import { callerArn, scanRunsAfterEach } from './helpers.js'

let world: World
const { run } = scanRunsAfterEach(() => world)

const workspace = (text: string): string => {
  const dir = mkdtempSync(join(tmpdir(), 'workspace-'))
  writeFileSync(join(dir, 'rotation.yml'), text)
  return dir
}

const OLD = new Date(Date.now() - 95 * 86_400_000)

describe('many AWS accounts', () => {
  it('rotates the users of every account through its own role; a role that refuses fails its users alone', async () => {
    world = await startWorld({ repos: ['acme/app', 'acme/b1', 'acme/b2', 'acme/c'] })
    const trust = { audience: 'sts.amazonaws.com', subject: 'repo:acme/ops:*' }
    const b = world.aws.addAccount('222222222222')
    const roleB = b.createRole('rotate-iam-key', trust).arn
    const oldB = ['deploy-b1', 'deploy-b2'].map((user) => {
      b.createUser(user)
      return b.seedAccessKey(user, { createDate: OLD })
    })
    const c = world.aws.addAccount('333333333333')
    // This account's role trusts another repository: the job's token does not match it.
    const roleC = c.createRole('rotate-iam-key', { ...trust, subject: 'repo:acme/other:*' }).arn
    c.createUser('deploy-c')
    const oldC = c.seedAccessKey('deploy-c', { createDate: OLD })

    const dir = workspace(`defaults:
  aws-region: us-east-1
users:
  - iam-user-name: deploy
    repositories: acme/app
  - iam-user-name: deploy-b1
    repositories: acme/b1
    role-to-assume: ${roleB}
    aws-region: eu-west-1
  - iam-user-name: deploy-b2
    repositories: acme/b2
    role-to-assume: ${roleB}
    aws-region: eu-west-1
  - iam-user-name: deploy-c
    repositories: acme/c
    role-to-assume: ${roleC}
`)
    // The input role stays the default: 'deploy' names none of its own.
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })

    expect(result.code).toBe(1)
    // Account B: both users rotated, each new key in its repository, verified in B's region.
    for (const [i, user] of ['deploy-b1', 'deploy-b2'].entries()) {
      const [key, ...rest] = b.keys(user)
      expect(rest).toEqual([])
      expect(key?.accessKeyId).not.toBe(oldB[i]?.accessKeyId)
      expect(key?.lastUsed?.region).toBe('eu-west-1')
      expect(world.github.repositorySecrets(`acme/${user.slice(7)}`)).toEqual({
        AWS_ACCESS_KEY_ID: key?.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key?.secretAccessKey
      })
      expect(await callerArn(world, key!.accessKeyId, key!.secretAccessKey)).toBe(
        `arn:aws:iam::222222222222:user/${user}`
      )
    }
    // The default account, through the input role.
    const [key] = world.aws.keys('deploy')
    expect(key?.accessKeyId).not.toBe(world.oldKey.accessKeyId)
    expect(world.github.repositorySecrets('acme/app')).toEqual({
      AWS_ACCESS_KEY_ID: key?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: key?.secretAccessKey
    })
    // Account C: nothing changed, nothing written, and the reason with the trust-policy hint.
    expect(c.keys('deploy-c').map((k) => [k.accessKeyId, k.status])).toEqual([
      [oldC.accessKeyId, 'Active']
    ])
    expect(c.createdKeyIds()).toEqual([])
    expect(world.github.repositorySecrets('acme/c')).toEqual({})
    expect(result.log).toContain(
      `[deploy-c] Could not assume role ${roleC} with GitHub's OIDC token (AccessDenied`
    )
    expect(result.log).toContain("This job's OIDC token presented sub 'repo:acme/ops:")
    expect(result.log).toContain(
      "1 of 4 users failed: deploy-c. Each user's error is above and in the job summary; the other users: 3 rotated."
    )
    // One session per role (and region): each role assumed once, with a token of its own.
    const assumed = world.aws.log.filter((e) => e.route === 'sts:AssumeRoleWithWebIdentity')
    expect(assumed).toHaveLength(3)
    expect(world.oidc.tokensIssued).toHaveLength(3)
    // The summary groups the users by account.
    const headings = [...result.summary.matchAll(/<h3>([^<]*)<\/h3>/g)].map((m) => m[1])
    expect(headings).toEqual([
      'AWS account 123456789012',
      'AWS account 222222222222',
      'AWS account 333333333333',
      'What happened to deploy-c'
    ])
    // No key of the other accounts reached the log or a runner file.
    for (const secret of [
      ...[...b.keys('deploy-b1'), ...b.keys('deploy-b2')].map((k) => k.secretAccessKey),
      ...oldB.map((k) => k.secretAccessKey),
      oldC.secretAccessKey
    ])
      expect(result.everything).not.toContain(secret)
  }, 120_000)

  it('needs no role input when the manifest names every role, its defaults included', async () => {
    world = await startWorld({ repos: ['acme/app', 'acme/b1'] })
    const b = world.aws.addAccount('222222222222')
    const roleB = b.createRole('rotate-iam-key', {
      audience: 'sts.amazonaws.com',
      subject: 'repo:acme/ops:*'
    }).arn
    b.createUser('deploy-b1')
    const oldB = b.seedAccessKey('deploy-b1', { createDate: OLD })
    const dir = workspace(`defaults:
  role-to-assume: ${roleB}
users:
  - iam-user-name: deploy-b1
    repositories: acme/b1
  - iam-user-name: deploy
    repositories: acme/app
    role-to-assume: ${world.roleArn}
`)
    const {
      'iam-user-name': _u,
      repositories: _r,
      'role-to-assume': _role,
      ...inputs
    } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })

    expect(result.code).toBe(0)
    const [keyB] = b.keys('deploy-b1')
    expect(keyB?.accessKeyId).not.toBe(oldB.accessKeyId)
    expect(world.github.repositorySecrets('acme/b1')).toEqual({
      AWS_ACCESS_KEY_ID: keyB?.accessKeyId,
      AWS_SECRET_ACCESS_KEY: keyB?.secretAccessKey
    })
    const [key] = world.aws.keys('deploy')
    expect(key?.accessKeyId).not.toBe(world.oldKey.accessKeyId)
    expect(world.github.repositorySecrets('acme/app')?.AWS_ACCESS_KEY_ID).toBe(key?.accessKeyId)
    expect(world.oidc.tokensIssued).toHaveLength(2)
    expect(result.everything).not.toContain(keyB?.secretAccessKey)
  }, 120_000)

  it("refuses a manifest user's role and region before any request, at their line and column", async () => {
    world = await startWorld()
    const dir = workspace(`users:
  - iam-user-name: deploy
    repositories: acme/app
    role-to-assume: arn:aws:iam::2222:role/rotate-iam-key
  - iam-user-name: deploy-cn
    repositories: acme/api
    role-to-assume: arn:aws-cn:iam::222222222222:role/rotate-iam-key
    aws-region: eu-west-1
`)
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })

    expect(result.code).toBe(1)
    expect(result.log).toContain(
      "rotation.yml:4:21: users[0].role-to-assume must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key'"
    )
    expect(result.log).toContain(
      "rotation.yml:5:5: 'role-to-assume' is a role of partition aws-cn, but 'aws-region' 'eu-west-1' is in partition aws"
    )
    expect(world.aws.log).toHaveLength(0)
    expect(world.github.log).toHaveLength(0)
  })
})
