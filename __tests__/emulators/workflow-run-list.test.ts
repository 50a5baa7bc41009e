/**
 * "List workflow runs for a repository", the jobs of a run, "List organization repositories", and
 * the secrets a run holds, in the GitHub emulator through a real Octokit and real sealed boxes:
 * GitHub's filters (status or conclusion, the search syntax of `created`), its 1,000-result cap
 * for searches, pagination, the "Actions" permission, and the values a run and its jobs read when
 * GitHub documents they read them.
 */
import sodium from 'libsodium-wrappers'
import { Octokit, failure, message, type RequestError } from './octokit.js'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'

const ACTIONS = 'github_pat_actions_ops_0123456789'
const SECRETS_ONLY = 'github_pat_secrets_only_0123456789'
const ADMIN = 'github_pat_admin_all_0123456789'
const LAB = 'github_pat_lab_only_0123456789'
const LIST = 'GET /repos/{owner}/{repo}/actions/runs'
const JOBS = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs'
const ORG_REPOS = 'GET /orgs/{org}/repos'

let gh: GitHubEmulator

const client = (token: string): Octokit => new Octokit({ baseUrl: gh.url, auth: token })

type Query = Record<string, string | number | boolean>
const listRuns = (token: string, query: Query = {}, repo = 'ops') =>
  client(token).request(LIST, { owner: 'acme', repo, ...query })
const ids = async (query: Query, repo = 'ops'): Promise<number[]> =>
  (await listRuns(ACTIONS, query, repo)).data.workflow_runs.map((r) => Number(r.id))

function seal(value: string, key: string): string {
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  )
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}

/** PUT a secret through the REST API, sealed to the scope's public key, as the action does. */
async function putSecret(base: string, name: string, value: string, extra: object = {}) {
  const octokit = client(ADMIN)
  const { data } = (await octokit.request(`GET ${base}/public-key`)) as {
    data: { key: string; key_id: string }
  }
  await octokit.request(`PUT ${base}/${name}`, {
    encrypted_value: seal(value, data.key),
    key_id: data.key_id,
    ...extra
  })
}

const OPS_ID = 401
beforeAll(async () => {
  await sodium.ready
  gh = await startGitHubEmulator()
  gh.addOrganization('acme')
  gh.addRepository('acme/ops', { id: OPS_ID })
  gh.addRepository('acme/site', { id: 402, visibility: 'public' })
  gh.addRepository('acme/intra', { id: 403, visibility: 'internal' })
  gh.addRepository('acme/lab', { id: 404, private: true })
  gh.addRepository('acme/fork', { id: 405, private: false, fork: true })
  gh.addRepository('acme/hidden', { id: 406 })
  gh.addRepository('acme/busy', { id: 407 })
  gh.addRepository('acme/deploys', { id: 408 })
  gh.addRepository('octo/own', { id: 409 })
  gh.addEnvironment('acme/deploys', 'production')
  gh.addToken(ACTIONS, {
    repositories: ['acme/ops', 'acme/busy', 'acme/deploys'],
    secrets: 'none',
    actions: 'read'
  })
  gh.addToken(SECRETS_ONLY, { repositories: 'all', secrets: 'write', environments: 'write' })
  gh.addToken(ADMIN, {
    repositories: 'all',
    secrets: 'write',
    environments: 'write',
    dependabotSecrets: 'write',
    actions: 'read',
    organizations: ['acme'],
    organizationSecrets: 'write',
    organizationDependabotSecrets: 'write'
  })
  gh.addToken(LAB, { repositories: ['acme/lab'], secrets: 'none', actions: 'read' })

  // acme/ops: six runs over three days; runs 4 and 6 share a second
  const runs = [
    { id: 1, createdAt: '2024-05-01T00:00:00Z', status: 'completed', conclusion: 'success' },
    { id: 2, createdAt: '2024-05-01T23:59:59Z', status: 'in_progress', actor: 'Hubot' },
    { id: 3, createdAt: '2024-05-02T00:00:00Z', status: 'queued', event: 'schedule' },
    { id: 4, createdAt: '2024-05-02T12:00:00Z', status: 'completed', conclusion: 'failure' },
    { id: 5, createdAt: '2024-05-03T08:30:00Z', status: 'waiting', headBranch: 'dev' },
    { id: 6, createdAt: '2024-05-02T12:00:00Z', status: 'completed', conclusion: 'action_required' }
  ] as const
  for (const run of runs) gh.addWorkflowRun('acme/ops', run)
})
afterAll(async () => {
  await gh.close()
})

