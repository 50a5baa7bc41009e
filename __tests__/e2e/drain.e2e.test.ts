/**
 * End to end, "never pull a key from under a running job": deploys queued before the rotation
 * wrote the new key hold the old one (GitHub reads repository and organization secrets when a run
 * is queued, environment secrets when a job starts). The GitHub emulator's runs capture the values
 * they read as GitHub does; every verdict comes from the emulators' state: which key each running
 * deploy holds, and whether STS accepts it up to the moment that deploy ends.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { parseKeyMark } from '../../src/rotation/marks.js'
import { runAction, WORKFLOW_REPOSITORY } from '../../emulators/runner.js'
import { scopeId } from '../../emulators/github/index.js'
import { REPOS, roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { callerArn, scanRunsAfterEach } from './helpers.js'
import { putScopeSecret, putSecret } from './matrix.js'

let world: World
const { record } = scanRunsAfterEach(() => world)

const LIST_RUNS = 'GET /repos/{owner}/{repo}/actions/runs'
const PUT_SECRET = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'
/** Not due for months: a follow-up that changes something does so to finish, never to rotate. */
const NOT_DUE = { 'max-age-days': '365', force: 'false' }
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

let nextRun = 5_000_000_001

/**
 * A world whose `repos` hold the old key, as before any rotation by this action; GitHub's and
 * IAM's dates count whole seconds, so the seeding ends a second before anything else happens.
 */
async function seeded(repos = REPOS, more: Parameters<typeof startWorld>[0] = {}): Promise<World> {
  world = await startWorld({ repos, ...more })
  for (const repo of repos) {
    await putSecret(world, repo, 'AWS_ACCESS_KEY_ID', world.oldKey.accessKeyId)
    await putSecret(world, repo, 'AWS_SECRET_ACCESS_KEY', world.oldKey.secretAccessKey)
  }
  await sleep(1100)
  return world
}

/** A token that may also write the organization's secrets, and list its runs. */
const ORG_TOKEN = 'github_pat_org_drain_0123456789abcdef'
function orgToken(): void {
  world.github.addOrganization('acme')
  world.github.addToken(ORG_TOKEN, {
    repositories: 'all',
    secrets: 'write',
    environments: 'write',
    actions: 'read',
    organizations: ['acme'],
    organizationSecrets: 'write'
  })
}

/** Write the old key into a scope (`/orgs/acme/actions`, an environment's) by hand. */
async function seedScope(base: string, extra: Record<string, unknown> = {}): Promise<void> {
  const { accessKeyId, secretAccessKey } = world.oldKey
  await putScopeSecret(world, base, 'AWS_ACCESS_KEY_ID', accessKeyId, extra, ORG_TOKEN)
  await putScopeSecret(world, base, 'AWS_SECRET_ACCESS_KEY', secretAccessKey, extra, ORG_TOKEN)
}

async function run(inputs: Record<string, string> = {}, spawned?: (c: ChildProcess) => void) {
  const options = spawned ? { onSpawn: spawned } : {}
  return record(
    await runAction(world, roleInputs(world, { force: 'true', ...inputs }), {}, options)
  )
}

/** A deploy queued now in `repo`: it reads the repository's (and organization's) secrets now. */
function deploy(
  repo: string,
  o: { jobs?: { name: string; environment?: string; status?: 'queued' | 'waiting' }[] } = {}
): number {
  const id = nextRun++
  world.github.addWorkflowRun(repo, {
    id,
    status: 'in_progress',
    path: '.github/workflows/deploy.yml',
    name: 'Deploy',
    ...(o.jobs ? { jobs: o.jobs } : {})
  })
  return id
}

/** The key pair a deploy holds (its run's values, or a started job's), and whether STS takes it. */
async function deployHolds(
  repo: string,
  id: number,
  job?: string
): Promise<{ id: string | undefined; works: boolean }> {
  const held = world.github.heldBy(repo, id)
  const values = job ? (held.jobs[job] ?? {}) : held.run
  const arn = await callerArn(
    world,
    values.AWS_ACCESS_KEY_ID ?? '',
    values.AWS_SECRET_ACCESS_KEY ?? ''
  )
  return { id: values.AWS_ACCESS_KEY_ID, works: arn === world.userArn }
}

/** End a deploy, after checking that the key it holds still works at its last moment. */
async function finish(repo: string, id: number, job?: string): Promise<void> {
  expect([repo, id, (await deployHolds(repo, id, job)).works]).toEqual([repo, id, true])
  world.github.setWorkflowRunStatus(repo, id, 'completed', 'success')
}

