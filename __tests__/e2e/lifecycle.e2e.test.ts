/**
 * End to end, never losing access: max-age gating, grace periods, dry runs, runs killed at the
 * worst moments and completed by the next run, another run in flight, and cancellation. Every
 * verdict comes from the emulators' state.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { REPOS, roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { ageMarks, callerArn, mutations, scanRunsAfterEach } from './helpers.js'

const DAY = 86_400_000
let world: World
const { record } = scanRunsAfterEach(() => world)

/**
 * A token without 'Actions: Read' (and the input such a token needs): GitHub cannot tell the run
 * whether the run holding a lease has ended, so a live lease is respected.
 */
function NO_ACTIONS(): Record<string, string> {
  const token = 'github_pat_lifecycle_no_actions_0123456'
  world.github.addToken(token, { repositories: 'all', secrets: 'write' })
  return { 'github-token': token, 'in-flight-runs': 'ignore' }
}

async function run(
  inputs: Record<string, string> = {},
  onSpawn?: (child: ChildProcess) => void,
  env: Record<string, string> = {}
): Promise<RunResult> {
  const result = await runAction(world, roleInputs(world, inputs), env, { onSpawn })
  return record(result)
}

/** Invariant 1: every repository holds a pair AWS accepts as the deploy user. */
async function everyTargetWorks(repos = REPOS): Promise<void> {
  for (const repo of repos) {
    const s = world.github.repositorySecrets(repo)
    await expect(
      callerArn(world, s.AWS_ACCESS_KEY_ID ?? '', s.AWS_SECRET_ACCESS_KEY ?? '')
    ).resolves.toBe(world.userArn)
  }
}

/** Invariant 3: one Active key, held by every target. */
async function settled(): Promise<void> {
  const keys = world.aws.keys(USER)
  expect(keys.map((k) => k.status)).toEqual(['Active'])
  for (const repo of REPOS) {
    expect(world.github.repositorySecrets(repo).AWS_ACCESS_KEY_ID).toBe(keys[0]?.accessKeyId)
  }
  await everyTargetWorks()
}

/** Seed every repository with the old key, as deploys have it before the first rotation. */
async function seedTargets(): Promise<void> {
  const first = await run({ force: 'true' })
  expect(first.code).toBe(0)
  // GitHub and IAM timestamps count whole seconds: keep this run's writes apart from the next's.
  await new Promise((r) => setTimeout(r, 1100))
}

describe('max-age gating', () => {
  it('does nothing when the key is younger than max-age-days, and says when it is due', async () => {
    world = await startWorld()
    await seedTargets()
    const before = mutations(world).length
    const result = await run({ 'max-age-days': '90' })
    expect(result.code).toBe(0)
    expect(result.outputs.rotated).toBe('false')
    expect(result.log).toMatch(
      /Not rotating: key AKIA\w+ is 0 days old; it is due on \d{4}-\d\d-\d\d/
    )
    expect(mutations(world).length).toBe(before)
    const [key] = world.aws.keys(USER)
    const due = new Date(key!.createDate.getTime() + 90 * DAY).toISOString().slice(0, 10)
    expect(result.log).toContain(`it is due on ${due}`)
    expect(result.outputs).toMatchObject({
      'rotated-count': '0',
      'not-due-count': '1',
      'failed-count': '0',
      'next-due-date': due
    })
  })

  it('rotates a young key with force', async () => {
    world = await startWorld()
    await seedTargets()
    const result = await run({ 'max-age-days': '90', force: 'true' })
    expect(result.code).toBe(0)
    expect(result.outputs.rotated).toBe('true')
    // The new key is the one next due: 90 days from its creation.
    const [key] = world.aws.keys(USER)
    expect(key?.accessKeyId).toBe(result.outputs['access-key-id'])
    expect(result.outputs).toMatchObject({
      'rotated-count': '1',
      'not-due-count': '0',
      'failed-count': '0',
      'next-due-date': new Date(key!.createDate.getTime() + 90 * DAY).toISOString().slice(0, 10)
    })
    await settled()
  })
})

describe('grace period', () => {
  it('deactivates now and deletes on a run after the grace period', async () => {
    world = await startWorld()
    const oldId = world.oldKey.accessKeyId
    const first = await run({ 'grace-period-days': '7' })
    expect(first.code).toBe(0)
    expect(world.aws.keys(USER).find((k) => k.accessKeyId === oldId)?.status).toBe('Inactive')
    const tags = world.aws.users().find((u) => u.userName === USER)?.tags ?? {}
    expect(tags[oldId]).toMatch(/^Deactivated by rotate-iam-key at /)
    expect(first.summary).toMatch(/A run on or after \d{4}-\d\d-\d\d deletes it/)
    await everyTargetWorks()

    const early = await run({ 'grace-period-days': '7', 'max-age-days': '90' })
    expect(early.code).toBe(0)
    expect(world.aws.keys(USER)).toHaveLength(2)

    await ageMarks(world, USER, 8 * DAY)
    const later = await run({ 'grace-period-days': '7', 'max-age-days': '90' })
    expect(later.code).toBe(0)
    expect(later.outputs.rotated).toBe('false')
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(oldId)
    expect(world.aws.users().find((u) => u.userName === USER)?.tags[oldId]).toBeUndefined()
    await settled()
  })
})