describe('GET /repos/{owner}/{repo}/actions/runs', () => {
  test('newest first (created_at, then id), with actor, triggering_actor and run_started_at', async () => {
    const res = await listRuns(ACTIONS)
    expect(res.status).toBe(200)
    expect(res.headers['x-accepted-github-permissions']).toBe('actions=read')
    expect(res.data.total_count).toBe(6)
    expect(res.data.workflow_runs.map((r) => r.id)).toEqual([5, 6, 4, 3, 2, 1])
    const hubot = res.data.workflow_runs.find((r) => r.id === 2)
    expect(hubot).toMatchObject({
      actor: { login: 'Hubot', type: 'User' },
      triggering_actor: { login: 'Hubot', type: 'User' },
      run_started_at: '2024-05-01T23:59:59Z',
      created_at: '2024-05-01T23:59:59Z',
      status: 'in_progress',
      conclusion: null
    })
    expect(hubot?.actor?.id).toEqual(expect.any(Number))
    expect(res.data.workflow_runs[0]?.actor).toMatchObject({ login: 'octocat', id: 583231 })
  })

  test('status filters on the status, or on the conclusion for a conclusion', async () => {
    expect(await ids({ status: 'in_progress' })).toEqual([2])
    expect(await ids({ status: 'queued' })).toEqual([3])
    expect(await ids({ status: 'waiting' })).toEqual([5])
    expect(await ids({ status: 'completed' })).toEqual([6, 4, 1])
    expect(await ids({ status: 'success' })).toEqual([1])
    expect(await ids({ status: 'failure' })).toEqual([4])
    expect(await ids({ status: 'action_required' })).toEqual([6])
    expect(await ids({ status: 'requested' })).toEqual([])
  })

  test('a status outside the documented values is refused with 422', async () => {
    // `startup_failure` is a conclusion, but not one of the parameter's documented values
    for (const status of ['bogus', 'startup_failure', 'IN_PROGRESS']) {
      const e = await failure(listRuns(ACTIONS, { status }))
      expect(e.status).toBe(422)
      expect(message(e)).toContain(JSON.stringify(status))
    }
  })

  test.each([
    ['2024-05-01', [2, 1]],
    ['>=2024-05-02', [5, 6, 4, 3]],
    ['>2024-05-01', [5, 6, 4, 3]],
    ['<2024-05-02', [2, 1]],
    ['<=2024-05-02', [6, 4, 3, 2, 1]],
    ['2024-05-01..2024-05-02', [6, 4, 3, 2, 1]],
    ['2024-05-02..*', [5, 6, 4, 3]],
    ['*..2024-05-01', [2, 1]],
    ['>2024-05-02T12:00:00Z', [5]],
    ['>=2024-05-02T12:00:00Z', [5, 6, 4]],
    ['<=2024-05-02T12:00:00Z', [6, 4, 3, 2, 1]],
    ['<2024-05-02T00:00:00', [2, 1]],
    ['2024-05-02T14:00:00+02:00', [6, 4]],
    ['2024-05-01T23:59:59Z..2024-05-02T00:00:00Z', [3, 2]],
    ['2024-05-02T10:00:00-02:00..*', [5, 6, 4]]
  ])('created=%s', async (created, expected) => {
    expect(await ids({ created })).toEqual(expected)
  })

  test('a created value that is not GitHub search syntax is refused with 422', async () => {
    for (const created of ['yesterday', '2024-02-30', '>=2024-5-1', '*..*', '2024-05-01..']) {
      expect((await failure(listRuns(ACTIONS, { created }))).status).toBe(422)
    }
  })

  test('actor (any case), branch, event, head_sha and check_suite_id filter', async () => {
    expect(await ids({ actor: 'hubot' })).toEqual([2])
    expect(await ids({ branch: 'dev' })).toEqual([5])
    expect(await ids({ event: 'schedule' })).toEqual([3])
    const sha = gh.workflowRun('acme/ops', 4)?.headSha ?? ''
    expect(await ids({ head_sha: sha })).toEqual([4])
    const { data } = await listRuns(ACTIONS, { status: 'queued' })
    expect(await ids({ check_suite_id: Number(data.workflow_runs[0]?.check_suite_id) })).toEqual([
      3
    ])
    expect(await ids({ actor: 'hubot', status: 'completed' })).toEqual([])
    expect(await ids({ exclude_pull_requests: true })).toEqual([5, 6, 4, 3, 2, 1])
  })

  test('pages with a link header that keeps the filters', async () => {
    const first = await listRuns(ACTIONS, { status: 'completed', per_page: 2 })
    expect(first.data.total_count).toBe(3)
    expect(first.data.workflow_runs.map((r) => r.id)).toEqual([6, 4])
    const link = String(first.headers.link)
    expect(link).toContain('rel="next"')
    const next = /<([^>]+)>; rel="next"/.exec(link)?.[1] ?? ''
    expect(new URL(next).searchParams.get('status')).toBe('completed')
    expect(new URL(next).searchParams.get('page')).toBe('2')
    const second = await client(ACTIONS).request(
      `GET ${new URL(next).pathname}${new URL(next).search}`
    )
    expect(
      (second.data as { workflow_runs: { id: number }[] }).workflow_runs.map((r) => r.id)
    ).toEqual([1])
    expect(String(second.headers.link)).toContain('rel="prev"')
    expect(String(second.headers.link)).not.toContain('rel="next"')
  })

  test('per_page is capped at 100; a search reaches only its first 1,000 results', async () => {
    for (let id = 1; id <= 1001; id++) {
      gh.addWorkflowRun('acme/busy', { id, status: 'completed', conclusion: 'success' })
    }
    const big = await listRuns(ACTIONS, { per_page: 500 }, 'busy')
    expect(big.data.workflow_runs).toHaveLength(100)
    expect(big.data.workflow_runs[0]?.id).toBe(1001)
    expect(String(big.headers.link)).toMatch(/page=11>; rel="last"/)
    // without a filter every run is reachable
    expect(await ids({ per_page: 100, page: 11 }, 'busy')).toEqual([1])
    // with one, GitHub returns up to 1,000 results
    const searched = await listRuns(ACTIONS, { status: 'success', per_page: 100 }, 'busy')
    expect(searched.data.total_count).toBe(1001)
    expect(String(searched.headers.link)).toMatch(/page=10>; rel="last"/)
    expect(await ids({ status: 'success', per_page: 100, page: 11 }, 'busy')).toEqual([])
    expect(await ids({ status: 'success', per_page: 100, page: 10 }, 'busy')).toHaveLength(100)
  })

  test('403 without the Actions permission, 404 for a private repository out of reach', async () => {
    const denied = await failure(listRuns(SECRETS_ONLY))
    expect(denied.status).toBe(403)
    expect(denied.response?.data).toMatchObject({
      message: 'Resource not accessible by personal access token',
      documentation_url:
        'https://docs.github.com/rest/actions/workflow-runs#list-workflow-runs-for-a-repository'
    })
    expect(denied.response?.headers['x-accepted-github-permissions']).toBe('actions=read')
    for (const repo of ['hidden', 'nowhere']) {
      expect((await failure(listRuns(ACTIONS, {}, repo))).status).toBe(404)
    }
    // a public repository is visible to all, so a token without it gets 403, not 404
    expect((await failure(listRuns(ACTIONS, {}, 'site'))).status).toBe(403)
  })
})

