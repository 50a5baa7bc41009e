/**
 * End to end, "when in doubt, keep the key": a key is deactivated or deleted only when the run can
 * show, from what it recorded and what GitHub confirmed, that no target holds it. Each case runs
 * the bundle as a runner does, then the follow-up at once (not due, with `max-age-days`), and
 * every verdict comes from the emulators' state: which key each target holds, and whether STS
 * accepts it.
 */
import { describe, expect, it } from '@jest/globals'
import { IAMClient, UpdateAccessKeyCommand } from '@aws-sdk/client-iam'
import sodium from 'libsodium-wrappers'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { REPOS, roleInputs, startWorld, TOKEN, USER, type World } from '../../emulators/world.js'
import { Octokit } from '../emulators/octokit.js'
import { callerArn, scanRunsAfterEach } from './helpers.js'

let world: World
const { record } = scanRunsAfterEach(() => world)

const PUT_SECRET = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'
const GET_SECRET = 'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}'
/** Not due for months: a follow-up run that changes something does so to finish, never to rotate. */
const NOT_DUE = { 'max-age-days': '365', force: 'false' }

async function run(
  inputs: Record<string, string> = {},
  env: Record<string, string> = {}
): Promise<RunResult> {
  return record(await runAction(world, roleInputs(world, { force: 'true', ...inputs }), env))
}

/** The key ID a repository holds, and whether AWS accepts the pair it holds as the deploy user. */
async function holding(repo: string): Promise<{ id: string | undefined; works: boolean }> {
  const s = world.github.repositorySecrets(repo)
  const arn = await callerArn(world, s.AWS_ACCESS_KEY_ID ?? '', s.AWS_SECRET_ACCESS_KEY ?? '')
  return { id: s.AWS_ACCESS_KEY_ID, works: arn === world.userArn }
}

/** Every target holds a pair AWS accepts: the one promise. */
async function everyTargetWorks(repos = REPOS): Promise<void> {
  for (const repo of repos) expect([repo, (await holding(repo)).works]).toEqual([repo, true])
}

const statuses = (): string[][] =>
  world.aws.keys(USER).map((k) => [k.accessKeyId, k.status] as string[])

/** What a person does by hand: write a key into a repository's secrets through GitHub's API. */
async function writeByHand(repo: string, key: { accessKeyId: string; secretAccessKey: string }) {
  await sodium.ready
  const octokit = new Octokit({ baseUrl: world.github.url, auth: TOKEN })
  const [owner = '', name = ''] = repo.split('/')
  const { data: pk } = await octokit.request(
    'GET /repos/{owner}/{repo}/actions/secrets/public-key',
    { owner, repo: name }
  )
  for (const [secret_name, value] of [
    ['AWS_ACCESS_KEY_ID', key.accessKeyId],
    ['AWS_SECRET_ACCESS_KEY', key.secretAccessKey]
  ] as const) {
    const sealed = sodium.crypto_box_seal(
      sodium.from_string(value),
      sodium.from_base64(pk.key, sodium.base64_variants.ORIGINAL)
    )
    await octokit.request(PUT_SECRET, {
      owner,
      repo: name,
      secret_name,
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: pk.key_id
    })
  }
}

const admin = (): IAMClient =>
  new IAMClient({ region: 'us-east-1', endpoint: world.aws.url, credentials: world.admin })

