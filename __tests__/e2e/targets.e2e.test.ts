/**
 * End to end, every place a deploy credential lives: repository, environment, organization and
 * Dependabot secrets, GitHub App authentication, and fleets from a manifest. Verdicts come from the
 * emulators' state: every target decrypts to a key the AWS emulator accepts as its user.
 */
import { describe, expect, it } from '@jest/globals'
import { Octokit } from '../emulators/octokit.js'
import sodium from 'libsodium-wrappers'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { scopeId } from '../../emulators/github/index.js'
import { roleInputs, startWorld, USER, type World } from '../../emulators/world.js'
import { callerArn, mutations, scanRunsAfterEach } from './helpers.js'

let world: World
const { run } = scanRunsAfterEach(() => world)

/** The secrets of a scope decrypt to `user`'s only key, which AWS accepts as that user. */
async function expectHolds(
  scope: string,
  user = USER,
  names = ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']
): Promise<void> {
  const [key, ...more] = world.aws.keys(user)
  expect(more).toEqual([])
  const secrets = Object.fromEntries(world.github.secrets(scope).map((s) => [s.name, s.value]))
  expect(secrets[names[0]!]).toBe(key?.accessKeyId)
  expect(secrets[names[1]!]).toBe(key?.secretAccessKey)
  const arn = world.aws.users().find((u) => u.userName === user)?.arn
  await expect(callerArn(world, key!.accessKeyId, key!.secretAccessKey)).resolves.toBe(arn)
}

/** Write a sealed organization secret through the real API, as a person would have set it up. */
async function seedOrgSecret(
  token: string,
  org: string,
  name: string,
  repositoryIds: number[]
): Promise<void> {
  await sodium.ready
  const octokit = new Octokit({ auth: token, baseUrl: world.github.url })
  const { data } = await octokit.request('GET /orgs/{org}/actions/secrets/public-key', { org })
  const sealed = sodium.crypto_box_seal(
    sodium.from_string('placeholder'),
    sodium.from_base64(data.key, sodium.base64_variants.ORIGINAL)
  )
  await octokit.request('PUT /orgs/{org}/actions/secrets/{secret_name}', {
    org,
    secret_name: name,
    key_id: data.key_id,
    encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    visibility: 'selected',
    selected_repository_ids: repositoryIds
  })
}