/** Resolves once every repository in `repos` holds a key ID other than `old`. */
async function published(old: string, repos = REPOS): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (repos.every((r) => world.github.repositorySecrets(r).AWS_ACCESS_KEY_ID !== old)) return
    await sleep(50)
  }
  throw new Error('the new key never reached every target')
}

const tagsOf = (): Record<string, string> =>
  world.aws.users().find((u) => u.userName === USER)?.tags ?? {}
const statuses = (): string[][] =>
  world.aws.keys(USER).map((k) => [k.accessKeyId, k.status] as string[])
const requests = (route: string): number => world.github.log.filter((e) => e.route === route).length

describe('a deploy in progress in a target repository', () => {
  it('keeps the old key Active while it runs, and the same run retires it once it ends', async () => {
    await seeded()
    const old = world.oldKey.accessKeyId
    const id = deploy('acme/app')
    expect((await deployHolds('acme/app', id)).id).toBe(old)
    const running = run()
    await published(old)
    // The rotation is waiting: both keys Active, the deploy's key works.
    await sleep(1500)
    expect(statuses().find(([k]) => k === old)?.[1]).toBe('Active')
    await finish('acme/app', id)
    const result = await running
    expect(result.code).toBe(0)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    expect(result.log).toContain(
      `Waiting up to 10 min for workflow runs that may still sign with ${old}: acme/app run ${id}`
    )
    expect(result.summary).toContain(`acme/app/actions/runs/${id}`)
    const [user] = JSON.parse(result.outputs.results ?? '[]') as { 'in-flight-runs': object }[]
    expect(user?.['in-flight-runs']).toEqual({
      fate: 'waited',
      runs: [`https://github.com/acme/app/actions/runs/${id}`]
    })
  })

  it('at the bound: the old key stays Active and marked, the run ends well with a notice; a later run, not due, retires it once the deploy ended, without writing any target', async () => {
    await seeded()
    const old = world.oldKey.accessKeyId
    const id = deploy('acme/app')
    const first = await run({ 'drain-timeout-minutes': '0' })
    expect(first.code).toBe(0)
    expect(first.stdout).toContain(`::notice::${USER}: the previous key stays Active`)
    expect(first.summary).toContain(`<a href="https://github.com/acme/app/actions/runs/${id}">`)
    expect(statuses()).toHaveLength(2)
    expect(parseKeyMark(tagsOf()[old] ?? '')).toMatchObject({
      state: 'held',
      runs: { ids: [id], more: 0 }
    })
    // Still running: a later run keeps it (waiting no longer than its bound).
    const second = await run({ ...NOT_DUE, 'drain-timeout-minutes': '0' })
    expect(second.code).toBe(0)
    expect(statuses()).toHaveLength(2)
    await finish('acme/app', id)
    const puts = requests(PUT_SECRET)
    const third = await run(NOT_DUE)
    expect(third.code).toBe(0)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    expect(world.aws.keys(USER)).toHaveLength(1)
    expect(requests(PUT_SECRET)).toBe(puts)
  })
})

/**
 * The organization's secrets hold the old key with visibility `before` (given acme/web's and
 * acme/app's IDs); a deploy queued in `repo` holds it; then a run writes `selected=web` and does
 * not wait for the deploy.
 */
async function organizationDeploy(
  repo: string,
  before: (ids: number[]) => Record<string, unknown>,
  organizations = 'acme:selected=web'
): Promise<{ old: string; id: number; web: number; ids: number[] }> {
  world = await startWorld({ repos: ['acme/app', 'acme/web'] })
  orgToken()
  const web = world.github.repository('acme/web')!.id
  const app = world.github.repository('acme/app')!.id
  await seedScope('/orgs/acme/actions', before([web, app]))
  await sleep(1100)
  const old = world.oldKey.accessKeyId
  const id = deploy(repo)
  expect((await deployHolds(repo, id)).id).toBe(old)
  const first = await run({
    'github-token': ORG_TOKEN,
    repositories: '',
    organizations,
    'drain-timeout-minutes': '0'
  })
  expect(first.code).toBe(0)
  expect(statuses().find(([k]) => k === old)?.[1]).toBe('Active')
  expect(first.log).toContain(`${repo} run ${id}`)
  return { old, id, web, ids: [web, app] }
}