describe('jobs', () => {
  const jobsOf = (run_id: number, query: Query = {}, token = ACTIONS) =>
    client(token).request(JOBS, { owner: 'acme', repo: 'deploys', run_id, ...query })

  test('a waiting run lists its gated job waiting; jobs start, finish, and finish with the run', async () => {
    gh.addWorkflowRun('acme/deploys', {
      id: 70,
      status: 'waiting',
      jobs: [{ name: 'build' }, { name: 'deploy', environment: 'production', status: 'waiting' }]
    })
    const listed = await jobsOf(70)
    expect(listed.headers['x-accepted-github-permissions']).toBe('actions=read')
    expect(listed.data.total_count).toBe(2)
    expect(listed.data.jobs.map((j) => [j.name, j.status, j.runner_id])).toEqual([
      ['build', 'queued', null],
      ['deploy', 'waiting', null]
    ])
    const [build] = listed.data.jobs
    expect(build).toMatchObject({
      run_id: 70,
      run_attempt: 1,
      conclusion: null,
      completed_at: null,
      workflow_name: 'Rotate IAM key',
      head_branch: 'main',
      url: `${gh.url}/repos/acme/deploys/actions/jobs/${build?.id}`,
      run_url: `${gh.url}/repos/acme/deploys/actions/runs/70`,
      html_url: `https://github.com/acme/deploys/actions/runs/70/job/${build?.id}`,
      check_run_url: `${gh.url}/repos/acme/deploys/check-runs/${build?.id}`
    })
    expect(build?.head_sha).toBe(gh.workflowRun('acme/deploys', 70)?.headSha)

    gh.startJob('acme/deploys', 70, 'build')
    const started = (await jobsOf(70)).data.jobs
    expect(started[0]).toMatchObject({ status: 'in_progress', runner_name: expect.any(String) })
    // the deploy job still waits for approval, so the run does too
    expect(gh.workflowRun('acme/deploys', 70)?.status).toBe('waiting')
    gh.completeJob('acme/deploys', 70, 'build')
    gh.startJob('acme/deploys', 70, 'deploy')
    expect(gh.workflowRun('acme/deploys', 70)?.status).toBe('in_progress')
    gh.setWorkflowRunStatus('acme/deploys', 70, 'completed', 'cancelled')
    const done = (await jobsOf(70)).data.jobs
    expect(done.map((j) => [j.name, j.status, j.conclusion])).toEqual([
      ['build', 'completed', 'success'],
      ['deploy', 'completed', 'cancelled']
    ])
    expect(done[1]?.completed_at).toEqual(expect.stringMatching(/^\d{4}-.*:\d\dZ$/))
    expect(() => gh.startJob('acme/deploys', 70, 'deploy')).toThrow(/completed/)
  })

  test('filter=all lists earlier attempts’ jobs; latest only this attempt’s', async () => {
    gh.addWorkflowRun('acme/deploys', {
      id: 71,
      status: 'completed',
      conclusion: 'failure',
      jobs: [{ name: 'deploy' }]
    })
    gh.addWorkflowRun('acme/deploys', {
      id: 71,
      status: 'queued',
      runAttempt: 2,
      jobs: [{ name: 'deploy' }]
    })
    const latest = (await jobsOf(71)).data
    expect(latest.jobs.map((j) => [j.run_attempt, j.status])).toEqual([[2, 'queued']])
    const all = (await jobsOf(71, { filter: 'all' })).data
    expect(all.total_count).toBe(2)
    expect(all.jobs.map((j) => [j.run_attempt, j.status, j.conclusion])).toEqual([
      [1, 'completed', 'failure'],
      [2, 'queued', null]
    ])
    expect((await failure(jobsOf(71, { filter: 'everything' }))).status).toBe(422)
  })

  test('GET /repos/{owner}/{repo}/actions/jobs/{job_id}, and the routes’ 403/404', async () => {
    const [first] = (await jobsOf(71, { filter: 'all' })).data.jobs
    const job = { id: Number(first?.id) }
    const getJob = (repo: string, job_id: number, token = ACTIONS) =>
      client(token).request('GET /repos/{owner}/{repo}/actions/jobs/{job_id}', {
        owner: 'acme',
        repo,
        job_id
      })
    expect((await getJob('deploys', job.id)).data).toMatchObject({ id: job.id, run_id: 71 })
    // a job is found only in its own repository
    expect((await failure(getJob('ops', job.id))).status).toBe(404)
    expect((await failure(getJob('deploys', 1))).status).toBe(404)
    expect((await failure(getJob('deploys', job.id, SECRETS_ONLY))).status).toBe(403)
    expect((await failure(jobsOf(71, {}, SECRETS_ONLY))).status).toBe(403)
    expect((await failure(jobsOf(9999))).status).toBe(404)
    const hidden = await failure(
      client(LAB).request(JOBS, { owner: 'acme', repo: 'deploys', run_id: 71 })
    )
    expect(hidden.status).toBe(404)
  })
})