describe('targets', () => {
  it('writes repository, environment, organization and Dependabot secrets in one run', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    world.github.addEnvironment('acme/app', 'production')
    const web = world.github.addRepository('acme/web')
    world.github.addToken('github_pat_everything0123456789abcdef', {
      repositories: 'all',
      secrets: 'write',
      environments: 'write',
      actions: 'read',
      dependabotSecrets: 'write',
      organizations: ['acme'],
      organizationSecrets: 'write',
      organizationDependabotSecrets: 'write'
    })
    const result = await run(
      roleInputs(world, {
        'github-token': 'github_pat_everything0123456789abcdef',
        repositories: 'acme/app',
        environments: 'acme/app:production',
        organizations: 'acme',
        'organization-secret-visibility': 'selected',
        'organization-selected-repositories': 'web',
        'dependabot-repositories': 'acme/api',
        'dependabot-organizations': 'acme'
      })
    )
    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    for (const scope of [
      scopeId.repository('acme/app'),
      scopeId.environment('acme/app', 'production'),
      scopeId.organization('acme'),
      scopeId.dependabot('acme/api'),
      scopeId.organizationDependabot('acme')
    ]) {
      await expectHolds(scope)
    }
    for (const scope of [scopeId.organization('acme'), scopeId.organizationDependabot('acme')]) {
      for (const secret of world.github.secrets(scope)) {
        expect(secret.visibility).toBe('selected')
        expect(secret.selected_repository_ids).toEqual([web.id])
      }
    }
    // One public key per scope, one PUT per secret: nothing read or written twice.
    const gh = world.github.log.map((e) => `${e.method} ${e.path}`)
    expect(gh.filter((r) => r.endsWith('/public-key'))).toHaveLength(5)
    expect(gh.filter((r) => r.startsWith('PUT '))).toHaveLength(10)
  })

  it('gives each organization target its own visibility: Actions to all, Dependabot to two repositories', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    const web = world.github.addRepository('acme/web')
    const api = world.github.addRepository('acme/api')
    world.github.addToken('github_pat_orgs0123456789abcdefghijk', {
      repositories: 'all',
      secrets: 'write',
      actions: 'read',
      organizations: ['acme'],
      organizationSecrets: 'write',
      organizationDependabotSecrets: 'write'
    })
    const result = await run(
      roleInputs(world, {
        'github-token': 'github_pat_orgs0123456789abcdefghijk',
        repositories: '',
        organizations: 'acme:all',
        'dependabot-organizations': 'acme:selected=web+api'
      })
    )
    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    await expectHolds(scopeId.organization('acme'))
    await expectHolds(scopeId.organizationDependabot('acme'))
    const settings = (scope: string): unknown[] =>
      world.github.secrets(scope).map((s) => [s.name, s.visibility, s.selected_repository_ids])
    expect(settings(scopeId.organization('acme'))).toEqual([
      ['AWS_ACCESS_KEY_ID', 'all', []],
      ['AWS_SECRET_ACCESS_KEY', 'all', []]
    ])
    expect(settings(scopeId.organizationDependabot('acme'))).toEqual([
      ['AWS_ACCESS_KEY_ID', 'selected', [web.id, api.id]],
      ['AWS_SECRET_ACCESS_KEY', 'selected', [web.id, api.id]]
    ])
  })

  it('keeps the visibility and selection an organization secret already has', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    const app = world.github.addRepository('acme/web')
    world.github.addToken('github_pat_org0123456789abcdefghijkl', {
      repositories: 'all',
      secrets: 'write',
      actions: 'read',
      organizations: ['acme'],
      organizationSecrets: 'write'
    })
    await seedOrgSecret('github_pat_org0123456789abcdefghijkl', 'acme', 'AWS_ACCESS_KEY_ID', [
      app.id
    ])
    await seedOrgSecret('github_pat_org0123456789abcdefghijkl', 'acme', 'AWS_SECRET_ACCESS_KEY', [
      app.id
    ])
    const result = await run(
      roleInputs(world, {
        'github-token': 'github_pat_org0123456789abcdefghijkl',
        repositories: '',
        organizations: 'acme'
      })
    )
    expect(result.code).toBe(0)
    await expectHolds(scopeId.organization('acme'))
    for (const secret of world.github.secrets(scopeId.organization('acme'))) {
      expect([secret.visibility, secret.selected_repository_ids]).toEqual(['selected', [app.id]])
    }
  })

  it('takes the IDs of repositories a selected secret already reaches from its selection, and looks up only a new one', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    const web = world.github.addRepository('acme/web')
    const api = world.github.addRepository('acme/api')
    const docs = world.github.addRepository('acme/docs')
    const token = 'github_pat_org0123456789abcdefghijkl'
    world.github.addToken(token, {
      repositories: 'all',
      secrets: 'write',
      actions: 'read',
      organizations: ['acme'],
      organizationSecrets: 'write'
    })
    for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
      await seedOrgSecret(token, 'acme', name, [web.id, api.id])
    const result = await run(
      roleInputs(world, {
        'github-token': token,
        repositories: '',
        organizations: 'acme',
        'organization-secret-visibility': 'selected',
        'organization-selected-repositories': 'web, API, docs'
      })
    )
    expect(result.code).toBe(0)
    await expectHolds(scopeId.organization('acme'))
    for (const secret of world.github.secrets(scopeId.organization('acme'))) {
      expect([secret.visibility, secret.selected_repository_ids]).toEqual([
        'selected',
        [web.id, api.id, docs.id]
      ])
    }
    // One listing per secret; the repository the selection did not name yet, read on its own.
    const reads = world.github.log.filter((e) => e.method === 'GET').map((e) => e.path)
    expect(reads.filter((p) => p.endsWith('/repositories'))).toHaveLength(2)
    expect(reads.filter((p) => /^\/repos\/acme\/[^/]+$/.test(p))).toEqual(['/repos/acme/docs'])
  })

  it('refuses to create an organization secret with no visibility set, before any change', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    world.github.addToken('github_pat_org0123456789abcdefghijkl', {
      repositories: 'all',
      secrets: 'write',
      actions: 'read',
      organizations: ['acme'],
      organizationSecrets: 'write'
    })
    const inputs = roleInputs(world, {
      'github-token': 'github_pat_org0123456789abcdefghijkl',
      repositories: '',
      organizations: 'acme'
    })
    const refused = await run(inputs)
    expect(refused.code).toBe(1)
    expect(refused.log).toContain(
      'Secret AWS_ACCESS_KEY_ID does not exist yet in organization acme, and no visibility is set for it'
    )
    expect(refused.log).toContain("Set 'organization-secret-visibility'")
    expect(mutations(world)).toEqual([])
    expect(world.aws.createdKeyIds()).toEqual([])

    // Chosen explicitly, the same visibility is fine.
    const result = await run({ ...inputs, 'organization-secret-visibility': 'private' })
    expect(result.code).toBe(0)
    expect(world.github.secrets(scopeId.organization('acme')).map((s) => s.visibility)).toEqual([
      'private',
      'private'
    ])
  })

  it('names the permission a token lacks for Dependabot secrets, before any change', async () => {
    world = await startWorld()
    const result = await run(
      roleInputs(world, { repositories: '', 'dependabot-repositories': 'acme/app' })
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain("'Dependabot secrets: Read and write' on acme/app")
    expect(mutations(world)).toEqual([])
  })

  it('refuses a bad secret name before any request', async () => {
    world = await startWorld()
    const result = await run(
      roleInputs(world, { 'secret-access-key-secret-name': 'github_secret' })
    )
    expect(result.code).toBe(1)
    expect(result.log).toContain("must not start with 'GITHUB_'")
    expect(world.aws.log).toHaveLength(0)
    expect(world.github.log).toHaveLength(0)
  })
})