describe('who may hold the old key, and who never holds anything up', () => {
  it('a run of a repository that reads an organization secret holds it', async () => {
    const { old, id } = await organizationDeploy('acme/web', ([web]) => ({
      visibility: 'selected',
      selected_repository_ids: [web]
    }))
    expect(world.github.organizationSecrets('acme').AWS_ACCESS_KEY_ID).not.toBe(old)
    await finish('acme/web', id)
    const next = await run({
      ...NOT_DUE,
      'github-token': ORG_TOKEN,
      repositories: '',
      organizations: 'acme:selected=web'
    })
    expect(next.code).toBe(0)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
  })

  it.each([
    [
      'a selection of two',
      (ids: number[]) => ({ visibility: 'selected', selected_repository_ids: ids })
    ],
    ['every repository', () => ({ visibility: 'all' })]
  ])(
    'a secret that reached %s, narrowed to one: a run of a repository left out still holds the old key',
    async (_name, before) => {
      const { id, web } = await organizationDeploy('acme/app', before)
      const secrets = world.github.secrets(scopeId.organization('acme'))
      expect(secrets.map((s) => [s.visibility, s.selected_repository_ids])).toEqual([
        ['selected', [web]],
        ['selected', [web]]
      ])
      await finish('acme/app', id)
    }
  )

  it('a selection the write keeps is listed once per secret, and its repositories hold the old key', async () => {
    const selection = (ids: number[]) => ({ visibility: 'selected', selected_repository_ids: ids })
    const { id, ids } = await organizationDeploy('acme/app', selection, 'acme')
    // the visibility's listing, one per secret, is the drain's too: no second listing
    const listings = world.github.log.filter((e) => e.route.endsWith('/repositories'))
    expect(listings.map((e) => e.route)).toEqual([
      'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
      'GET /orgs/{org}/actions/secrets/{secret_name}/repositories'
    ])
    const secrets = world.github.secrets(scopeId.organization('acme'))
    expect(secrets.map((x) => x.selected_repository_ids)).toEqual([ids, ids])
    await finish('acme/app', id)
  })

  it("a run waiting for an environment's approval reads the new key when its job starts: nothing waits for it", async () => {
    world = await startWorld()
    orgToken()
    world.github.addEnvironment('acme/app', 'production')
    await seedScope('/repos/acme/app/environments/production')
    await sleep(1100)
    const old = world.oldKey.accessKeyId
    const waiting = deploy('acme/app', {
      jobs: [{ name: 'deploy', environment: 'production', status: 'waiting' }]
    })
    world.github.setWorkflowRunStatus('acme/app', waiting, 'waiting')
    const result = await run({ repositories: '', environments: 'acme/app:production' })
    expect(result.code).toBe(0)
    expect(result.log).not.toContain('Waiting up to')
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    world.github.startJob('acme/app', waiting, 'deploy')
    const holds = await deployHolds('acme/app', waiting, 'deploy')
    expect(holds.id).not.toBe(old)
    expect(holds.works).toBe(true)
  })

  it('a job that started before its environment was written holds the old key until its run ends', async () => {
    world = await startWorld()
    orgToken()
    world.github.addEnvironment('acme/app', 'production')
    await seedScope('/repos/acme/app/environments/production')
    await sleep(1100)
    const old = world.oldKey.accessKeyId
    const id = deploy('acme/app', { jobs: [{ name: 'deploy', environment: 'production' }] })
    world.github.startJob('acme/app', id, 'deploy')
    expect((await deployHolds('acme/app', id, 'deploy')).id).toBe(old)
    const result = await run({
      repositories: '',
      environments: 'acme/app:production',
      'drain-timeout-minutes': '0'
    })
    expect(result.code).toBe(0)
    expect(statuses().find(([k]) => k === old)?.[1]).toBe('Active')
    expect(result.log).toContain(`acme/app run ${id}`)
    await finish('acme/app', id, 'deploy')
  })

  it("the rotation's own run, completed runs and runs of repositories that read no target never hold anything up", async () => {
    await seeded(['acme/app', 'acme/other'])
    const old = world.oldKey.accessKeyId
    const done = deploy('acme/app')
    world.github.setWorkflowRunStatus('acme/app', done, 'completed', 'success')
    const elsewhere = deploy('acme/other')
    // acme/ops runs the rotation: its own run is in progress there while it rotates.
    const result = await run({ repositories: `acme/app\n${WORKFLOW_REPOSITORY}` })
    expect(result.code).toBe(0)
    expect(result.log).not.toContain('Waiting up to')
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    // It read acme/other's secrets, not the targets': its key is its own business.
    expect((await deployHolds('acme/other', elsewhere)).id).toBe(old)
  })

  it('a deploy queued after its target was written holds the new key and holds nothing up', async () => {
    await seeded()
    const old = world.oldKey.accessKeyId
    const before = deploy('acme/app')
    const running = run()
    await published(old)
    // GitHub dates runs to the second: a run of the write's very second may hold either.
    await sleep(1100)
    const after = deploy('acme/app')
    expect((await deployHolds('acme/app', after)).works).toBe(true)
    await sleep(1000)
    await finish('acme/app', before)
    const result = await running
    expect(result.code).toBe(0)
    expect(result.log).toContain(`acme/app run ${before}`)
    expect(result.log).not.toContain(`run ${after}`)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    expect((await deployHolds('acme/app', after)).works).toBe(true)
  })
})