describe('GET /orgs/{org}/repos', () => {
  const names = async (token: string, query: Query = {}): Promise<string[]> =>
    (await client(token).request(ORG_REPOS, { org: 'acme', ...query })).data.map((r) => r.name)

  test('a token with every repository sees the organization’s, with their visibility', async () => {
    const res = await client(ADMIN).request(ORG_REPOS, { org: 'acme', sort: 'full_name' })
    expect(res.headers['x-accepted-github-permissions']).toBe('metadata=read')
    expect(res.data.map((r) => r.full_name)).toEqual([
      'acme/busy',
      'acme/deploys',
      'acme/fork',
      'acme/hidden',
      'acme/intra',
      'acme/lab',
      'acme/ops',
      'acme/site'
    ])
    const intra = res.data.find((r) => r.name === 'intra')
    expect(intra).toMatchObject({ private: true, visibility: 'internal' })
    expect(res.data.find((r) => r.name === 'site')).toMatchObject({
      private: false,
      visibility: 'public'
    })
    expect(res.data.find((r) => r.name === 'lab')).toMatchObject({
      private: true,
      visibility: 'private'
    })
  })

  test('type filters public, private (internal included), forks, sources', async () => {
    expect(await names(ADMIN, { type: 'public', sort: 'full_name' })).toEqual(['fork', 'site'])
    expect(await names(ADMIN, { type: 'private', sort: 'full_name' })).toEqual([
      'busy',
      'deploys',
      'hidden',
      'intra',
      'lab',
      'ops'
    ])
    expect(await names(ADMIN, { type: 'forks' })).toEqual(['fork'])
    expect(await names(ADMIN, { type: 'sources', sort: 'full_name' })).not.toContain('fork')
    expect((await failure(names(ADMIN, { type: 'internal' }))).status).toBe(422)
  })

  test('a token granted one repository sees it and the public ones; member: only its own', async () => {
    expect(await names(LAB, { sort: 'full_name' })).toEqual(['fork', 'lab', 'site'])
    expect(await names(LAB, { type: 'member' })).toEqual(['lab'])
    expect(await names(LAB, { type: 'private' })).toEqual(['lab'])
  })

  test('sorts (created desc by default, full_name asc), pages with a link header', async () => {
    // created in one second: insertion order breaks the tie
    expect((await names(ADMIN)).slice(0, 2)).toEqual(['deploys', 'busy'])
    expect(await names(ADMIN, { sort: 'full_name', direction: 'desc', per_page: 2 })).toEqual([
      'site',
      'ops'
    ])
    const res = await client(ADMIN).request(ORG_REPOS, {
      org: 'acme',
      sort: 'full_name',
      per_page: 3,
      page: 2
    })
    expect(res.data.map((r) => r.name)).toEqual(['hidden', 'intra', 'lab'])
    expect(String(res.headers.link)).toMatch(/sort=full_name&per_page=3&page=3>; rel="next"/)
  })

  test('404 for an unknown organization or a user account', async () => {
    for (const org of ['nowhere', 'octo']) {
      const e: RequestError = await failure(client(ADMIN).request(ORG_REPOS, { org }))
      expect(e.status).toBe(404)
    }
  })

  test('addRepository refuses a visibility its private flag contradicts', () => {
    expect(() => gh.addRepository('acme/odd', { private: false, visibility: 'internal' })).toThrow(
      /private/
    )
    expect(gh.addRepository('acme/open', { private: false }).visibility).toBe('public')
  })
})

