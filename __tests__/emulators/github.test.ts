/**
 * The GitHub emulator driven by a real Octokit and real libsodium sealed boxes, so what passes
 * here is what a client written against GitHub's documentation would see.
 */
import { API_VERSION, Octokit, failure, message } from './octokit.js'
import sodium from 'libsodium-wrappers'
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals'
import { scopeId, startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'

const ADMIN = 'github_pat_admin_0123456789'
const READER = 'github_pat_reader_0123456789'
const OTHER = 'github_pat_other_0123456789'
const WORKFLOW = 'ghs_workflowtoken0123456789'
const NOSECRETS = 'github_pat_nosecrets_0123456789'
const SECRET_ROUTE = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'

let gh: GitHubEmulator

const client = (token?: string): Octokit =>
  new Octokit({ baseUrl: gh.url, ...(token ? { auth: token } : {}) })

function seal(value: string, key: string): string {
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  )
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}

async function putSecret(octokit: Octokit, name: string, value: string, repo = 'app') {
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
    owner: 'acme',
    repo
  })
  return octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
    owner: 'acme',
    repo,
    secret_name: name,
    encrypted_value: seal(value, data.key),
    key_id: data.key_id
  })
}

beforeAll(async () => {
  await sodium.ready
  gh = await startGitHubEmulator()
  gh.addOrganization('acme')
  gh.addRepository('acme/app', { id: 101 })
  gh.addRepository('acme/other', { id: 102 })
  gh.addRepository('acme/public', { id: 103, private: false })
  gh.addEnvironment('acme/app', 'production')
  gh.addToken(ADMIN, {
    repositories: ['acme/app', 'acme/public'],
    secrets: 'write',
    environments: 'write',
    dependabotSecrets: 'write',
    organizations: ['acme'],
    organizationSecrets: 'write',
    organizationDependabotSecrets: 'write'
  })
  gh.addToken(READER, { repositories: ['acme/app'], secrets: 'read' })
  gh.addToken(OTHER, { repositories: ['acme/other'], secrets: 'write' })
  gh.addToken(NOSECRETS, { repositories: ['acme/app'], secrets: 'none' })
  gh.addToken(WORKFLOW, { repositories: ['acme/app'], secrets: 'none', kind: 'installation' })
})

afterAll(async () => {
  await gh.close()
})