describe('1. a write whose outcome is unknown is treated as possibly landed', () => {
  it('a PUT that lands while its answer is lost on every retry: GitHub’s record shows it, the run completes', async () => {
    world = await startWorld()
    world.github.inject({ route: PUT_SECRET, afterActing: true, status: 502, count: 8 })
    const result = await run()
    expect(result.code).toBe(0)
    const [key] = world.aws.keys(USER)
    expect(world.aws.keys(USER)).toHaveLength(1)
    for (const repo of REPOS) expect((await holding(repo)).id).toBe(key?.accessKeyId)
    await everyTargetWorks()
  })

  it('lost answers and GitHub’s record unreadable: both keys kept, the target named in doubt; the next run, not due, repairs it', async () => {
    // Octokit's own retries of every 5xx (1 + 4 + 9 s per request) make this one slow.
    world = await startWorld()
    // From acme/api's secret on (the fourth PUT), every write lands and loses its answer on every
    // try; reading secrets back fails too: nothing shows whether they landed.
    world.github.inject({ route: PUT_SECRET, after: 3, afterActing: true, status: 502, count: 100 })
    world.github.inject({ route: GET_SECRET, status: 503, count: 100 })
    const first = await run()
    expect(first.code).toBe(1)
    expect(first.log).toContain('acme/api (')
    expect(first.log).toContain('GitHub did not say whether the write landed')
    expect(first.log).not.toMatch(/No target holds it|deleted again/)
    expect(world.aws.keys(USER).map((k) => k.status)).toEqual(['Active', 'Active'])
    // acme/api holds the new ID with the new secret: GitHub stored both, whatever it answered.
    expect((await holding('acme/api')).works).toBe(true)
    world.github.clearFaults()
    const next = await run(NOT_DUE)
    expect(next.code).toBe(0)
    expect(world.aws.keys(USER)).toHaveLength(1)
    await everyTargetWorks()
  }, 180_000)
})

describe('2. one target that refuses writes never costs another target its key', () => {
  it('an archived repository in the list: the others get the new key; the next runs keep both keys until it takes writes again', async () => {
    world = await startWorld({ repos: ['acme/app', 'acme/old', 'acme/api'] })
    const repos = ['acme/app', 'acme/old', 'acme/api']
    const all = { repositories: repos.join('\n') }
    expect((await run(all)).code).toBe(0)
    const published = world.aws.keys(USER)[0]!
    // GitHub's timestamps count whole seconds: the next run must write in a later second than
    // this one, or nothing can show that acme/old's secret was left alone since.
    await new Promise((resolve) => setTimeout(resolve, 1100))
    world.github.archive('acme/old')
    const first = await run(all)
    expect(first.code).toBe(1)
    expect(first.log).toContain('GitHub refused it for good at acme/old')
    expect(first.log).toContain('Repository was archived so is read-only')
    const newKey = world.aws.keys(USER).find((k) => k.accessKeyId !== published.accessKeyId)!
    expect((await holding('acme/app')).id).toBe(newKey.accessKeyId)
    expect((await holding('acme/api')).id).toBe(newKey.accessKeyId)
    expect((await holding('acme/old')).id).toBe(published.accessKeyId)
    await everyTargetWorks(repos)

    // Not due, and due: the old key stays for acme/old, the new one for the live repositories.
    for (const inputs of [NOT_DUE, { force: 'false', 'max-age-days': '0' }]) {
      const next = await run({ ...all, ...inputs })
      expect(next.code).toBe(1)
      expect(next.log).toContain('acme/old refused the key')
      expect(next.log).toContain('Make acme/old writable')
      expect(statuses()).toEqual([
        [published.accessKeyId, 'Active'],
        [newKey.accessKeyId, 'Active']
      ])
      await everyTargetWorks(repos)
    }

    // A person unarchives it: the next run, not even due, sees it take writes and finishes.
    world.github.unarchive('acme/old')
    const done = await run({ ...all, ...NOT_DUE })
    expect(done.code).toBe(0)
    expect(done.log).toContain('acme/old takes writes again')
    expect(world.aws.keys(USER)).toHaveLength(1)
    await everyTargetWorks(repos)
  })
})

