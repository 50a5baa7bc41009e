/**
 * End to end: the mistakes of a newcomer's first hour, each answered with what happened, what
 * holds now and the next step, before anything changes. A repository created today presents
 * GitHub's immutable subject; the workflow's own GITHUB_TOKEN is passed as 'github-token'; an
 * environment was never created; a typo in 'iam-user-name' under a path-scoped policy.
 */
import { describe, expect, it } from '@jest/globals'
import { roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { mutations, scanRunsAfterEach } from './helpers.js'

let world: World | undefined
const { run } = scanRunsAfterEach(() => world)
const started = async (options: Parameters<typeof startWorld>[0] = {}): Promise<World> =>
  (world = await startWorld(options))

/** The claims the world's OIDC emulator gives the job (emulators/oidc/claims.ts). */
const BY_NAME = 'repo:acme/ops:ref:refs/heads/main'
const IMMUTABLE = 'repo:acme@1000/ops@2000:ref:refs/heads/main'

/** Nothing of the user or any target changed, and the message says so. */
function expectUnchanged(w: World, log: string): void {
  expect(mutations(w)).toEqual([])
  expect(log).toContain(`Nothing was changed for IAM user ${USER}`)
}

describe('a repository created today: the immutable OIDC subject', () => {
  it('a role that trusts only the name-based subject: the job sees its sub, aud and both forms', async () => {
    const w = await started({ oidcSubjectForm: 'immutable' })
    // The world's role trusts `repo:acme/ops:*`, the form the docs used to show.
    const result = await run(roleInputs(w))
    expect(result.code).toBe(1)
    expect(result.log).toContain(`Could not assume role ${w.roleArn}`)
    expect(result.log).toContain(`presented sub '${IMMUTABLE}' and aud 'sts.amazonaws.com'`)
    expect(result.log).toContain(`'${BY_NAME}'`)
    expect(result.log).toContain('List both under StringEquals')
    // A credentials failure, said as one: not a failure to read the user, nor a reason to retry.
    expect(result.log).not.toMatch(/AWS failed while reading|again later|gave up|retried/)
    expectUnchanged(w, result.log)
    // The token itself is never printed, only what it claims.
    for (const jwt of w.oidc.jwtsIssued) expect(result.everything).not.toContain(jwt)
  })

  it('a role that trusts the immutable subject rotates', async () => {
    const w = await started({ oidcSubjectForm: 'immutable' })
    const { arn } = w.aws.createRole('rotate-new-repo', {
      audience: 'sts.amazonaws.com',
      subject: 'repo:acme@1000/ops@2000:*'
    })
    const result = await run(roleInputs(w, { 'role-to-assume': arn }))
    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    expect(w.oidc.tokensIssued.map((t) => t.sub)).toContain(IMMUTABLE)
    expect(w.aws.keys(USER).map((k) => k.accessKeyId)).not.toContain(w.oldKey.accessKeyId)
  })

  it('an audience the provider does not accept: says which aud, and the input to change', async () => {
    const w = await started()
    const result = await run(roleInputs(w, { audience: 'https://github.com/acme' }))
    expect(result.code).toBe(1)
    expect(result.log).toContain("aud 'https://github.com/acme'")
    expect(result.log).toContain("'audience' input")
    expect(result.log).not.toMatch(/again later|gave up/)
    expectUnchanged(w, result.log)
  })
})

describe("the workflow's own GITHUB_TOKEN as 'github-token'", () => {
  /** A workflow token: an installation token of the workflow's repository, without secrets. */
  const WORKFLOW_TOKEN = 'ghs_workflowToken0123456789abcdefghijkl'
  const addWorkflowToken = (w: World): void =>
    w.github.addToken(WORKFLOW_TOKEN, {
      kind: 'installation',
      repositories: ['acme/ops'],
      secrets: 'none',
      actions: 'read'
    })

  it('another private repository (404) is answered with what the token is and what to use', async () => {
    const w = await started()
    addWorkflowToken(w)
    const result = await run(roleInputs(w, { 'github-token': WORKFLOW_TOKEN }))
    expect(result.code).toBe(1)
    expect(result.log).toContain('GitHub answered 404')
    expect(result.log).toContain("that is most often the workflow's own GITHUB_TOKEN")
    expect(result.log).toContain('Pass a fine-grained personal access token')
    expectUnchanged(w, result.log)
    expect(result.everything).not.toContain(WORKFLOW_TOKEN)
  })

  it('its own repository (403) gets the same answer', async () => {
    const w = await started()
    addWorkflowToken(w)
    const result = await run(
      roleInputs(w, { 'github-token': WORKFLOW_TOKEN, repositories: 'acme/ops' })
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain('Resource not accessible by integration')
    expect(result.log).toContain("that is most often the workflow's own GITHUB_TOKEN")
    expectUnchanged(w, result.log)
  })
})

/** A token that reaches one repository of acme only. */
const TOKEN_ACME = 'github_pat_acmeOnly0123456789abcdefghij'

describe('an environment that does not exist', () => {
  it('is named as missing after one read of the repository, before any change', async () => {
    const w = await started()
    w.github.addEnvironment('acme/app', 'production')
    const result = await run(roleInputs(w, { repositories: '', environments: 'acme/app:prod' }))
    expect(result.code).toBe(1)
    expect(result.log).toContain("Environment 'prod' does not exist in acme/app")
    expect(result.log).toContain('never creates one')
    expect(result.log).toContain("correct the name in 'environments'")
    expectUnchanged(w, result.log)
    // One read decides it: the repository, which the token sees.
    const repoReads = w.github.log.filter((e) => e.route === 'GET /repos/{owner}/{repo}')
    expect(repoReads.map((e) => e.status)).toEqual([200])
  })

  it('a repository the token cannot see stays a 404 about the repository', async () => {
    const w = await started()
    w.github.addRepository('octo/hidden')
    w.github.addToken(TOKEN_ACME, {
      repositories: ['acme/app'],
      secrets: 'write',
      environments: 'write',
      actions: 'read'
    })
    const result = await run(
      roleInputs(w, {
        repositories: '',
        environments: 'octo/hidden:prod',
        'github-token': TOKEN_ACME
      })
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain('GitHub answered 404')
    expect(result.log).not.toContain('does not exist in octo/hidden')
    expectUnchanged(w, result.log)
  })
})

describe('a typo in iam-user-name under the path-scoped policy', () => {
  it('AccessDenied names the account, the path and the input, and nothing changes', async () => {
    const w = await started()
    w.aws.createUser('deploy-app', { path: '/deploy/' })
    w.aws.seedAccessKey('deploy-app')
    const { arn } = w.aws.createRole('rotate-deploy-path', {
      audience: 'sts.amazonaws.com',
      subject: 'repo:acme/ops:*',
      usersPath: '/deploy/'
    })
    const typo = await run(roleInputs(w, { 'role-to-assume': arn, 'iam-user-name': 'deploy-ap' }))
    expect(typo.code).toBe(1)
    expect(typo.log).toContain('AccessDenied')
    expect(typo.log).toContain('in account 123456789012')
    expect(typo.log).toContain("'arn:aws:iam::123456789012:user/deploy/*'")
    expect(typo.log).toContain("Check 'iam-user-name'")
    expect(typo.log).toContain('Nothing was changed for IAM user deploy-ap')
    expect(mutations(w)).toEqual([])

    // The same role rotates the user on its path.
    const right = await run(roleInputs(w, { 'role-to-assume': arn, 'iam-user-name': 'deploy-app' }))
    expect(right.log).not.toContain('Error')
    expect(right.code).toBe(0)
  })
})
