/**
 * Conformance with a peer no one here wrote: the bundled action rotates a key in moto, the widely
 * used AWS emulator, with our GitHub emulator for the secrets. moto does not verify signatures,
 * refuse Inactive keys, delay new keys or check web-identity tokens, so those stay proven
 * against our own emulator; this proves what the action sends and parses is what AWS's shapes
 * look like to someone else.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import {
  CreateAccessKeyCommand,
  CreateUserCommand,
  IAMClient,
  ListAccessKeysCommand,
  UpdateAccessKeyCommand
} from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { createServer } from 'node:net'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'
import { runAction } from '../../emulators/runner.js'

const available =
  spawnSync('python3', ['-c', 'import moto.server'], { stdio: 'ignore' }).status === 0
if (!available && process.env.ROTATE_REQUIRE_MOTO) {
  throw new Error(
    'moto is required here (ROTATE_REQUIRE_MOTO is set) but python3 cannot import moto.server'
  )
}
if (!available) {
  console.warn(
    'Skipping the moto conformance tests: python3 -m moto.server is not available on this machine (install moto to run them; CI requires it).'
  )
}

const TOKEN = 'github_pat_11AAAAAAA0motoConformanceTokenOnly012345'
const ADMIN = {
  accessKeyId: 'AKIAMOTOADMIN0000001',
  secretAccessKey: 'moto-admin-secret-not-checked-by-moto'
}

async function freePort(): Promise<number> {
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  return port
}

let moto: ChildProcess
let motoUrl: string
let github: GitHubEmulator
const aws = (): { iam: IAMClient } => ({
  iam: new IAMClient({ region: 'us-east-1', endpoint: motoUrl, credentials: ADMIN })
})

beforeAll(async () => {
  if (!available) return
  const port = await freePort()
  motoUrl = `http://127.0.0.1:${port}`
  moto = spawn('python3', ['-m', 'moto.server', '-H', '127.0.0.1', '-p', String(port)], {
    stdio: 'ignore'
  })
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`${motoUrl}/moto-api/`).then(
      () => true,
      () => false
    )
    if (up) break
    await new Promise((r) => setTimeout(r, 100))
  }
  github = await startGitHubEmulator()
}, 30_000)

afterAll(async () => {
  moto?.kill()
  await github?.close()
})

const describeMoto = available ? describe : describe.skip

describeMoto('the bundled action against moto', () => {
  it('rotates the key, writes it, and deletes the old one', async () => {
    const { iam } = aws()
    await iam.send(new CreateUserCommand({ UserName: 'deploy' }))
    const { AccessKey: old } = await iam.send(new CreateAccessKeyCommand({ UserName: 'deploy' }))
    github.addRepository('acme/app')
    github.addToken(TOKEN, { repositories: 'all', secrets: 'write', actions: 'read' })

    const result = await runAction(
      { aws: { url: motoUrl }, github, oidc: { requestUrl: '', requestToken: '' } },
      { 'iam-user-name': 'deploy', 'github-token': TOKEN, repositories: 'acme/app' },
      { AWS_ACCESS_KEY_ID: ADMIN.accessKeyId, AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey }
    )

    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    const { AccessKeyMetadata = [] } = await iam.send(
      new ListAccessKeysCommand({ UserName: 'deploy' })
    )
    expect(AccessKeyMetadata.map((k) => [k.AccessKeyId, k.Status])).toEqual([
      [result.outputs['access-key-id'], 'Active']
    ])
    expect(result.outputs['previous-access-key-id']).toBe(old?.AccessKeyId)
    const secrets = github.repositorySecrets('acme/app')
    expect(secrets.AWS_ACCESS_KEY_ID).toBe(result.outputs['access-key-id'])
    const sts = new STSClient({
      region: 'us-east-1',
      endpoint: motoUrl,
      credentials: {
        accessKeyId: secrets.AWS_ACCESS_KEY_ID ?? '',
        secretAccessKey: secrets.AWS_SECRET_ACCESS_KEY ?? ''
      }
    })
    const { Arn } = await sts.send(new GetCallerIdentityCommand({}))
    expect(Arn).toBe('arn:aws:iam::123456789012:user/deploy')
    expect(result.masks).toContain(secrets.AWS_SECRET_ACCESS_KEY)
    expect(result.everything).not.toContain(secrets.AWS_SECRET_ACCESS_KEY)
    expect(result.everything).not.toContain(TOKEN)
    expect(result.everything).not.toContain(ADMIN.secretAccessKey)
  })

  it('parses a leftover Inactive key and two Active keys as AWS lists them', async () => {
    const { iam } = aws()
    await iam.send(new CreateUserCommand({ UserName: 'ci' }))
    const { AccessKey: a } = await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }))
    await iam.send(new CreateAccessKeyCommand({ UserName: 'ci' }))
    const inputs = { 'iam-user-name': 'ci', 'github-token': TOKEN, repositories: 'acme/app' }
    const endpoints = { aws: { url: motoUrl }, github, oidc: { requestUrl: '', requestToken: '' } }
    const env = {
      AWS_ACCESS_KEY_ID: ADMIN.accessKeyId,
      AWS_SECRET_ACCESS_KEY: ADMIN.secretAccessKey
    }

    const refused = await runAction(endpoints, inputs, env)
    expect(refused.code).toBe(1)
    expect(refused.log).toContain('two Active access keys')
    expect(refused.log).toContain('never used')

    await iam.send(
      new UpdateAccessKeyCommand({
        UserName: 'ci',
        AccessKeyId: a?.AccessKeyId,
        Status: 'Inactive'
      })
    )
    const rotated = await runAction(endpoints, inputs, env)
    expect(rotated.code).toBe(0)
    const { AccessKeyMetadata = [] } = await iam.send(new ListAccessKeysCommand({ UserName: 'ci' }))
    expect(AccessKeyMetadata).toHaveLength(1)
    expect(AccessKeyMetadata[0]?.AccessKeyId).toBe(rotated.outputs['access-key-id'])
  })
})