describe('a GitHub token that cannot be sent', () => {
  // A header refuses line breaks; a control character is no token's either. Either way the run
  // must say which input is wrong without ever printing the token, or a part of it.
  it.each([
    ['a line break', 'github_pat_11AAAAAAA0broken\nTokenTail0123456789abc'],
    ['a control character', 'github_pat_11AAAAAAA0broken\u0001TokenTail0123456789abc']
  ])(
    'fails naming github-token when the token holds %s, and never prints it',
    async (_, token) => {
      world = await startWorld()
      world.github.addToken(token, { repositories: 'all', secrets: 'write', actions: 'read' })
      const result = await run(roleInputs(world, { 'github-token': token }))
      expect(result.code).toBe(1)
      expect(result.log).toContain("'github-token'")
      for (const part of [token, ...token.split('\n').flatMap((p) => p.split('\u0001'))]) {
        expect(result.everything).not.toContain(part)
        expect(result.summary).not.toContain(part)
        expect(JSON.stringify(result.outputs)).not.toContain(part)
      }
      expect(world.aws.createdKeyIds()).toEqual([])
    },
    120_000
  )
})

describe('GitHub App authentication', () => {
  it('writes with one installation token per account that owns targets', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    world.github.addRepository('octo/site')
    const app = world.github.addApp({ id: 4242 })
    world.github.addInstallation(app.id, {
      account: 'acme',
      repositories: 'all',
      permissions: {
        secrets: 'write',
        organization_secrets: 'write',
        metadata: 'read',
        actions: 'read'
      }
    })
    world.github.addInstallation(app.id, {
      account: 'octo',
      repositories: ['octo/site'],
      permissions: { secrets: 'write', metadata: 'read', actions: 'read' }
    })
    const { 'github-token': _token, ...inputs } = roleInputs(world, {
      repositories: 'acme/app\nacme/api\nocto/site',
      organizations: 'acme',
      'organization-secret-visibility': 'private',
      'app-id': String(app.id),
      'app-private-key': app.privateKey
    })
    const result = await run(inputs)

    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    for (const repo of ['acme/app', 'acme/api', 'octo/site'])
      await expectHolds(scopeId.repository(repo))
    await expectHolds(scopeId.organization('acme'))
    // Per account, one token that writes and one, read-only, that lists the workflow runs.
    const tokens = world.github.log.filter((e) => e.route.endsWith('/access_tokens'))
    expect(tokens.map((e) => e.status)).toEqual([201, 201, 201, 201])
    expect(result.everything).not.toContain(app.privateKey.split('\n')[1])
    // Each token asked for exactly what the run needs in its account, and was masked on arrival.
    const issued = world.github.installationTokensIssued()
    const asked = (reads: boolean) =>
      Object.fromEntries(
        issued
          .filter((t) => (t.requested.permissions?.actions === 'read') === reads)
          .map((t) => [t.account, t.requested])
      )
    expect(asked(false)).toEqual({
      acme: {
        repositories: ['app', 'api'],
        permissions: { metadata: 'read', secrets: 'write', organization_secrets: 'write' }
      },
      octo: { repositories: ['site'], permissions: { metadata: 'read', secrets: 'write' } }
    })
    // acme's secret reaches every private repository: its runs token names none.
    expect(asked(true)).toEqual({
      acme: { permissions: { actions: 'read', metadata: 'read' } },
      octo: { repositories: ['site'], permissions: { actions: 'read', metadata: 'read' } }
    })
    for (const { token } of issued) expect(result.masks).toContain(token)
    expect(result.log).not.toMatch(/ghs_/)
  })

  it('asks each token for environments, Dependabot and the selected repositories it needs', async () => {
    world = await startWorld()
    world.github.addOrganization('acme')
    world.github.addEnvironment('acme/app', 'production')
    const web = world.github.addRepository('acme/web')
    const app = world.github.addApp({ id: 4343 })
    world.github.addInstallation(app.id, {
      account: 'acme',
      repositories: 'all',
      permissions: {
        secrets: 'write',
        environments: 'write',
        dependabot_secrets: 'write',
        organization_secrets: 'write',
        organization_dependabot_secrets: 'write',
        actions: 'read'
      }
    })
    const { 'github-token': _token, ...inputs } = roleInputs(world, {
      repositories: '',
      environments: 'acme/app:production',
      'dependabot-repositories': 'acme/api',
      'dependabot-organizations': 'acme',
      'organization-secret-visibility': 'selected',
      'organization-selected-repositories': 'web',
      'app-id': String(app.id),
      'app-private-key': app.privateKey
    })
    const result = await run(inputs)

    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    await expectHolds(scopeId.environment('acme/app', 'production'))
    await expectHolds(scopeId.dependabot('acme/api'))
    await expectHolds(scopeId.organizationDependabot('acme'))
    for (const secret of world.github.secrets(scopeId.organizationDependabot('acme')))
      expect(secret.selected_repository_ids).toEqual([web.id])
    const issued = world.github.installationTokensIssued()
    // The token that writes does without actions: read; the one that lists runs has only that.
    // They are minted side by side (the preflight probes need the reader), so order is not asserted.
    expect(issued).toHaveLength(2)
    expect(issued.map((t) => t.requested)).toEqual(
      expect.arrayContaining([
        {
          repositories: ['api', 'app', 'web'],
          // Environments alone for the environment: no target here needs Secrets.
          permissions: {
            metadata: 'read',
            environments: 'write',
            dependabot_secrets: 'write',
            organization_dependabot_secrets: 'write'
          }
        },
        {
          repositories: ['api', 'app', 'web'],
          permissions: { actions: 'read', metadata: 'read' }
        }
      ])
    )
    for (const { token } of issued) expect(result.masks).toContain(token)
  })

  it('says where the App is not installed, before any change', async () => {
    world = await startWorld()
    const app = world.github.addApp({ id: 7 })
    world.github.addInstallation(app.id, {
      account: 'acme',
      repositories: ['acme/app'],
      permissions: { secrets: 'write' }
    })
    world.github.addRepository('octo/site')
    const { 'github-token': _token, ...inputs } = roleInputs(world, {
      repositories: 'acme/app\nocto/site',
      'app-id': '7',
      'app-private-key': app.privateKey
    })
    const result = await run(inputs)
    expect(result.code).toBe(1)
    expect(result.log).toContain('The GitHub App is not installed on octo')
    expect(mutations(world)).toEqual([])
  })
})