describe('repository secrets', () => {
  test('public key is a numeric key_id and a base64 Curve25519 key, with GitHub headers', async () => {
    const res = await client(ADMIN).request(
      'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      {
        owner: 'acme',
        repo: 'app',
        headers: { 'x-github-api-version': '2022-11-28' }
      }
    )
    expect(res.status).toBe(200)
    expect(res.data.key_id).toMatch(/^\d{19}$/)
    expect(sodium.from_base64(res.data.key, sodium.base64_variants.ORIGINAL)).toHaveLength(32)
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8')
    expect(res.headers['x-github-request-id']).toBeTruthy()
    expect(res.headers['x-ratelimit-limit']).toBe('5000')
    expect(res.headers['x-ratelimit-resource']).toBe('core')
    expect(res.headers['x-github-api-version-selected']).toBe('2022-11-28')
    expect(res.data.key_id).toBe(gh.keyId(scopeId.repository('acme/app')))
  })

  test('PUT creates (201), updates (204) and the emulator decrypts the value', async () => {
    const created = await putSecret(client(ADMIN), 'AWS_ACCESS_KEY_ID', 'AKIAFIRST')
    expect(created.status).toBe(201)
    expect(gh.repositorySecrets('acme/app').AWS_ACCESS_KEY_ID).toBe('AKIAFIRST')
    const updated = await putSecret(client(ADMIN), 'AWS_ACCESS_KEY_ID', 'AKIASECOND')
    expect(updated.status).toBe(204)
    expect(gh.repositorySecrets('acme/app').AWS_ACCESS_KEY_ID).toBe('AKIASECOND')

    const one = await client(ADMIN).request(
      'GET /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      {
        owner: 'acme',
        repo: 'app',
        secret_name: 'aws_access_key_id'
      }
    )
    expect(one.data).toEqual({
      name: 'AWS_ACCESS_KEY_ID',
      created_at: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      updated_at: expect.any(String)
    })
    const all = await client(READER).request('GET /repos/{owner}/{repo}/actions/secrets', {
      owner: 'acme',
      repo: 'app'
    })
    expect(all.data.total_count).toBe(1)
    expect(all.data.secrets.map((s) => s.name)).toEqual(['AWS_ACCESS_KEY_ID'])
  })

  test('DELETE answers 204, then the secret is gone (404)', async () => {
    await putSecret(client(ADMIN), 'TO_DELETE', 'x')
    const del = await client(ADMIN).request(
      'DELETE /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      {
        owner: 'acme',
        repo: 'app',
        secret_name: 'TO_DELETE'
      }
    )
    expect(del.status).toBe(204)
    const gone = await failure(
      client(ADMIN).request('GET /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
        owner: 'acme',
        repo: 'app',
        secret_name: 'TO_DELETE'
      })
    )
    expect(gone.status).toBe(404)
    expect(gone.response?.data).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest/actions/secrets#get-a-repository-secret',
      status: '404'
    })
  })

  test('a value sealed to a stale key_id is refused with 422', async () => {
    const octokit = client(ADMIN)
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
      owner: 'acme',
      repo: 'app'
    })
    const fresh = gh.rotatePublicKey(scopeId.repository('acme/app'))
    expect(fresh).not.toBe(data.key_id)
    const e = await failure(
      octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
        owner: 'acme',
        repo: 'app',
        secret_name: 'STALE',
        encrypted_value: seal('v', data.key),
        key_id: data.key_id
      })
    )
    expect(e.status).toBe(422)
    expect(gh.repositorySecrets('acme/app').STALE).toBeUndefined()
  })

  test('ciphertext that does not open with the scope key is refused with 422', async () => {
    const octokit = client(ADMIN)
    const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
      owner: 'acme',
      repo: 'app'
    })
    const otherKey = sodium.to_base64(
      sodium.crypto_box_keypair().publicKey,
      sodium.base64_variants.ORIGINAL
    )
    for (const encrypted_value of [
      Buffer.from('garbage ciphertext').toString('base64'),
      seal('v', otherKey)
    ]) {
      const e = await failure(
        octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
          owner: 'acme',
          repo: 'app',
          secret_name: 'GARBAGE',
          encrypted_value,
          key_id: data.key_id
        })
      )
      expect(e.status).toBe(422)
      expect(message(e)).toBe(
        'Bad request - validation failed due to an improperly encrypted secret'
      )
    }
  })

  test.each([
    ['GITHUB_X', /must not start with GITHUB_/],
    ['github_token', /must not start with GITHUB_/],
    ['1ABC', /alphanumeric/],
    ['A-B', /alphanumeric/],
    ['A B', /alphanumeric/]
  ])('secret name %p is refused with 422', async (name, expected) => {
    const e = await failure(putSecret(client(ADMIN), name, 'v'))
    expect(e.status).toBe(422)
    expect(message(e)).toMatch(expected)
  })

  test('names are case-insensitive and stored uppercase', async () => {
    expect((await putSecret(client(ADMIN), 'lower_case_1', 'a')).status).toBe(201)
    expect((await putSecret(client(ADMIN), 'LOWER_CASE_1', 'b')).status).toBe(204)
    expect(gh.repositorySecrets('acme/app')).toMatchObject({ LOWER_CASE_1: 'b' })
    expect(gh.repositorySecrets('acme/app').lower_case_1).toBeUndefined()
  })

  test.each([
    [{ encrypted_value: 'c2VjcmV0' }, 'Invalid request.\n\n"key_id" wasn\'t supplied.'],
    [
      { encrypted_value: 12, key_id: '1' },
      "Invalid request.\n\nFor 'properties/encrypted_value', 12 is not a string."
    ],
    [
      { encrypted_value: 'not base64!', key_id: '1' },
      /^Invalid request.\n\nnot base64! does not match/
    ]
  ])(
    'a body that does not match the OpenAPI schema (%p) is refused with 422',
    async (body, expected) => {
      const e = await failure(
        // A deliberately ill-typed body: widen the route so Octokit's types let it through.
        client(ADMIN).request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}' as string, {
          owner: 'acme',
          repo: 'app',
          secret_name: 'SCHEMA',
          ...(body as object)
        })
      )
      expect(e.status).toBe(422)
      expect(message(e)).toMatch(expected)
    }
  )

  test('a body that is not JSON is refused with 400', async () => {
    const res = await fetch(`${gh.url}/repos/acme/app/actions/secrets/X`, {
      method: 'PUT',
      headers: { authorization: `token ${ADMIN}`, 'x-github-api-version': API_VERSION },
      body: '{nope'
    })
    expect(res.status).toBe(400)
    expect(await res.json()).toMatchObject({ message: 'Problems parsing JSON', status: '400' })
  })

  test('lists paginate like GitHub (per_page, page, link header)', async () => {
    gh.addRepository('acme/many')
    gh.addToken('github_pat_many_0123', { repositories: ['acme/many'], secrets: 'write' })
    const octokit = client('github_pat_many_0123')
    for (let i = 0; i < 35; i++)
      await putSecret(octokit, `S_${String(i).padStart(2, '0')}`, 'v', 'many')
    const first = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets', {
      owner: 'acme',
      repo: 'many'
    })
    expect(first.data.total_count).toBe(35)
    expect(first.data.secrets).toHaveLength(30)
    expect(first.headers.link).toMatch(/page=2>; rel="next"/)
    const second = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets', {
      owner: 'acme',
      repo: 'many',
      per_page: 30,
      page: 2
    })
    expect(second.data.secrets.map((s) => s.name)).toEqual(['S_30', 'S_31', 'S_32', 'S_33', 'S_34'])
  })
})

