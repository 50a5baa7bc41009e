/**
 * End to end: the bundled action, run as a runner runs it, against the emulators. Every verdict
 * comes from the emulators' state, not from what the action says about itself.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { REPOS, roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { callerArn, mutations, secretsOf } from './helpers.js'

let world: World
/** Runs of the current test: every one is scanned for leaks after the test. */
let runs: RunResult[] = []
afterEach(async () => {
  try {
    for (const result of runs) expectNoLeak(result)
  } finally {
    runs = []
    await world?.close()
  }
})

/**
 * No secret the world knows appears anywhere the action printed or wrote (the runner consumes the
 * `::add-mask::` commands), and every access-key secret the run created was masked.
 */
function expectNoLeak(result: RunResult): void {
  for (const secret of secretsOf(world)) {
    expect(secret.length).toBeGreaterThan(10)
    if (result.everything.includes(secret))
      throw new Error(`leaked a secret: ${secret.slice(0, 4)}…`)
  }
  const created = createdKeys.map((id) => world.aws.secretOf(id))
  for (const secret of created) expect(result.masks).toContain(secret)
}

/** IDs of the keys the last run created, from the emulator's request log. */
let createdKeys: string[] = []

/** Run the action, remembering which keys it created (deleted ones included). */
async function run(
  inputs: Record<string, string>,
  env: Record<string, string> = {}
): Promise<RunResult> {
  const result = await runAction(world, inputs, env)
  createdKeys = world.aws.createdKeyIds()
  runs.push(result)
  return result
}

/** Every repository holds the given key, and AWS accepts what it holds as the deploy user. */
async function expectTargetsHold(keyId: string, repos = REPOS): Promise<void> {
  const key = world.aws.keys(USER).find((k) => k.accessKeyId === keyId)
  expect(key?.status).toBe('Active')
  for (const repo of repos) {
    const secrets = world.github.repositorySecrets(repo)
    expect(secrets.AWS_ACCESS_KEY_ID).toBe(keyId)
    expect(secrets.AWS_SECRET_ACCESS_KEY).toBe(key?.secretAccessKey)
    await expect(
      callerArn(world, secrets.AWS_ACCESS_KEY_ID ?? '', secrets.AWS_SECRET_ACCESS_KEY ?? '')
    ).resolves.toBe(world.userArn)
  }
}