describe('dry run', () => {
  it('checks everything, prints the plan and changes nothing', async () => {
    world = await startWorld()
    const result = await run({ 'dry-run': 'true' })
    expect(result.code).toBe(0)
    expect(result.outputs.rotated).toBe('false')
    expect(result.log).toContain('Dry run: create a new key and verify it with STS')
    expect(result.log).toContain(
      'Dry run: write AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY to acme/app'
    )
    expect(result.log).toContain(`Dry run: deactivate ${world.oldKey.accessKeyId}, then delete it`)
    expect(mutations(world)).toEqual([])
    // The preflight read every target's public key: the token may read them (writing is not proven).
    expect(world.github.log.filter((e) => e.path.endsWith('/public-key'))).toHaveLength(2)
  })
})

describe('a run killed at the worst moments is completed by the next run', () => {
  /** Kill the action at exactly the `nth` request matching `route`. */
  function killAt(emulator: 'aws' | 'github', route: string | RegExp, after = 0) {
    let child: ChildProcess | undefined
    world[emulator].inject({ route, after, hang: true, effect: () => child?.kill('SIGKILL') })
    return (c: ChildProcess) => {
      child = c
    }
  }

  it.each([
    ['right after CreateAccessKey', 'aws', 'sts:GetCallerIdentity', 1],
    ['after the first repository got its key ID', 'github', /^PUT /, 1],
    ['after the first repository got both secrets', 'github', /^PUT /, 2],
    ['before the old key was deactivated', 'aws', 'iam:UpdateAccessKey', 0]
  ] as const)('%s', async (_name, emulator, route, after) => {
    world = await startWorld()
    await seedTargets()
    world.aws.log.length = 0
    // The admin's own GetCallerIdentity comes first; kill at the new key's.
    const runId = '4242424242'
    const killed = await run({ force: 'true' }, killAt(emulator, route, after), {
      GITHUB_RUN_ID: runId
    })
    expect(killed.signal).toBe('SIGKILL')
    world.aws.clearFaults()
    world.github.clearFaults()
    expect(world.aws.keys(USER).length).toBeLessThanOrEqual(2)

    // A person re-runs the failed job at once: the same workflow run, its next attempt, takes
    // over the killed attempt's lease without waiting.
    const next = await run({ 'max-age-days': '90' }, undefined, {
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: '2'
    })
    expect(next.log).not.toContain('Error')
    expect(next.code).toBe(0)
    await settled()
  })

  it("lets a later scheduled run take over once the killed run's lease has expired", async () => {
    world = await startWorld()
    await seedTargets()
    const killed = await run({ force: 'true' }, killAt('github', /^PUT /, 2))
    expect(killed.signal).toBe('SIGKILL')
    world.github.clearFaults()
    // A token that cannot read runs: GitHub cannot say the killed run ended, so its lease holds.
    const waiting = await run({ 'max-age-days': '90', ...NO_ACTIONS() })
    expect(waiting.code).toBe(1)
    expect(waiting.log).toContain('is being rotated by run')
    // An hour later the lease the killed run took has expired.
    await ageMarks(world, USER, 3_600_000)
    const next = await run({ 'max-age-days': '90', ...NO_ACTIONS() })
    expect(next.code).toBe(0)
    await settled()
  })

  it('recovers a key lost mid-publication, writing its holders first and reporting the window', async () => {
    world = await startWorld()
    await seedTargets()
    const killed = await run({ force: 'true' }, killAt('github', /^PUT /, 2))
    expect(killed.signal).toBe('SIGKILL')
    world.github.clearFaults()
    await ageMarks(world, USER, 3_600_000)
    const next = await run({ 'max-age-days': '90' })
    expect(next.code).toBe(0)
    expect(next.log).toContain('acme/app holds')
    expect(next.summary).toMatch(
      /acme\/app \(\d+\.\d s\) had no working key until the new one was written/
    )
    await settled()
  })

  it('stops, changing nothing, while another run is in flight', async () => {
    world = await startWorld()
    await seedTargets()
    const killed = await run({ force: 'true' }, killAt('aws', 'sts:GetCallerIdentity', 1))
    expect(killed.signal).toBe('SIGKILL')
    world.aws.clearFaults()
    const before = mutations(world).length
    const second = await run({ force: 'true', ...NO_ACTIONS() })
    expect(second.code).toBe(1)
    expect(second.log).toContain('is being rotated by')
    expect(second.log).toContain("'concurrency:'")
    expect(mutations(world).length).toBe(before)
  })
})

describe('cancellation', () => {
  it('deletes the new key when the runner cancels during verification', async () => {
    world = await startWorld()
    await seedTargets()
    const held = world.aws.keys(USER)[0]!.accessKeyId
    world.aws.propagationDelayMs = 60_000
    const result = await run({ force: 'true' }, (child) => {
      const timer = setInterval(() => {
        if (world.aws.log.some((e) => e.route === 'sts:GetCallerIdentity' && e.status === 403)) {
          clearInterval(timer)
          child.kill('SIGTERM')
        }
      }, 20)
    })
    expect(result.code).toBe(1)
    expect(result.log).toContain('Received SIGTERM')
    expect(result.log).toContain('Cancelled while verifying')
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).toEqual([held])
    await settled()
  })
})