describe('tokens', () => {
  const publicKey = (token?: string, repo = 'app') =>
    client(token).request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
      owner: 'acme',
      repo
    })

  test('unknown token → 401 Bad credentials; no token → 401', async () => {
    const e = await failure(publicKey('ghp_unknown'))
    expect(e.status).toBe(401)
    expect(e.response?.data).toEqual({
      message: 'Bad credentials',
      documentation_url: 'https://docs.github.com/rest',
      status: '401'
    })
    expect((await failure(publicKey())).status).toBe(401)
  })

  test('Bearer and token schemes are both accepted', async () => {
    for (const scheme of ['token', 'Bearer']) {
      const res = await fetch(`${gh.url}/repos/acme/app/actions/secrets/public-key`, {
        headers: { authorization: `${scheme} ${ADMIN}`, 'x-github-api-version': API_VERSION }
      })
      expect(res.status).toBe(200)
    }
  })

  test('a token without access to a private repository gets 404 (GitHub hides it)', async () => {
    const e = await failure(publicKey(OTHER))
    expect(e.status).toBe(404)
    expect(message(e)).toBe('Not Found')
    expect((await failure(publicKey(ADMIN, 'nonexistent'))).status).toBe(404)
  })

  test('a workflow GITHUB_TOKEN without the secrets permission gets 403 by integration', async () => {
    const e = await failure(publicKey(WORKFLOW))
    expect(e.status).toBe(403)
    expect(message(e)).toBe('Resource not accessible by integration')
    expect(e.response?.headers['x-accepted-github-permissions']).toBe('secrets=read')
    // it can still read the repository itself
    const repo = await client(WORKFLOW).request('GET /repos/{owner}/{repo}', {
      owner: 'acme',
      repo: 'app'
    })
    expect(repo.data).toMatchObject({
      id: 101,
      full_name: 'acme/app',
      private: true,
      owner: { login: 'acme' }
    })
  })

  test('a fine-grained token without the secrets permission gets 403 by personal access token', async () => {
    const e = await failure(publicKey(NOSECRETS))
    expect(e.status).toBe(403)
    expect(message(e)).toBe('Resource not accessible by personal access token')
  })

  test('a read-only token may read the key and list, but not PUT or DELETE', async () => {
    expect((await publicKey(READER)).status).toBe(200)
    const e = await failure(putSecret(client(READER), 'NOPE', 'v'))
    expect(e.status).toBe(403)
    expect(e.response?.headers['x-accepted-github-permissions']).toBe('secrets=write')
    const d = await failure(
      client(READER).request('DELETE /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
        owner: 'acme',
        repo: 'app',
        secret_name: 'AWS_ACCESS_KEY_ID'
      })
    )
    expect(d.status).toBe(403)
  })

  test('the log names the route and a token prefix, never the token', async () => {
    await publicKey(ADMIN)
    const entry = gh.log.at(-1)
    expect(entry).toMatchObject({
      route: 'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      status: 200
    })
    expect(ADMIN.startsWith(entry?.principal ?? 'x')).toBe(true)
    expect(entry?.principal).not.toBe(ADMIN)
  })
})