describe('emergency, permission, fleet', () => {
  it("'in-flight-runs: revoke' retires the old key at once and names the runs that will fail", async () => {
    await seeded()
    const old = world.oldKey.accessKeyId
    const id = deploy('acme/app')
    const result = await run({ 'in-flight-runs': 'revoke' })
    expect(result.code).toBe(0)
    expect(world.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(old)
    expect(result.log).toContain(`acme/app run ${id} may still sign with it and will fail`)
    expect(result.summary).toContain(`acme/app/actions/runs/${id}`)
    expect((await deployHolds('acme/app', id)).works).toBe(false)
  })

  it("a token without 'Actions: Read' is refused before any change, naming the permission, the repositories and the way out", async () => {
    world = await startWorld()
    world.github.addToken('github_pat_no_actions_0123456789', {
      repositories: 'all',
      secrets: 'write'
    })
    const before = statuses()
    const result = await run({ 'github-token': 'github_pat_no_actions_0123456789' })
    expect(result.code).toBe(1)
    expect(result.log).toContain("'Actions: Read'")
    expect(result.log).toContain('acme/api, acme/app')
    expect(result.log).toContain("'in-flight-runs: ignore'")
    expect(statuses()).toEqual(before)
    expect(requests(PUT_SECRET)).toBe(0)
    // The way out works: the old key goes at once.
    const ignored = await run({
      'github-token': 'github_pat_no_actions_0123456789',
      'in-flight-runs': 'ignore'
    })
    expect(ignored.code).toBe(0)
    expect(world.aws.keys(USER)).toHaveLength(1)
  })

  it('a fleet of 50 repositories with deploys in ten: one listing per status and repository, within the read budget', async () => {
    const repos = Array.from({ length: 50 }, (_, i) => `acme/svc${i}`)
    await seeded(repos)
    const ids = repos.slice(0, 10).map((r) => deploy(r))
    const result = await run({ repositories: repos.join('\n'), 'drain-timeout-minutes': '0' })
    expect(result.code).toBe(0)
    for (const [i, id] of ids.entries()) expect(result.log).toContain(`acme/svc${i} run ${id}`)
    // A probe per repository before any change, five status listings each after the writes.
    expect(requests(LIST_RUNS)).toBe(50 + 50 * 5)
    const refused = world.github.log.filter((e) => e.status === 403 || e.status === 429)
    expect(refused).toEqual([])
    for (const [i, id] of ids.entries()) await finish(`acme/svc${i}`, id)
  }, 120_000)
})

describe('a run killed while it waits', () => {
  it('leaves the old key Active and a record; a run at once finishes the drain once the deploy ends', async () => {
    await seeded()
    const old = world.oldKey.accessKeyId
    const id = deploy('acme/app')
    const killed = await run({}, (child) => {
      void published(old).then(async () => {
        await sleep(1500)
        child.kill('SIGKILL')
      })
    })
    expect(killed.signal).toBe('SIGKILL')
    expect(statuses().map(([, s]) => s)).toEqual(['Active', 'Active'])
    const next = run(NOT_DUE)
    await sleep(2500)
    expect(statuses().find(([k]) => k === old)?.[1]).toBe('Active')
    await finish('acme/app', id)
    const result = await next
    expect(result.code).toBe(0)
    expect(world.aws.keys(USER)).toHaveLength(1)
    expect(world.aws.keys(USER)[0]?.accessKeyId).not.toBe(old)
  })
})