describe('what a run holds', () => {
  beforeAll(async () => {
    await putSecret('/orgs/acme/actions/secrets', 'AWS_KEY', 'org-all', { visibility: 'all' })
    await putSecret('/orgs/acme/actions/secrets', 'SHARED', 'org-private', {
      visibility: 'private'
    })
    await putSecret('/orgs/acme/actions/secrets', 'PICKED', 'org-selected', {
      visibility: 'selected',
      selected_repository_ids: [OPS_ID]
    })
    await putSecret('/repos/acme/ops/actions/secrets', 'AWS_KEY', 'ops-repo')
    await putSecret('/repos/acme/ops/dependabot/secrets', 'AWS_KEY', 'ops-dependabot')
    await putSecret('/orgs/acme/dependabot/secrets', 'ORG_DEP', 'org-dependabot', {
      visibility: 'all'
    })
    gh.addEnvironment('acme/ops', 'production')
    await putSecret('/repos/acme/ops/environments/production/secrets', 'AWS_KEY', 'env-v1')
  })

  test('a repository secret shadows an organization secret; selected reaches the selected', () => {
    gh.addWorkflowRun('acme/ops', { id: 100, status: 'queued' })
    expect(gh.heldBy('acme/ops', 100)).toEqual({
      run: { AWS_KEY: 'ops-repo', SHARED: 'org-private', PICKED: 'org-selected' },
      jobs: {}
    })
  })

  test('private visibility reaches private and internal repositories, not a public one', () => {
    gh.addWorkflowRun('acme/site', { id: 101, status: 'in_progress' })
    expect(gh.heldBy('acme/site', 101).run).toEqual({ AWS_KEY: 'org-all' })
    gh.addWorkflowRun('acme/intra', { id: 102, status: 'queued' })
    expect(gh.heldBy('acme/intra', 102).run).toEqual({ AWS_KEY: 'org-all', SHARED: 'org-private' })
    gh.addWorkflowRun('acme/lab', { id: 103, status: 'requested' })
    expect(gh.heldBy('acme/lab', 103).run).toEqual({ AWS_KEY: 'org-all', SHARED: 'org-private' })
  })

  test('a Dependabot run reads Dependabot secrets, not Actions secrets, nor environment ones', async () => {
    gh.addWorkflowRun('acme/ops', {
      id: 104,
      status: 'queued',
      actor: 'dependabot[bot]',
      jobs: [{ name: 'deploy', environment: 'production' }]
    })
    expect(gh.heldBy('acme/ops', 104).run).toEqual({
      AWS_KEY: 'ops-dependabot',
      ORG_DEP: 'org-dependabot'
    })
    gh.startJob('acme/ops', 104, 'deploy')
    expect(gh.heldBy('acme/ops', 104).jobs.deploy).toEqual({
      AWS_KEY: 'ops-dependabot',
      ORG_DEP: 'org-dependabot'
    })
    const { data } = await client(ADMIN).request(
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}',
      {
        owner: 'acme',
        repo: 'ops',
        run_id: 104
      }
    )
    expect(data).toMatchObject({
      event: 'pull_request',
      actor: { login: 'dependabot[bot]', type: 'Bot', id: 49699333 }
    })
    // an event outside Dependabot's restrictions reads Actions secrets
    gh.addWorkflowRun('acme/ops', {
      id: 105,
      status: 'queued',
      actor: 'dependabot[bot]',
      event: 'pull_request_target'
    })
    expect(gh.heldBy('acme/ops', 105).run.AWS_KEY).toBe('ops-repo')
  })

  test('secrets are read at queue time; environment secrets when the job starts', async () => {
    gh.addWorkflowRun('acme/ops', {
      id: 106,
      status: 'queued',
      jobs: [{ name: 'test' }, { name: 'deploy', environment: 'production' }, { name: 'later' }]
    })
    // updated between queue and start: the run keeps what it read, the job reads the new value
    await putSecret('/repos/acme/ops/actions/secrets', 'AWS_KEY', 'ops-repo-2')
    await putSecret('/repos/acme/ops/environments/production/secrets', 'AWS_KEY', 'env-v2')
    await putSecret('/orgs/acme/actions/secrets', 'SHARED', 'org-private-2', {
      visibility: 'private'
    })
    gh.startJob('acme/ops', 106, 'test')
    gh.startJob('acme/ops', 106, 'deploy')
    const held = gh.heldBy('acme/ops', 106)
    expect(held.run).toEqual({ AWS_KEY: 'ops-repo', SHARED: 'org-private', PICKED: 'org-selected' })
    expect(held.jobs).toEqual({
      test: { AWS_KEY: 'ops-repo', SHARED: 'org-private', PICKED: 'org-selected' },
      deploy: { AWS_KEY: 'env-v2', SHARED: 'org-private', PICKED: 'org-selected' }
    })
    // a run queued now reads the new values
    gh.addWorkflowRun('acme/ops', { id: 107, status: 'queued' })
    expect(gh.heldBy('acme/ops', 107).run).toMatchObject({
      AWS_KEY: 'ops-repo-2',
      SHARED: 'org-private-2'
    })
    // a re-run is queued again and reads afresh
    gh.addWorkflowRun('acme/ops', { id: 106, status: 'queued', runAttempt: 2 })
    expect(gh.heldBy('acme/ops', 106)).toEqual({
      run: { AWS_KEY: 'ops-repo-2', SHARED: 'org-private-2', PICKED: 'org-selected' },
      jobs: {}
    })
  })

  test('a run added completed held nothing', () => {
    gh.addWorkflowRun('acme/ops', { id: 108, status: 'completed', conclusion: 'success' })
    expect(gh.heldBy('acme/ops', 108)).toEqual({ run: {}, jobs: {} })
    expect(() => gh.heldBy('acme/ops', 999)).toThrow(/no run/)
  })

  test('backdate moves runs and jobs with the secrets, so created filters follow', async () => {
    gh.addWorkflowRun('acme/deploys', { id: 80, status: 'queued', jobs: [{ name: 'deploy' }] })
    gh.startJob('acme/deploys', 80, 'deploy')
    const before = gh.workflowRun('acme/deploys', 80)
    gh.backdate(3 * 86_400_000)
    const after = gh.workflowRun('acme/deploys', 80)
    expect(Date.parse(after?.created_at ?? '')).toBe(
      Date.parse(before?.created_at ?? '') - 3 * 86_400_000
    )
    expect(Date.parse(after?.jobs[0]?.started_at ?? '')).toBe(
      Date.parse(before?.jobs[0]?.started_at ?? '') - 3 * 86_400_000
    )
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000).toISOString().replace(/\.\d+Z$/, 'Z')
    expect(await ids({ created: `<${twoDaysAgo}` }, 'deploys')).toContain(80)
    expect(await ids({ created: `>${twoDaysAgo}` }, 'deploys')).not.toContain(80)
  })
})
