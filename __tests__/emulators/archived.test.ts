/**
 * An archived repository in the GitHub emulator: read-only, as on GitHub. Every write to its
 * secrets (Actions, Dependabot, environment; PUT and DELETE) gets GitHub's 403 "Repository was
 * archived so is read-only." and changes nothing; reads still answer. Driven by a real Octokit.
 */
import { afterEach, beforeEach, describe, expect, test } from '@jest/globals'
import sodium from 'libsodium-wrappers'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'
import { Octokit, failure, message } from './octokit.js'

const TOKEN = 'github_pat_archived_0123456789'
const OUTSIDER = 'github_pat_outsider_0123456789'
const ARCHIVED = 'Repository was archived so is read-only.'

/** The three repository-level secret families, by their OpenAPI base path. */
const FAMILIES = {
  actions: '/repos/{owner}/{repo}/actions/secrets',
  dependabot: '/repos/{owner}/{repo}/dependabot/secrets',
  environment: '/repos/{owner}/{repo}/environments/{environment_name}/secrets'
} as const
type Family = keyof typeof FAMILIES
const PARAMS = { owner: 'acme', repo: 'app', environment_name: 'production' }

let gh: GitHubEmulator
const octokit = (token = TOKEN): Octokit => new Octokit({ baseUrl: gh.url, auth: token })

beforeEach(async () => {
  await sodium.ready
  gh = await startGitHubEmulator()
  gh.addOrganization('acme')
  gh.addRepository('acme/app')
  gh.addRepository('acme/other')
  gh.addEnvironment('acme/app', 'production')
  gh.addToken(TOKEN, {
    repositories: 'all',
    secrets: 'write',
    environments: 'write',
    dependabotSecrets: 'write'
  })
  gh.addToken(OUTSIDER, { repositories: ['acme/other'], secrets: 'write' })
})
afterEach(async () => {
  await gh.close()
})

/** PUT a sealed `value` as `name` in a family of acme/app; resolves to the status. */
async function put(family: Family, name: string, value: string, token = TOKEN): Promise<number> {
  const base = FAMILIES[family]
  const { data } = await octokit(token).request(`GET ${base}/public-key`, PARAMS)
  const { key, key_id } = data
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  )
  const res = await octokit(token).request(`PUT ${base}/{secret_name}`, {
    ...PARAMS,
    secret_name: name,
    encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
    key_id
  })
  return res.status
}

const remove = (family: Family, name: string, token = TOKEN) =>
  octokit(token).request(`DELETE ${FAMILIES[family]}/{secret_name}`, {
    ...PARAMS,
    secret_name: name
  })

const stored = (family: Family): Record<string, string> =>
  family === 'actions'
    ? gh.repositorySecrets('acme/app')
    : family === 'dependabot'
      ? gh.dependabotSecrets('acme/app')
      : gh.environmentSecrets('acme/app', 'production')

describe('archived repository', () => {
  test('GET /repos/{owner}/{repo} reports archived, false until archive()', async () => {
    const get = async () =>
      (await octokit().request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })).data
    expect(await get()).toMatchObject({ full_name: 'acme/app', archived: false })
    gh.archive('acme/app')
    expect(await get()).toMatchObject({ full_name: 'acme/app', archived: true })
    expect(gh.repository('acme/app')?.archived).toBe(true)
    gh.unarchive('acme/app')
    expect(await get()).toMatchObject({ archived: false })
  })

  test('archive() of an unknown repository throws', () => {
    expect(() => gh.archive('acme/nope')).toThrow(/unknown repository/)
  })

  test.each(Object.keys(FAMILIES) as Family[])(
    '%s secrets: PUT and DELETE get 403 read-only and change nothing; reads still work',
    async (family) => {
      expect(await put(family, 'KEPT', 'before')).toBe(201)
      const base = FAMILIES[family]
      const { data: before } = await octokit().request(`GET ${base}/{secret_name}`, {
        ...PARAMS,
        secret_name: 'KEPT'
      })
      gh.archive('acme/app')

      // a new secret, an update of an existing one, a delete: all refused
      for (const attempt of [put(family, 'NEW', 'v'), put(family, 'KEPT', 'after')]) {
        const e = await failure(attempt)
        expect(e.status).toBe(403)
        expect(message(e)).toBe(ARCHIVED)
        expect(e.response?.data).toMatchObject({
          documentation_url: expect.stringMatching(/^https:\/\/docs\.github\.com\//),
          status: '403'
        })
      }
      const d = await failure(remove(family, 'KEPT'))
      expect(d.status).toBe(403)
      expect(message(d)).toBe(ARCHIVED)
      // even a delete of a secret that does not exist: the repository refuses before looking
      expect((await failure(remove(family, 'MISSING'))).status).toBe(403)

      expect(stored(family)).toEqual({ KEPT: 'before' })
      // reads: the public key, the secret with its unchanged updated_at, the list
      expect((await octokit().request(`GET ${base}/public-key`, PARAMS)).status).toBe(200)
      const { data: after } = await octokit().request(`GET ${base}/{secret_name}`, {
        ...PARAMS,
        secret_name: 'KEPT'
      })
      expect(after).toEqual(before)
      expect((after as { updated_at: string }).updated_at).toMatch(/Z$/)
      const { data: list } = await octokit().request(`GET ${base}`, PARAMS)
      expect(list).toMatchObject({ total_count: 1, secrets: [{ name: 'KEPT' }] })

      // unarchived, the repository takes writes again
      gh.unarchive('acme/app')
      expect(await put(family, 'KEPT', 'after')).toBe(204)
      expect(stored(family)).toEqual({ KEPT: 'after' })
    }
  )

  test('a token that cannot reach the repository still gets 404, not the archived 403', async () => {
    gh.archive('acme/app')
    const e = await failure(remove('actions', 'ANY', OUTSIDER))
    expect(e.status).toBe(404)
    expect(message(e)).toBe('Not Found')
  })

  test('other repositories are not affected', async () => {
    gh.archive('acme/app')
    const { data } = await octokit().request(
      'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      { owner: 'acme', repo: 'other' }
    )
    const sealed = sodium.crypto_box_seal(
      sodium.from_string('v'),
      sodium.from_base64(data.key, sodium.base64_variants.ORIGINAL)
    )
    const res = await octokit().request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
      owner: 'acme',
      repo: 'other',
      secret_name: 'X',
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: data.key_id
    })
    expect(res.status).toBe(201)
    expect(gh.repositorySecrets('acme/other')).toEqual({ X: 'v' })
  })
})