describe('a rotation with an OIDC-assumed role', () => {
  it('creates, verifies, writes every repository, then deletes the old key', async () => {
    world = await startWorld()
    const result = await run(roleInputs(world))

    expect(result.stderr).toBe('')
    expect(result.code).toBe(0)
    const keys = world.aws.keys(USER)
    expect(keys).toHaveLength(1)
    const newKey = keys[0]!
    expect(newKey.accessKeyId).not.toBe(world.oldKey.accessKeyId)
    await expectTargetsHold(newKey.accessKeyId)
    await expect(
      callerArn(world, world.oldKey.accessKeyId, world.oldKey.secretAccessKey)
    ).resolves.toBe('InvalidClientTokenId')
    expect(result.outputs).toEqual({
      rotated: 'true',
      'access-key-id': newKey.accessKeyId,
      'previous-access-key-id': world.oldKey.accessKeyId,
      'rotated-count': '1',
      'not-due-count': '0',
      'failed-count': '0',
      // max-age-days 0: every run rotates, so no day is due.
      'next-due-date': '',
      results: JSON.stringify([
        {
          'iam-user-name': USER,
          rotated: true,
          'access-key-id': newKey.accessKeyId,
          'previous-access-key-id': world.oldKey.accessKeyId,
          targets: REPOS,
          'next-due-date': null
        }
      ])
    })
    expect(result.summary).toContain(newKey.accessKeyId)
    expect(result.summary).toContain(world.oldKey.accessKeyId)
    // The old key is deactivated before it is deleted.
    const retire = world.aws.log.map((e) => e.route).filter((r) => /Update|Delete/.test(r))
    expect(retire).toEqual(['iam:UpdateAccessKey', 'iam:DeleteAccessKey'])
  })

  it('waits for a new key that AWS accepts only after 3 s', async () => {
    world = await startWorld({ propagationDelayMs: 3000 })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(0)
    const [newKey] = world.aws.keys(USER)
    await expectTargetsHold(newKey!.accessKeyId)
    const refused = world.aws.log.filter(
      (e) =>
        e.route === 'sts:GetCallerIdentity' &&
        e.principal === newKey!.accessKeyId &&
        e.status === 403
    )
    expect(refused.length).toBeGreaterThanOrEqual(2)
    expect(refused.length).toBeLessThanOrEqual(5)
    // No secret was written before the key verified.
    const firstPut = world.github.log.find((e) => e.method === 'PUT')!
    const accepted = world.aws.log.find(
      (e) =>
        e.route === 'sts:GetCallerIdentity' &&
        e.principal === newKey!.accessKeyId &&
        e.status === 200
    )!
    expect(firstPut.time).toBeGreaterThanOrEqual(accepted.time)
  })

  it('issues the first key of a user that has none', async () => {
    world = await startWorld({ noKey: true })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(0)
    const keys = world.aws.keys(USER)
    expect(keys).toHaveLength(1)
    await expectTargetsHold(keys[0]!.accessKeyId)
    expect(result.outputs['previous-access-key-id']).toBe('')
  })

  it('clears a leftover Inactive key first', async () => {
    world = await startWorld()
    const leftover = world.aws.seedAccessKey(USER, { status: 'Inactive' })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(0)
    const ids = world.aws.keys(USER).map((k) => k.accessKeyId)
    expect(ids).toHaveLength(1)
    expect(ids).not.toContain(leftover.accessKeyId)
    expect(ids).not.toContain(world.oldKey.accessKeyId)
    await expectTargetsHold(ids[0]!)
  })

  it("keeps the old key Inactive with delete-old-key: 'false'", async () => {
    world = await startWorld()
    const result = await run(roleInputs(world, { 'delete-old-key': 'false' }))

    expect(result.code).toBe(0)
    const keys = world.aws.keys(USER)
    expect(keys.map((k) => [k.accessKeyId, k.status])).toContainEqual([
      world.oldKey.accessKeyId,
      'Inactive'
    ])
  })

  it('writes custom secret names', async () => {
    world = await startWorld()
    const result = await run(
      roleInputs(world, {
        repositories: 'acme/app',
        'access-key-id-secret-name': 'deploy_key_id',
        'secret-access-key-secret-name': 'DEPLOY_SECRET'
      })
    )
    expect(result.code).toBe(0)
    const [key] = world.aws.keys(USER)
    expect(world.github.repositorySecrets('acme/app')).toEqual({
      DEPLOY_KEY_ID: key!.accessKeyId,
      DEPLOY_SECRET: key!.secretAccessKey
    })
  })
})

describe('a rotation with credentials from the environment', () => {
  it('uses the AWS SDK default chain when role-to-assume is empty', async () => {
    world = await startWorld()
    const { 'role-to-assume': _role, ...inputs } = roleInputs(world)
    const result = await run(inputs, {
      AWS_ACCESS_KEY_ID: world.admin.accessKeyId,
      AWS_SECRET_ACCESS_KEY: world.admin.secretAccessKey
    })
    expect(result.code).toBe(0)
    await expectTargetsHold(world.aws.keys(USER)[0]!.accessKeyId)
    expect(world.oidc.log).toHaveLength(0)
  })

  it('refuses to rotate away the key it signs with', async () => {
    world = await startWorld()
    const { 'role-to-assume': _role, ...inputs } = roleInputs(world)
    const result = await run(inputs, {
      AWS_ACCESS_KEY_ID: world.oldKey.accessKeyId,
      AWS_SECRET_ACCESS_KEY: world.oldKey.secretAccessKey
    })
    expect(result.code).toBe(1)
    expect(mutations(world)).toEqual([])
  })
})

