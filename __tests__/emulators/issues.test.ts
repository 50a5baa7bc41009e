/**
 * Issues in the GitHub emulator, as GitHub documents them: create (201, labels created), list
 * (open by default, pull requests included, `labels` an AND filter, pages), update (close with
 * `state_reason`), comment; 'Issues' permission enforced (403), an invisible private repository
 * 404, issues disabled 410, bodies checked against the OpenAPI description (422). Real Octokit.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'
import { Octokit, failure, message } from './octokit.js'

const WORKFLOW = 'ghs_workflowIssuesToken0123456789abcdef'
const READER = 'ghs_workflowReadOnly0123456789abcdefgh'
const SECRETS_ONLY = 'github_pat_secretsOnly_0123456789'
const R = { owner: 'acme', repo: 'ops' }

let gh: GitHubEmulator
const octokit = (token = WORKFLOW): Octokit => new Octokit({ baseUrl: gh.url, auth: token })

beforeEach(async () => {
  gh = await startGitHubEmulator()
  gh.addRepository('acme/ops')
  gh.addRepository('acme/hidden')
  gh.addRepository('acme/quiet', { hasIssues: false })
  gh.addToken(WORKFLOW, {
    kind: 'installation',
    repositories: ['acme/ops', 'acme/quiet'],
    secrets: 'none',
    issues: 'write'
  })
  gh.addToken(READER, {
    kind: 'installation',
    repositories: ['acme/ops'],
    secrets: 'none',
    issues: 'read'
  })
  gh.addToken(SECRETS_ONLY, { repositories: 'all', secrets: 'write' })
})
afterEach(async () => {
  await gh.close()
})

describe('issues', () => {
  test('create answers 201 with the issue, and creates a label the repository lacks', async () => {
    const res = await octokit().request('POST /repos/{owner}/{repo}/issues', {
      ...R,
      title: 'Rotation failed',
      body: 'what happened',
      labels: ['rotate-iam-key']
    })
    expect(res.status).toBe(201)
    const data = res.data as {
      number: number
      state: string
      labels: { name: string }[]
      html_url: string
    }
    expect(data).toMatchObject({ number: 1, state: 'open', labels: [{ name: 'rotate-iam-key' }] })
    expect(data.html_url).toBe('https://github.com/acme/ops/issues/1')
    expect(gh.issues('acme/ops')).toHaveLength(1)
  })

  test('list: open by default, pull requests included, labels an AND filter, paginated', async () => {
    const create = (title: string, labels: string[]) =>
      octokit().request('POST /repos/{owner}/{repo}/issues', { ...R, title, labels })
    await create('a', ['rotate-iam-key'])
    await create('b', ['rotate-iam-key', 'urgent'])
    await create('c', ['other'])
    const pr = gh.addPullRequest('acme/ops', { title: 'pr', labels: ['rotate-iam-key'] })
    await octokit().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...R,
      issue_number: 1,
      state: 'closed',
      state_reason: 'completed'
    })
    const list = async (q: Record<string, string | number>): Promise<number[]> =>
      (
        (await octokit().request('GET /repos/{owner}/{repo}/issues', { ...R, ...q })).data as {
          number: number
        }[]
      ).map((i) => i.number)
    expect(await list({ labels: 'rotate-iam-key' })).toEqual([pr, 2])
    expect(await list({ labels: 'rotate-iam-key,urgent' })).toEqual([2])
    expect(await list({ labels: 'Rotate-IAM-Key', state: 'all' })).toEqual([pr, 2, 1])
    expect(await list({ state: 'closed' })).toEqual([1])
    const page = await octokit().request('GET /repos/{owner}/{repo}/issues', { ...R, per_page: 1 })
    expect(page.headers.link).toContain('rel="next"')
    const e = await failure(
      octokit().request('GET /repos/{owner}/{repo}/issues', { ...R, state: 'shut' as 'open' })
    )
    expect(e.status).toBe(422)
  })

  test('close with state_reason, and comment', async () => {
    await octokit().request('POST /repos/{owner}/{repo}/issues', { ...R, title: 't' })
    const c = await octokit().request('POST /repos/{owner}/{repo}/issues/{issue_number}/comments', {
      ...R,
      issue_number: 1,
      body: 'done'
    })
    expect(c.status).toBe(201)
    const u = await octokit().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
      ...R,
      issue_number: 1,
      state: 'closed',
      state_reason: 'completed'
    })
    expect(u.data).toMatchObject({ state: 'closed', state_reason: 'completed', comments: 1 })
    expect(gh.issues('acme/ops')[0]?.comments.map((x) => x.body)).toEqual(['done'])
    expect(
      (
        await failure(
          octokit().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
            ...R,
            issue_number: 9,
            state: 'closed'
          })
        )
      ).status
    ).toBe(404)
  })

  test('bodies are checked against the OpenAPI description', async () => {
    await octokit().request('POST /repos/{owner}/{repo}/issues', { ...R, title: 't' })
    const e = await failure(
      octokit().request('POST /repos/{owner}/{repo}/issues', {
        ...R,
        body: 'no title'
      } as unknown as { owner: string; repo: string; title: string })
    )
    expect(e.status).toBe(422)
    const s = await failure(
      octokit().request('PATCH /repos/{owner}/{repo}/issues/{issue_number}', {
        ...R,
        issue_number: 1,
        state: 'shut' as 'open'
      })
    )
    expect(s.status).toBe(422)
  })

  test("403 without 'Issues: write', 404 for an invisible private repository, 410 when disabled", async () => {
    const readOnly = await failure(
      octokit(READER).request('POST /repos/{owner}/{repo}/issues', { ...R, title: 't' })
    )
    expect(readOnly.status).toBe(403)
    expect(message(readOnly)).toBe('Resource not accessible by integration')
    expect(readOnly.response?.headers['x-accepted-github-permissions']).toBe('issues=write')
    expect((await octokit(READER).request('GET /repos/{owner}/{repo}/issues', R)).status).toBe(200)
    const none = await failure(octokit(SECRETS_ONLY).request('GET /repos/{owner}/{repo}/issues', R))
    expect(none.status).toBe(403)
    expect(message(none)).toBe('Resource not accessible by personal access token')
    const hidden = await failure(
      octokit().request('POST /repos/{owner}/{repo}/issues', {
        owner: 'acme',
        repo: 'hidden',
        title: 't'
      })
    )
    expect(hidden.status).toBe(404)
    const disabled = await failure(
      octokit().request('POST /repos/{owner}/{repo}/issues', {
        owner: 'acme',
        repo: 'quiet',
        title: 't'
      })
    )
    expect(disabled.status).toBe(410)
    expect(message(disabled)).toBe('Issues are disabled for this repo')
    expect(gh.issues('acme/ops')).toEqual([])
  })

  test("an App installation's token with 'issues: write' may open issues", async () => {
    const app = gh.addApp({ id: 42 })
    gh.addOrganization('acme')
    const { id } = gh.addInstallation(app.id, {
      account: 'acme',
      repositories: ['acme/ops'],
      permissions: { issues: 'write' }
    })
    const { createAppAuth } = await import('@octokit/auth-app')
    const auth = createAppAuth({
      appId: app.id,
      privateKey: app.privateKey,
      installationId: id,
      request: new Octokit({ baseUrl: gh.url }).request
    })
    const { token } = await auth({ type: 'installation' })
    const res = await octokit(token).request('POST /repos/{owner}/{repo}/issues', {
      ...R,
      title: 't'
    })
    expect(res.status).toBe(201)
  })
})
