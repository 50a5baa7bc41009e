/**
 * End to end, the run's memory under what independent services do: answers lost after acting,
 * runs that overlap, re-runs, IAM's tag quota, and one user claimed by two workflows. Every
 * verdict comes from the emulators' state.
 */
import { describe, expect, it } from '@jest/globals'
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam'
import type { ChildProcess } from 'node:child_process'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { REPOS, roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { callerArn, mutations, scanRunsAfterEach } from './helpers.js'

let world: World
const { record } = scanRunsAfterEach(() => world)

async function run(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<RunResult> {
  const result = await runAction(world, roleInputs(world, { force: 'true', ...inputs }), env)
  return record(result)
}

/** One Active key, held by every target, and STS accepts what each target holds. */
async function settled(repos = REPOS): Promise<void> {
  const keys = world.aws.keys(USER)
  expect(keys.map((k) => k.status)).toEqual(['Active'])
  for (const repo of repos) {
    const s = world.github.repositorySecrets(repo)
    expect(s.AWS_ACCESS_KEY_ID).toBe(keys[0]?.accessKeyId)
    await expect(
      callerArn(world, s.AWS_ACCESS_KEY_ID ?? '', s.AWS_SECRET_ACCESS_KEY ?? '')
    ).resolves.toBe(world.userArn)
  }
}

/** Requests the AWS emulator saw for one route. */
const sent = (route: string): number => world.aws.log.filter((e) => e.route === route).length

describe('a CreateAccessKey whose answer is lost after IAM acted', () => {
  it.each([
    ['one key, 500 after acting', {}, { status: 500 }],
    ['one key, connection reset after acting', {}, { reset: true }],
    ['no key, 500 after acting', { noKey: true }, { status: 500 }],
    ['no key, connection reset after acting', { noKey: true }, { reset: true }]
  ] as const)('%s: read back, the orphan deleted, one key in the end', async (_n, opts, fault) => {
    world = await startWorld(opts)
    world.aws.inject({ route: 'iam:CreateAccessKey', afterActing: true, ...fault })
    const result = await run()
    expect(result.code).toBe(0)
    // Sent twice: once lost, once after IAM showed the orphan and the run deleted it.
    expect(sent('iam:CreateAccessKey')).toBe(2)
    const [orphan, kept] = world.aws.createdKeyIds()
    expect(result.log).toContain(`IAM created ${orphan} but its answer was lost`)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).toEqual([kept])
    await settled()
  })

  it('never retries a quota refusal as throttling', async () => {
    world = await startWorld()
    world.aws.inject({
      route: 'iam:CreateAccessKey',
      status: 409,
      code: 'LimitExceeded',
      message: 'Cannot exceed quota for AccessKeysPerUser: 2'
    })
    const result = await run()
    expect(result.code).toBe(1)
    expect(sent('iam:CreateAccessKey')).toBe(1)
    expect(result.log).toContain('IAM allows two access keys per user')
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).toEqual([world.oldKey.accessKeyId])
  })
})

