/**
 * End to end: `failure-issues` with the workflow's own GITHUB_TOKEN (an installation token with
 * `issues: write`). A failure opens one issue in the workflow's repository, a second failure
 * updates it (no duplicate), a success closes it with a comment; a token that may not write
 * issues is a warning that neither hides nor changes the rotation's result.
 */
import { describe, expect, it } from '@jest/globals'
import { roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { WORKFLOW_REPOSITORY } from '../../emulators/runner.js'
import { scanRunsAfterEach, secretsOf } from './helpers.js'

let world: World | undefined
const { run } = scanRunsAfterEach(() => world)

/** The workflow's GITHUB_TOKEN, granted `issues: write` (and nothing on secrets). */
const WORKFLOW_TOKEN = 'ghs_workflowIssues0123456789abcdefghijk'
const MISSING = 'acme/missing'

async function started(issues: 'write' | 'read' = 'write'): Promise<World> {
  const w = (world = await startWorld())
  w.github.addToken(WORKFLOW_TOKEN, {
    kind: 'installation',
    repositories: [WORKFLOW_REPOSITORY],
    secrets: 'none',
    issues
  })
  return w
}

/** A rotation that fails before any change while `acme/missing` does not exist, and succeeds once it does. */
const inputs = (w: World): Record<string, string> =>
  roleInputs(w, {
    repositories: `acme/app\n${MISSING}`,
    'failure-issues': 'true',
    'issues-token': WORKFLOW_TOKEN
  })

const issuesOf = (w: World) => w.github.issues(WORKFLOW_REPOSITORY)

/** Nothing any run wrote into an issue is a credential or a key's secret. */
function expectNoSecretInIssues(w: World): void {
  const text = JSON.stringify(issuesOf(w))
  for (const secret of [...secretsOf(w), WORKFLOW_TOKEN]) expect(text).not.toContain(secret)
}

describe('failure issues', () => {
  it('a failure opens one issue, a second failure updates it, a success closes it', async () => {
    const w = await started()

    const first = await run(inputs(w))
    expect(first.code).toBe(1)
    expect(first.log).toContain(`Error: `)
    expect(issuesOf(w)).toHaveLength(1)
    const [issue] = issuesOf(w)
    expect(issue).toMatchObject({
      number: 1,
      state: 'open',
      labels: ['rotate-iam-key'],
      title: `Rotation of IAM user ${USER} failed`
    })
    expect(issue?.body).toContain('### What happened')
    expect(issue?.body).toContain(MISSING)
    expect(issue?.body).toContain('### What holds now')
    expect(issue?.body).toContain('### What to do')
    expect(issue?.body).toMatch(/\/acme\/ops\/actions\/runs\/\d+\)/)
    const url = `https://github.com/${WORKFLOW_REPOSITORY}/issues/1`
    expect(JSON.parse(first.outputs['issues-opened'] ?? '')).toEqual([url])
    expect(JSON.parse(first.outputs['issues-closed'] ?? '')).toEqual([])
    expect(first.log).toContain(`Opened failure issue #1: ${url}`)
    expect(first.summary).toContain(
      `<strong>Failure issues</strong>: opened <a href="${url}">#1</a>`
    )

    const second = await run(inputs(w))
    expect(second.code).toBe(1)
    expect(issuesOf(w)).toHaveLength(1) // no duplicate
    expect(issuesOf(w)[0]?.comments).toHaveLength(1)
    expect(issuesOf(w)[0]?.comments[0]?.body).toContain('Failed again')
    expect(JSON.parse(second.outputs['issues-opened'] ?? '')).toEqual([])
    expect(JSON.parse(second.outputs['issues-updated'] ?? '')).toEqual([url])

    w.github.addRepository(MISSING)
    const third = await run(inputs(w))
    expect(third.code).toBe(0)
    expect(w.github.repositorySecrets(MISSING)).toHaveProperty('AWS_ACCESS_KEY_ID')
    expect(issuesOf(w)).toHaveLength(1)
    expect(issuesOf(w)[0]).toMatchObject({ state: 'closed', state_reason: 'completed' })
    expect(issuesOf(w)[0]?.comments.at(-1)?.body).toContain(`succeeded`)
    expect(JSON.parse(third.outputs['issues-closed'] ?? '')).toEqual([url])

    expectNoSecretInIssues(w)
    for (const r of [first, second, third]) expect(r.everything).not.toContain(WORKFLOW_TOKEN)
  })

  it("GitHub's answer to the issue's creation is lost: the run finds the issue, never a second", async () => {
    const w = await started()
    w.github.inject({ route: 'POST /repos/{owner}/{repo}/issues', status: 502, afterActing: true })
    const result = await run(inputs(w))
    expect(result.code).toBe(1)
    expect(issuesOf(w)).toHaveLength(1)
    expect(
      w.github.log.filter((e) => e.route === 'POST /repos/{owner}/{repo}/issues')
    ).toHaveLength(1)
    expect(JSON.parse(result.outputs['issues-opened'] ?? '')).toEqual([
      `https://github.com/${WORKFLOW_REPOSITORY}/issues/1`
    ])
    expect(result.log).not.toContain('Could not file')
  })

  it("a token without 'issues: write' is a warning; the run fails as its rotation did", async () => {
    const w = await started('read')
    const result = await run(inputs(w))
    expect(result.code).toBe(1)
    expect(result.log).toContain(`Could not file the failure issue of IAM user ${USER}`)
    expect(result.log).toContain("'permissions: issues: write'")
    // The rotation's own error is still the run's last word.
    expect(result.log).toMatch(new RegExp(`Error: [^\\n]*${MISSING}`))
    expect(issuesOf(w)).toEqual([])
    expect(JSON.parse(result.outputs['issues-opened'] ?? '')).toEqual([])
  })

  it('off by default: no issue, no output', async () => {
    const w = await started()
    const result = await run(roleInputs(w, { repositories: `acme/app\n${MISSING}` }))
    expect(result.code).toBe(1)
    expect(issuesOf(w)).toEqual([])
    expect(result.outputs['issues-opened']).toBeUndefined()
  })
})