describe('3. a key newer than the published one is a stranger, never retired as replaced', () => {
  it('a person rotates by hand after a leak: the next run, not due, deletes nothing; a due run refuses', async () => {
    world = await startWorld()
    expect((await run()).code).toBe(0)
    const published = world.aws.keys(USER)[0]!
    const byHand = world.aws.seedAccessKey(USER)
    for (const repo of REPOS) await writeByHand(repo, byHand)

    const idle = await run(NOT_DUE)
    expect(idle.code).toBe(0)
    expect(idle.summary).toContain(`Left alone: ${byHand.accessKeyId}`)
    const due = await run()
    expect(due.code).toBe(1)
    expect(due.log).toContain('the action never retires a key it cannot account for')
    expect(statuses()).toEqual([
      [published.accessKeyId, 'Active'],
      [byHand.accessKeyId, 'Active']
    ])
    for (const repo of REPOS) expect((await holding(repo)).id).toBe(byHand.accessKeyId)
    await everyTargetWorks()
  })
})

describe('4. a stranger is not taken for a failed run’s lost key', () => {
  it('a run refused at CreateAccessKey, then a person’s key: the next runs leave it alone', async () => {
    world = await startWorld()
    expect((await run()).code).toBe(0)
    const published = world.aws.keys(USER)[0]!
    world.aws.inject({
      route: 'iam:CreateAccessKey',
      status: 403,
      code: 'AccessDenied',
      message: 'not authorized to perform: iam:CreateAccessKey'
    })
    expect((await run()).code).toBe(1)
    const theirs = world.aws.seedAccessKey(USER)

    const idle = await run(NOT_DUE)
    expect(idle.code).toBe(0)
    expect(idle.summary).toContain(`Left alone: ${theirs.accessKeyId}`)
    expect((await run()).code).toBe(1)
    expect(statuses()).toEqual([
      [published.accessKeyId, 'Active'],
      [theirs.accessKeyId, 'Active']
    ])
    await everyTargetWorks()
  })
})

describe('a person’s decisions stand', () => {
  it('an old key re-activated in its grace period stays Active', async () => {
    world = await startWorld()
    expect((await run({ 'grace-period-days': '7' })).code).toBe(0)
    const iam = admin()
    try {
      await iam.send(
        new UpdateAccessKeyCommand({
          UserName: USER,
          AccessKeyId: world.oldKey.accessKeyId,
          Status: 'Active'
        })
      )
    } finally {
      iam.destroy()
    }
    const next = await run({ ...NOT_DUE, 'grace-period-days': '7' })
    expect(next.code).toBe(0)
    expect(next.summary).toContain(`${world.oldKey.accessKeyId} was re-activated`)
    expect(statuses().find(([id]) => id === world.oldKey.accessKeyId)?.[1]).toBe('Active')
  })
})

describe('AWS and GitHub as they answer', () => {
  it('a plain 429 on a read (no "secondary rate limit", no x-ratelimit-remaining) is waited out', async () => {
    world = await startWorld()
    world.github.inject({
      route: /public-key$/,
      status: 429,
      message: 'Too many requests',
      headers: { 'retry-after': '1' },
      count: 1
    })
    const result = await run()
    expect(result.code).toBe(0)
    await everyTargetWorks()
  })

  it('IAM’s ConcurrentModification on a change of the user is retried', async () => {
    world = await startWorld()
    world.aws.inject({
      route: 'iam:TagUser',
      status: 409,
      code: 'ConcurrentModification',
      message:
        'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.',
      count: 1
    })
    const result = await run()
    expect(result.code).toBe(0)
    expect(world.aws.keys(USER)).toHaveLength(1)
    await everyTargetWorks()
  })
})

describe('IAM reads that lag its writes', () => {
  it('a run forced right after a completed one never ends with two Active keys', async () => {
    world = await startWorld({ iamReadLagMs: 2000 })
    expect((await run()).code).toBe(0)
    // At once: IAM's listings may still show the user as it was before the first run finished.
    const second = await run()
    expect(second.log).not.toContain('another run took over')
    expect(world.aws.keys(USER).map((k) => k.status)).toEqual(['Active'])
    await everyTargetWorks()
    // And a stale plan, if there was one, is cured by the next run, once IAM's reads caught up.
    await new Promise((resolve) => setTimeout(resolve, 2500))
    expect((await run()).code).toBe(0)
    expect(world.aws.keys(USER).map((k) => k.status)).toEqual(['Active'])
    await everyTargetWorks()
  })
})