describe('protocol edges', () => {
  test('unknown routes answer GitHub 404', async () => {
    const res = await fetch(`${gh.url}/repos/acme/app/nothing-here`, {
      headers: { authorization: `token ${ADMIN}`, 'x-github-api-version': API_VERSION }
    })
    expect(res.status).toBe(404)
    expect(await res.json()).toEqual({
      message: 'Not Found',
      documentation_url: 'https://docs.github.com/rest',
      status: '404'
    })
  })

  test('an unsupported X-GitHub-Api-Version is refused with 400', async () => {
    const res = await fetch(`${gh.url}/repos/acme/app`, {
      headers: { authorization: `token ${ADMIN}`, 'x-github-api-version': '1999-01-01' }
    })
    expect(res.status).toBe(400)
  })

  test('a request without X-GitHub-Api-Version is served as 2022-11-28, as GitHub documents', async () => {
    const res = await fetch(`${gh.url}/repos/acme/app`, {
      headers: { authorization: `token ${ADMIN}` }
    })
    expect(res.status).toBe(200)
    expect(res.headers.get('x-github-api-version-selected')).toBe('2022-11-28')
    // The log keeps what the client sent: the e2e tests check our own client names the version.
    expect(gh.log.at(-1)?.apiVersion).toBeUndefined()
  })

  test('injected 500 renders GitHub error JSON; injected hang never answers', async () => {
    gh.inject({ route: SECRET_ROUTE, status: 500 })
    const e = await failure(putSecret(client(ADMIN), 'FAULTY', 'v'))
    expect(e.status).toBe(500)
    expect(e.response?.data).toMatchObject({ status: '500', documentation_url: expect.any(String) })
    expect(gh.log.at(-1)).toMatchObject({ route: SECRET_ROUTE, injected: true, status: 500 })

    gh.inject({ route: SECRET_ROUTE, hang: true })
    const octokit = new Octokit({
      baseUrl: gh.url,
      auth: ADMIN,
      request: { signal: AbortSignal.timeout(300) }
    })
    await expect(putSecret(octokit, 'HANGS', 'v')).rejects.toThrow()
    expect(gh.repositorySecrets('acme/app').HANGS).toBeUndefined()
  })

  test('injected 429 carries retry-after', async () => {
    gh.inject({
      route: /actions\/secrets\/public-key$/,
      status: 429,
      headers: { 'retry-after': '2' }
    })
    const e = await failure(
      client(ADMIN).request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect(e.status).toBe(429)
    expect(e.response?.headers['retry-after']).toBe('2')
  })
})

describe('secondary rate limit', () => {
  test('mutating requests too close together or concurrent get 403 + retry-after', async () => {
    const limited = await startGitHubEmulator({ secondaryRateLimit: { minIntervalMs: 400 } })
    try {
      limited.addRepository('acme/app')
      limited.addToken(ADMIN, { repositories: 'all', secrets: 'write' })
      const octokit = new Octokit({ baseUrl: limited.url, auth: ADMIN })
      const { data } = await octokit.request(
        'GET /repos/{owner}/{repo}/actions/secrets/public-key',
        {
          owner: 'acme',
          repo: 'app'
        }
      )
      const put = (name: string) =>
        octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
          owner: 'acme',
          repo: 'app',
          secret_name: name,
          encrypted_value: seal('v', data.key),
          key_id: data.key_id
        })
      expect((await put('FIRST')).status).toBe(201)
      const e = await failure(put('SECOND'))
      expect(e.status).toBe(403)
      expect(message(e)).toMatch(/^You have exceeded a secondary rate limit/)
      expect(e.response?.headers['retry-after']).toBe('1')
      // reads are not limited
      expect(
        (await octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })).status
      ).toBe(200)
      await new Promise((r) => setTimeout(r, 450))
      expect((await put('SECOND')).status).toBe(201)

      await new Promise((r) => setTimeout(r, 450))
      limited.latencyMs = 100
      const results = await Promise.allSettled([put('C1'), put('C2')])
      expect(results.map((r) => r.status).sort()).toEqual(['fulfilled', 'rejected'])
    } finally {
      await limited.close()
    }
  })
})