describe('per-repository deploy users, as a matrix job runs them', () => {
  it("rotates each leg's user into its own repository, all legs at once", async () => {
    world = await startWorld({ repos: ['acme/web', 'acme/api', 'acme/worker'] })
    const legs = ['web', 'api', 'worker']
    for (const leg of legs) {
      world.aws.createUser(`deploy-${leg}`)
      world.aws.seedAccessKey(`deploy-${leg}`)
    }
    const results = await Promise.all(
      legs.map((leg) =>
        run(roleInputs(world, { 'iam-user-name': `deploy-${leg}`, repositories: `acme/${leg}` }))
      )
    )
    expect(results.map((r) => r.code)).toEqual([0, 0, 0])
    for (const leg of legs) await expectHolds(scopeId.repository(`acme/${leg}`), `deploy-${leg}`)
  })
})

describe('fleets from a manifest', () => {
  const workspace = (text: string): string => {
    const dir = mkdtempSync(join(tmpdir(), 'workspace-'))
    writeFileSync(join(dir, 'rotation.yml'), text)
    return dir
  }

  it('reports every manifest problem with file, line and column before any request', async () => {
    world = await startWorld()
    const dir = workspace(
      'users:\n  - iam-user-name: a\n    repos: [acme/app]\n  - iam-user-name: b\n    repositories: nope\n'
    )
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })
    expect(result.code).toBe(1)
    expect(result.log).toContain("rotation.yml:3:5: unknown key 'repos' in users[0]")
    expect(result.log).toContain(
      "rotation.yml:5:19: users[1].repositories must look like 'owner/repo', got 'nope'"
    )
    expect(world.aws.log).toHaveLength(0)
    expect(world.github.log).toHaveLength(0)
  })

  it('rotates 20 users across 50 repositories, paced as GitHub asks', async () => {
    world = await startWorld({ repos: [], githubSecondaryRateLimitMs: 1000 })
    const repos = Array.from({ length: 50 }, (_, i) => `acme/service-${String(i).padStart(2, '0')}`)
    for (const repo of repos) world.github.addRepository(repo)
    const users = Array.from({ length: 20 }, (_, i) => `deploy-${String(i).padStart(2, '0')}`)
    for (const user of users) {
      world.aws.createUser(user)
      world.aws.seedAccessKey(user)
    }
    const manifest = [
      'version: 1',
      'users:',
      ...users.flatMap((user, u) => [
        `  - iam-user-name: ${user}`,
        '    repositories:',
        ...repos.filter((_, r) => r % 20 === u).map((repo) => `      - ${repo}`)
      ])
    ].join('\n')
    const dir = workspace(manifest)
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })

    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    repos.forEach((repo, r) => {
      const user = users[r % 20]!
      const [key] = world.aws.keys(user)
      expect(world.github.repositorySecrets(repo)).toEqual({
        AWS_ACCESS_KEY_ID: key?.accessKeyId,
        AWS_SECRET_ACCESS_KEY: key?.secretAccessKey
      })
    })
    for (const user of users)
      await expectHolds(scopeId.repository(repos[users.indexOf(user)]!), user)
    const results = JSON.parse(result.outputs.results ?? '[]') as { rotated: boolean }[]
    expect(results.map((r) => r.rotated)).toEqual(users.map(() => true))
    // GitHub's secondary rate limit never had to refuse a write: the action paced them itself.
    expect(world.github.log.filter((e) => e.status === 403)).toEqual([])
    const puts = world.github.log.filter((e) => e.method === 'PUT')
    expect(puts).toHaveLength(100)
    const requests = world.aws.log.length + world.github.log.length
    console.log(
      `20-user manifest: ${requests} requests (AWS ${world.aws.log.length}, GitHub ${world.github.log.length}), ${(result.ms / 1000).toFixed(1)} s`
    )
  }, 300_000)

  it('rotates every other user when one fails, and fails the run naming it', async () => {
    world = await startWorld({ repos: ['acme/one', 'acme/two'] })
    world.aws.createUser('stuck')
    world.aws.seedAccessKey('stuck')
    world.aws.seedAccessKey('stuck')
    const dir = workspace(
      'users:\n  - iam-user-name: stuck\n    repositories: acme/one\n  - iam-user-name: deploy\n    repositories: acme/two\n'
    )
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    const result = await run({ ...inputs, manifest: 'rotation.yml' }, { GITHUB_WORKSPACE: dir })

    expect(result.code).toBe(1)
    await expectHolds(scopeId.repository('acme/two'))
    expect(world.aws.keys('stuck')).toHaveLength(2)
    expect(result.log).toContain(
      "1 of 2 users failed: stuck. Each user's error is above and in the job summary; the other users: 1 rotated."
    )
    expect(result.summary).toContain('What happened to stuck')
    expect(JSON.parse(result.outputs.results ?? '[]')).toEqual([
      expect.objectContaining({ 'iam-user-name': 'stuck', rotated: false }),
      expect.objectContaining({ 'iam-user-name': 'deploy', rotated: true })
    ])
  })

  it('gives each user its own max-age-days and grace-period-days: one is rotated, one is not due', async () => {
    world = await startWorld({ repos: ['acme/old', 'acme/new'] })
    const created = new Date(Date.now() - 40 * 86_400_000)
    for (const user of ['deploy-old', 'deploy-new']) {
      world.aws.createUser(user)
      world.aws.seedAccessKey(user, { createDate: created })
    }
    const [before] = world.aws.keys('deploy-old')
    const dir = workspace(`defaults:
  max-age-days: 90
users:
  - iam-user-name: deploy-old
    repositories: acme/old
    max-age-days: 30
    grace-period-days: 7
  - iam-user-name: deploy-new
    repositories: acme/new
`)
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    // The inputs say every run rotates and the old key goes at once: the manifest overrides both.
    const result = await run(
      { ...inputs, manifest: 'rotation.yml', 'max-age-days': '0', 'grace-period-days': '0' },
      { GITHUB_WORKSPACE: dir }
    )

    expect(result.log).not.toContain('Error')
    expect(result.code).toBe(0)
    expect(JSON.parse(result.outputs.results ?? '[]')).toEqual([
      expect.objectContaining({ 'iam-user-name': 'deploy-old', rotated: true }),
      expect.objectContaining({ 'iam-user-name': 'deploy-new', rotated: false })
    ])
    // deploy-old's 40-day-old key was due at 30 days, and is kept Inactive for its 7-day grace.
    const old = world.aws.keys('deploy-old')
    expect(old.map((k) => [k.accessKeyId === before?.accessKeyId, k.status])).toEqual([
      [true, 'Inactive'],
      [false, 'Active']
    ])
    // deploy-new's is not due before 90 days: nothing written.
    expect(world.aws.keys('deploy-new')).toHaveLength(1)
    expect(world.github.repositorySecrets('acme/new')).toEqual({})
    expect(result.summary).toContain('max-age-days is 90')
    // deploy-new is due 90 days after its key's creation (50 days on); deploy-old's new key, 30.
    const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10)
    const [fresh] = world.aws.keys('deploy-old').filter((k) => k.status === 'Active')
    expect(result.outputs).toMatchObject({
      'rotated-count': '1',
      'not-due-count': '1',
      'failed-count': '0',
      'next-due-date': day(fresh!.createDate.getTime() + 30 * 86_400_000)
    })
    expect(
      (JSON.parse(result.outputs.results ?? '[]') as Record<string, unknown>[]).map(
        (r) => r['next-due-date']
      )
    ).toEqual([
      day(fresh!.createDate.getTime() + 30 * 86_400_000),
      day(created.getTime() + 90 * 86_400_000)
    ])
  })
})
