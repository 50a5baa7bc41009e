/**
 * "Get a workflow run" in the GitHub emulator, through a real Octokit (and @octokit/auth-app for
 * installation tokens): GitHub's fields, the repository "Actions" permission, GitHub's 404s.
 */
import { createAppAuth } from '@octokit/auth-app'
import { Octokit, failure } from './octokit.js'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'

const ACTIONS = 'github_pat_actions_read_0123456789'
const SECRETS_ONLY = 'github_pat_secrets_only_0123456789'
const WORKFLOW_NO_ACTIONS = 'ghs_workflow_no_actions_0123456789'
const ROUTE = 'GET /repos/{owner}/{repo}/actions/runs/{run_id}'
const RUN = 4_200_000_001

let gh: GitHubEmulator

const getRun = (token: string, run_id: number | string, repo = 'ops') =>
  new Octokit({ baseUrl: gh.url, auth: token }).request(ROUTE, {
    owner: 'acme',
    repo,
    run_id: run_id as number
  })

beforeAll(async () => {
  gh = await startGitHubEmulator()
  gh.addOrganization('acme')
  gh.addRepository('acme/ops', { id: 301 })
  gh.addRepository('acme/hidden', { id: 302 })
  gh.addToken(ACTIONS, { repositories: ['acme/ops'], secrets: 'none', actions: 'read' })
  gh.addToken(SECRETS_ONLY, { repositories: 'all', secrets: 'write' })
  gh.addToken(WORKFLOW_NO_ACTIONS, {
    repositories: ['acme/ops'],
    secrets: 'write',
    kind: 'installation'
  })
  gh.addWorkflowRun('acme/ops', { id: RUN, status: 'in_progress', runNumber: 7 })
})
afterAll(async () => {
  await gh.close()
})

describe('GET /repos/{owner}/{repo}/actions/runs/{run_id}', () => {
  test('200 with GitHub fields, following the run to completion', async () => {
    const res = await getRun(ACTIONS, RUN)
    expect(res.status).toBe(200)
    expect(res.headers['x-accepted-github-permissions']).toBe('actions=read')
    expect(res.data).toMatchObject({
      id: RUN,
      run_attempt: 1,
      run_number: 7,
      status: 'in_progress',
      conclusion: null,
      path: '.github/workflows/rotate.yml',
      name: 'Rotate IAM key',
      head_branch: 'main',
      html_url: `https://github.com/acme/ops/actions/runs/${RUN}`,
      url: `${gh.url}/repos/acme/ops/actions/runs/${RUN}`,
      previous_attempt_url: null,
      repository: { id: 301, full_name: 'acme/ops' }
    })
    expect(res.data.head_sha).toMatch(/^[0-9a-f]{40}$/)
    expect(res.data.head_commit?.id).toBe(res.data.head_sha)

    gh.setWorkflowRunStatus('acme/ops', RUN, 'completed', 'cancelled')
    const done = await getRun(ACTIONS, RUN)
    expect(done.data).toMatchObject({ status: 'completed', conclusion: 'cancelled' })
    gh.setWorkflowRunStatus('acme/ops', RUN, 'in_progress')
  })

  test('a re-run keeps the id and bumps run_attempt', async () => {
    gh.addWorkflowRun('acme/ops', { id: RUN + 1, status: 'completed', conclusion: 'failure' })
    gh.addWorkflowRun('acme/ops', { id: RUN + 1, status: 'queued', runAttempt: 2 })
    const { data } = await getRun(ACTIONS, RUN + 1)
    expect(data).toMatchObject({ run_attempt: 2, status: 'queued', conclusion: null })
    expect(data.previous_attempt_url).toBe(
      `${gh.url}/repos/acme/ops/actions/runs/${RUN + 1}/attempts/1`
    )
  })

  test('403 without the Actions permission, worded for the kind of token', async () => {
    const pat = await failure(getRun(SECRETS_ONLY, RUN))
    expect(pat.status).toBe(403)
    expect(pat.response?.data).toMatchObject({
      message: 'Resource not accessible by personal access token',
      documentation_url: 'https://docs.github.com/rest/actions/workflow-runs#get-a-workflow-run'
    })
    expect(pat.response?.headers['x-accepted-github-permissions']).toBe('actions=read')
    const integration = await failure(getRun(WORKFLOW_NO_ACTIONS, RUN))
    expect(integration.status).toBe(403)
    expect((integration.response?.data as { message: string }).message).toBe(
      'Resource not accessible by integration'
    )
  })

  test('404 for an unknown run, a malformed id, or a private repository out of reach', async () => {
    for (const [token, id, repo] of [
      [ACTIONS, 999, 'ops'],
      [ACTIONS, 'abc', 'ops'],
      [ACTIONS, RUN, 'hidden'],
      [ACTIONS, RUN, 'nowhere']
    ] as const) {
      const e = await failure(getRun(token, id, repo))
      expect(e.status).toBe(404)
      expect(e.response?.data).toMatchObject({
        message: 'Not Found',
        documentation_url: expect.stringContaining('docs.github.com')
      })
    }
  })

  test('installation tokens carry the installation’s actions permission', async () => {
    const app = gh.addApp({ id: 3003 })
    const installation = gh.addInstallation(app.id, {
      account: 'acme',
      repositories: ['acme/ops'],
      permissions: { actions: 'read', secrets: 'write' }
    })
    const octokit = new (Octokit.defaults({ baseUrl: gh.url }))({
      authStrategy: createAppAuth,
      auth: { appId: app.id, privateKey: app.privateKey, installationId: installation.id }
    })
    const { data } = await octokit.request(ROUTE, { owner: 'acme', repo: 'ops', run_id: RUN })
    expect(data.id).toBe(RUN)
    // narrowed to secrets only, the token loses the run
    const narrowed = (await octokit.auth({
      type: 'installation',
      permissions: { secrets: 'write' },
      refresh: true
    })) as { token: string }
    const e = await failure(getRun(narrowed.token, RUN))
    expect(e.status).toBe(403)
  })
})

describe('run helpers refuse states GitHub never shows', () => {
  test('unknown repository, completed without a conclusion, conclusion too early, unknown run', () => {
    expect(() => gh.addWorkflowRun('acme/nowhere', { id: 1, status: 'queued' })).toThrow(
      /unknown repository/
    )
    expect(() => gh.addWorkflowRun('acme/ops', { id: 2, status: 'completed' })).toThrow(
      /conclusion/
    )
    expect(() =>
      gh.addWorkflowRun('acme/ops', { id: 3, status: 'in_progress', conclusion: 'success' })
    ).toThrow(/no conclusion/)
    expect(() => gh.setWorkflowRunStatus('acme/ops', 404, 'completed', 'success')).toThrow(/no run/)
    expect(gh.workflowRun('acme/ops', 2)).toBeUndefined()
  })
})