describe('runs that overlap', () => {
  it('two runs at once: one rotates, the other changes nothing of it, never three keys', async () => {
    world = await startWorld()
    const [a, b] = await Promise.all([run(), run()])
    const codes = [a.code, b.code].sort()
    expect(codes[0]).toBe(0)
    const loser = a.code === 0 ? b : a
    if (loser.code !== 0) expect(loser.log).toMatch(/being rotated by run|another run/i)
    expect(world.aws.users().find((u) => u.userName === USER)?.tags['rotate-iam-key']).toBe(
      undefined
    )
    await settled()
  })

  it('two runs at once from different workflows: the user ends with one working key', async () => {
    world = await startWorld()
    const other = { GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/other.yml@refs/heads/main' }
    const [a, b] = await Promise.all([run(), run({}, other)])
    expect([a.code, b.code]).toContain(0)
    await settled()
  })

  it('a failed run releases its lease: the next run, any run, goes ahead at once', async () => {
    world = await startWorld()
    world.github.inject({
      route: 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      after: 2,
      status: 403,
      message: 'Resource not accessible by personal access token',
      count: 1000
    })
    const failed = await run()
    expect(failed.code).toBe(1)
    expect(failed.log).toContain('Both access keys stay Active')
    world.github.clearFaults()
    // acme/api refused for good: only a person's go-ahead lets a run give up acme/app's key.
    const next = await run({ 'max-age-days': '90', force: 'true' })
    expect(next.log).not.toContain('being rotated by')
    expect(next.code).toBe(0)
    await settled()
  })

  it("takes over a killed run's lease at once when GitHub says that run has ended", async () => {
    world = await startWorld()
    const reader = 'github_pat_11AAAAAAA0e2eRunsReaderTokenForTests0123'
    world.github.addToken(reader, { repositories: 'all', secrets: 'write', actions: 'read' })
    let child: ChildProcess | undefined
    world.github.inject({
      route: /^PUT /,
      after: 2,
      hang: true,
      effect: () => child?.kill('SIGKILL')
    })
    const killed = await runAction(
      world,
      roleInputs(world, { force: 'true', 'github-token': reader }),
      {},
      { onSpawn: (c) => (child = c) }
    )
    record(killed)
    expect(killed.signal).toBe('SIGKILL')
    world.github.clearFaults()
    // Another run, not a re-run: without GitHub's word it would wait for the lease.
    const next = await runAction(world, roleInputs(world, { 'github-token': reader }), {})
    record(next)
    expect(next.log).toContain('has ended: taking over its lease')
    expect(next.code).toBe(0)
    await settled()
    expect(next.everything).not.toContain(reader)
  })
})

describe("IAM's tag quota", () => {
  async function tagUser(count: number): Promise<void> {
    const iam = new IAMClient({
      region: 'us-east-1',
      endpoint: world.aws.url,
      credentials: world.admin
    })
    try {
      const Tags = Array.from({ length: count }, (_, i) => ({ Key: `team-${i}`, Value: 'x' }))
      await iam.send(new TagUserCommand({ UserName: USER, Tags }))
    } finally {
      iam.destroy()
    }
  }

  it('rotates a user with 47 tags of its own: three left for the marks', async () => {
    world = await startWorld()
    await tagUser(47)
    const first = await run()
    expect(first.code).toBe(0)
    // With a grace period the user keeps a deactivated key and its mark beside the current one:
    // the marks' peak (intent, current, new) still fits, run after run.
    for (let i = 0; i < 2; i++) {
      const again = await run({ 'grace-period-days': '7' })
      expect(again.code).toBe(0)
    }
    const user = world.aws.users().find((u) => u.userName === USER)
    expect(Object.keys(user?.tags ?? {}).length).toBeLessThanOrEqual(50)
    const [inactive, active] = world.aws.keys(USER)
    expect([inactive?.status, active?.status]).toEqual(['Inactive', 'Active'])
    for (const repo of REPOS)
      expect(world.github.repositorySecrets(repo).AWS_ACCESS_KEY_ID).toBe(active?.accessKeyId)
  })

  it.each([48, 50])('stops before any change for a user with %i tags', async (count) => {
    world = await startWorld()
    await tagUser(count)
    const before = mutations(world).length
    const result = await run()
    expect(result.code).toBe(1)
    expect(result.log).toContain(`has ${count} tags of its own; IAM allows 50`)
    expect(result.log).toContain('Nothing was changed')
    expect(mutations(world).length).toBe(before)
  })
})

describe('one user, two workflows', () => {
  const A = { GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/app.yml@refs/heads/main' }
  const B = { GITHUB_WORKFLOW_REF: 'acme/ops/.github/workflows/api.yml@refs/heads/main' }

  it('refuses to retire a key a workflow of another repository published, naming both', async () => {
    world = await startWorld()
    const first = await run({ repositories: 'acme/app' }, A)
    expect(first.code).toBe(0)
    const before = mutations(world).length
    const infra = { GITHUB_WORKFLOW_REF: 'acme/infra/.github/workflows/api.yml@refs/heads/main' }
    const second = await run({ repositories: 'acme/api' }, infra)
    expect(second.code).toBe(1)
    expect(second.log).toContain(
      'published by workflow acme/ops/app.yml; this is acme/infra/api.yml'
    )
    // First the fix most people need: the rotation, from the workflow that owns the user.
    expect(second.log).toContain(
      "To rotate deploy, run acme/ops/app.yml: by hand if it has a 'workflow_dispatch' trigger ('gh workflow run app.yml --repo acme/ops')"
    )
    expect(second.log).toContain('rotate each IAM user from one workflow only')
    expect(mutations(world).length).toBe(before)
    await settled(['acme/app'])
  })

  it('the schedule and "rotate now" of one repository share a user; the summary names the other', async () => {
    world = await startWorld()
    expect((await run({}, A)).code).toBe(0)
    const now = await run({}, B)
    expect(now.code).toBe(0)
    expect(now.summary).toContain(
      'published by another workflow of this repository (acme/ops/app.yml)'
    )
    await settled()
  })

  it('goes ahead from the same workflow with a changed target list, and says so', async () => {
    world = await startWorld()
    expect((await run({ repositories: 'acme/app' }, A)).code).toBe(0)
    const second = await run({}, A)
    expect(second.code).toBe(0)
    expect(second.summary).toContain('targets changed since')
    await settled()
  })
})