describe('refusals that change nothing', () => {
  it('refuses a user with two Active keys, listing both', async () => {
    world = await startWorld()
    const second = world.aws.seedAccessKey(USER)
    const result = await run(roleInputs(world))

    expect(result.code).toBe(1)
    expect(result.log).toContain(world.oldKey.accessKeyId)
    expect(result.log).toContain(second.accessKeyId)
    expect(result.log).toMatch(/95 days old/)
    expect(result.log).toMatch(/never used/)
    expect(mutations(world)).toEqual([])
    expect(world.aws.keys(USER).map((k) => k.status)).toEqual(['Active', 'Active'])
    expect(result.outputs.rotated).toBe('false')
  })

  it.each([
    [{ 'aws-region': 'useast' }, "'aws-region' must look like 'us-east-1', got 'useast'"],
    [{ repositories: 'not a repo' }, "must look like 'owner/repo'"],
    [{ 'access-key-id-secret-name': 'GITHUB_KEY' }, "must not start with 'GITHUB_'"],
    [{ 'role-to-assume': 'admin' }, "'role-to-assume' must be a role ARN"]
  ])('rejects bad input %j before any request', async (bad, message) => {
    world = await startWorld()
    const result = await run(roleInputs(world, bad))
    expect(result.code).toBe(1)
    expect(result.log).toContain(message)
    expect(world.aws.log).toHaveLength(0)
    expect(world.github.log).toHaveLength(0)
    expect(world.oidc.log).toHaveLength(0)
  })

  it("stops before creating a key when the token cannot write a repository's secrets", async () => {
    world = await startWorld()
    world.github.addToken('ghs_workflowTokenWithoutSecretsPermission', {
      repositories: 'all',
      secrets: 'none',
      kind: 'installation'
    })
    const result = await run(
      roleInputs(world, { 'github-token': 'ghs_workflowTokenWithoutSecretsPermission' })
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain('acme/app')
    expect(result.log).toContain("that is most often the workflow's own GITHUB_TOKEN")
    expect(result.log).toContain('Secrets: Read and write')
    expect(mutations(world)).toEqual([])
  })

  it('names the repository the token cannot see (404)', async () => {
    world = await startWorld()
    const result = await run(roleInputs(world, { repositories: 'acme/app\nacme/missing' }))
    expect(result.code).toBe(1)
    expect(result.log).toContain('acme/missing')
    expect(result.log).toContain('404')
    expect(mutations(world)).toEqual([])
  })

  it('explains a role whose trust policy refuses the token', async () => {
    world = await startWorld()
    const { arn } = world.aws.createRole('other', {
      audience: 'sts.amazonaws.com',
      subject: 'repo:other/*'
    })
    const result = await run(roleInputs(world, { 'role-to-assume': arn }))
    expect(result.code).toBe(1)
    expect(result.log).toContain('token.actions.githubusercontent.com:sub')
    expect(mutations(world)).toEqual([])
  })
})

describe('failures after the key exists', () => {
  it('deletes a key that never verifies and touches nothing else', async () => {
    world = await startWorld({ propagationDelayMs: 60_000 })
    const result = await run(roleInputs(world, { 'verify-timeout-seconds': '2' }))

    expect(result.code).toBe(1)
    expect(result.log).toContain('still refused by STS')
    expect(world.aws.keys(USER).map((k) => [k.accessKeyId, k.status])).toEqual([
      [world.oldKey.accessKeyId, 'Active']
    ])
    expect(world.github.log.filter((e) => e.method === 'PUT')).toHaveLength(0)
    expect(result.outputs.rotated).toBe('false')
  })

  it('deletes the new key when every target refuses its first write for good', async () => {
    world = await startWorld()
    world.github.inject({ route: /^PUT /, status: 422, message: 'Bad request', count: 100 })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(1)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).toEqual([world.oldKey.accessKeyId])
  })

  it('keeps both keys Active and says who holds which when a later write fails', async () => {
    world = await startWorld()
    // acme/app's two writes succeed, then every write to acme/api is refused for good.
    world.github.inject({ route: /^PUT /, after: 2, status: 403, message: 'Forbidden', count: 100 })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(1)
    const keys = world.aws.keys(USER)
    expect(keys.map((k) => k.status)).toEqual(['Active', 'Active'])
    const newKey = keys.find((k) => k.accessKeyId !== world.oldKey.accessKeyId)!
    await expectTargetsHold(newKey.accessKeyId, ['acme/app'])
    expect(result.log).toContain(
      `acme/app holds the new key ${newKey.accessKeyId}, as GitHub confirmed; GitHub refused it for good at acme/api`
    )
    expect(result.log).toContain(`that target keeps the old key ${world.oldKey.accessKeyId}`)
    expect(result.outputs.rotated).toBe('false')
  })

  it('absorbs transient faults through the SDK and Octokit retries', async () => {
    world = await startWorld()
    world.aws.inject({ route: 'iam:CreateAccessKey', status: 500, count: 1 })
    world.aws.inject({
      route: 'iam:ListAccessKeys',
      status: 400,
      code: 'Throttling',
      message: 'Rate exceeded',
      count: 1
    })
    world.github.inject({ route: /^PUT /, status: 502, count: 1 })
    world.github.inject({ route: /public-key$/, status: 503, count: 1 })
    const result = await run(roleInputs(world))

    expect(result.code).toBe(0)
    await expectTargetsHold(world.aws.keys(USER)[0]!.accessKeyId)
    expect(world.aws.log.filter((e) => e.injected)).toHaveLength(2)
    expect(world.github.log.filter((e) => e.injected)).toHaveLength(2)
  })
})