describe('other scopes', () => {
  test('environment secrets use their own key pair', async () => {
    const octokit = client(ADMIN)
    const route = '/repos/{owner}/{repo}/environments/{environment_name}/secrets'
    const params = { owner: 'acme', repo: 'app', environment_name: 'production' }
    const { data } = await octokit.request(`GET ${route}/public-key`, params)
    expect(data.key_id).not.toBe(gh.keyId(scopeId.repository('acme/app')))
    const res = await octokit.request(`PUT ${route}/{secret_name}`, {
      ...params,
      secret_name: 'DEPLOY_KEY',
      encrypted_value: seal('env-value', data.key),
      key_id: data.key_id
    })
    expect(res.status).toBe(201)
    expect(gh.environmentSecrets('acme/app', 'production')).toEqual({ DEPLOY_KEY: 'env-value' })
    const missing = await failure(
      octokit.request(`GET ${route}/public-key`, { ...params, environment_name: 'nope' })
    )
    expect(missing.status).toBe(404)
  })

  test('environment secrets need Environments, and Secrets alone does not reach them', async () => {
    const route = '/repos/{owner}/{repo}/environments/{environment_name}/secrets'
    const params = { owner: 'acme', repo: 'app', environment_name: 'production' }
    gh.addToken('github_pat_envonly_0123', {
      repositories: ['acme/app'],
      secrets: 'none',
      environments: 'write'
    })
    gh.addToken('github_pat_secrets_0123', { repositories: ['acme/app'], secrets: 'write' })
    const refused = await failure(
      client('github_pat_secrets_0123').request(`GET ${route}/public-key`, params)
    )
    expect(refused.status).toBe(403)
    expect(refused.response?.headers['x-accepted-github-permissions']).toBe('environments=read')
    const envOnly = client('github_pat_envonly_0123')
    const { data } = await envOnly.request(`GET ${route}/public-key`, params)
    const res = await envOnly.request(`PUT ${route}/{secret_name}`, {
      ...params,
      secret_name: 'ENV_ONLY_KEY',
      encrypted_value: seal('env-only', data.key),
      key_id: data.key_id
    })
    expect(res.status).toBe(201)
    // ...and Environments does not reach the repository's own secrets.
    const repo = await failure(
      envOnly.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect(repo.status).toBe(403)
  })

  test('Dependabot secrets need the dependabot_secrets permission', async () => {
    const { data } = await client(ADMIN).request(
      'GET /repos/{owner}/{repo}/dependabot/secrets/public-key',
      {
        owner: 'acme',
        repo: 'app'
      }
    )
    const res = await client(ADMIN).request(
      'PUT /repos/{owner}/{repo}/dependabot/secrets/{secret_name}',
      {
        owner: 'acme',
        repo: 'app',
        secret_name: 'NPM_TOKEN',
        encrypted_value: seal('npm', data.key),
        key_id: data.key_id
      }
    )
    expect(res.status).toBe(201)
    expect(gh.dependabotSecrets('acme/app')).toEqual({ NPM_TOKEN: 'npm' })
    const e = await failure(
      client(READER).request('GET /repos/{owner}/{repo}/dependabot/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect(e.status).toBe(403)
  })

  test('organization secrets carry visibility and selected repositories', async () => {
    const octokit = client(ADMIN)
    const { data } = await octokit.request('GET /orgs/{org}/actions/secrets/public-key', {
      org: 'acme'
    })
    const put = await octokit.request('PUT /orgs/{org}/actions/secrets/{secret_name}', {
      org: 'acme',
      secret_name: 'ORG_WIDE',
      encrypted_value: seal('org', data.key),
      key_id: data.key_id,
      visibility: 'selected',
      selected_repository_ids: [101]
    })
    expect(put.status).toBe(201)
    expect(gh.organizationSecrets('acme')).toEqual({ ORG_WIDE: 'org' })
    const one = await octokit.request('GET /orgs/{org}/actions/secrets/{secret_name}', {
      org: 'acme',
      secret_name: 'ORG_WIDE'
    })
    expect(one.data).toMatchObject({
      visibility: 'selected',
      selected_repositories_url: expect.stringContaining('/repositories')
    })
    await octokit.request(
      'PUT /orgs/{org}/actions/secrets/{secret_name}/repositories/{repository_id}',
      {
        org: 'acme',
        secret_name: 'ORG_WIDE',
        repository_id: 102
      }
    )
    const repos = await octokit.request(
      'GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
      {
        org: 'acme',
        secret_name: 'ORG_WIDE'
      }
    )
    expect(repos.data.repositories.map((r) => r.id)).toEqual([101, 102])
    const bad = await failure(
      octokit.request('PUT /orgs/{org}/actions/secrets/{secret_name}', {
        org: 'acme',
        secret_name: 'ORG_BAD',
        visibility: 'everyone' as 'all'
      })
    )
    expect(bad.status).toBe(422)
    expect(
      (await failure(client(READER).request('GET /orgs/{org}/actions/secrets', { org: 'acme' })))
        .status
    ).toBe(404)
  })
})
