/**
 * GitHub App authentication in the GitHub emulator, driven by the real @octokit/auth-app: the app
 * JWT finds installations and mints installation tokens, which then read and write secrets within
 * the installation's repositories and permissions, and expire as GitHub's do.
 */
import { createPrivateKey } from 'node:crypto'
import { createAppAuth } from '@octokit/auth-app'
import { Octokit, failure, message } from './octokit.js'
import { afterAll, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { SignJWT } from 'jose'
import sodium from 'libsodium-wrappers'
import { startGitHubEmulator, type GitHubEmulator } from '../../emulators/github/index.js'

const APP_ID = 1001
const NOW = (): number => Math.floor(Date.now() / 1000)

let gh: GitHubEmulator
let app: { id: number; clientId: string; privateKey: string }
/** Installed on the organization `acme`, two of its repositories, secrets write. */
let orgInstallation: { id: number }
/** Installed on the user `octo`, all of its repositories, secrets read only. */
let userInstallation: { id: number }
/** Another app's key: a JWT it signs for APP_ID does not verify. */
let strangerKey: string

/** An Octokit authenticating as the app, or as one of its installations, through auth-app. */
function appOctokit(
  emulator: GitHubEmulator,
  auth: { installationId?: number; privateKey?: string } = {}
): Octokit {
  const AppOctokit = Octokit.defaults({ baseUrl: emulator.url })
  return new AppOctokit({
    authStrategy: createAppAuth,
    auth: { ...auth, appId: APP_ID, privateKey: auth.privateKey ?? app.privateKey },
    log: { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} }
  })
}

/** Octokit with a fixed credential (auth-token sends a JWT as `bearer`, others as `token`). */
const plain = (emulator: GitHubEmulator, credential: string): Octokit =>
  new Octokit({ baseUrl: emulator.url, auth: credential })

/** An app JWT with chosen claims, signed with the app's PKCS#1 key. */
function jwt(claims: { iss?: string; iat?: number; exp?: number }, pem = app.privateKey) {
  const { iss = String(APP_ID), iat = NOW() - 60, exp = NOW() + 540 } = claims
  return new SignJWT({})
    .setProtectedHeader({ alg: 'RS256', typ: 'JWT' })
    .setIssuer(iss)
    .setIssuedAt(iat)
    .setExpirationTime(exp)
    .sign(createPrivateKey(pem))
}

function seal(value: string, key: string): string {
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  )
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}

async function putSecret(octokit: Octokit, fullName: string, name: string, value: string) {
  const [owner = '', repo = ''] = fullName.split('/')
  const { data } = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
    owner,
    repo
  })
  return octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
    owner,
    repo,
    secret_name: name,
    encrypted_value: seal(value, data.key),
    key_id: data.key_id
  })
}

/** Fake only `Date` (not timers, so HTTP keeps working) and move the clock forward. */
function advanceClock(ms: number): void {
  jest.useFakeTimers({
    doNotFake: [
      'hrtime',
      'nextTick',
      'performance',
      'queueMicrotask',
      'requestAnimationFrame',
      'cancelAnimationFrame',
      'requestIdleCallback',
      'cancelIdleCallback',
      'setImmediate',
      'clearImmediate',
      'setInterval',
      'clearInterval',
      'setTimeout',
      'clearTimeout'
    ],
    now: Date.now() + ms
  })
}

/** An emulator with acme/app, acme/api, acme/other and octo/dotfiles, and the app installed. */
async function world(options: { installationTokenLifetimeMs?: number } = {}) {
  const emulator = await startGitHubEmulator(options)
  emulator.addOrganization('acme')
  emulator.addRepository('acme/app', { id: 101 })
  emulator.addRepository('acme/api', { id: 102 })
  emulator.addRepository('acme/other', { id: 103 })
  emulator.addRepository('octo/dotfiles', { id: 201 })
  const registered = emulator.addApp({ id: APP_ID, slug: 'key-rotator' })
  const org = emulator.addInstallation(APP_ID, {
    account: 'acme',
    repositories: ['acme/app', 'acme/api'],
    permissions: { secrets: 'write', organization_secrets: 'write' }
  })
  return { emulator, registered, org }
}

beforeAll(async () => {
  await sodium.ready
  const built = await world()
  gh = built.emulator
  app = built.registered
  orgInstallation = built.org
  userInstallation = gh.addInstallation(APP_ID, {
    account: 'octo',
    repositories: 'all',
    permissions: { secrets: 'read' }
  })
  strangerKey = gh.addApp({ id: 2002 }).privateKey
})

afterAll(async () => {
  await gh.close()
})

describe('the app JWT', () => {
  test('the private key is PKCS#1, as GitHub hands it out', () => {
    expect(app.privateKey).toMatch(/^-----BEGIN RSA PRIVATE KEY-----\n/)
  })

  test('finds the installation for an organization, a repository and a user', async () => {
    const octokit = appOctokit(gh)
    const self = await octokit.request('GET /app')
    expect(self.data).toMatchObject({ id: APP_ID, slug: 'key-rotator', installations_count: 2 })

    const org = await octokit.request('GET /orgs/{org}/installation', { org: 'acme' })
    expect(org.data).toMatchObject({
      id: orgInstallation.id,
      app_id: APP_ID,
      account: { login: 'acme', type: 'Organization' },
      repository_selection: 'selected',
      permissions: { secrets: 'write', organization_secrets: 'write', metadata: 'read' }
    })
    const repo = await octokit.request('GET /repos/{owner}/{repo}/installation', {
      owner: 'ACME',
      repo: 'api'
    })
    expect(repo.data.id).toBe(orgInstallation.id)
    const user = await octokit.request('GET /users/{username}/installation', { username: 'octo' })
    expect(user.data).toMatchObject({ id: userInstallation.id, target_type: 'User' })
    const all = await octokit.request('GET /app/installations')
    expect(all.data.map((i) => i.id)).toEqual([orgInstallation.id, userInstallation.id])

    // one request at a time: a rejection nobody awaits yet would be reported as unhandled
    const missing = [
      () => octokit.request('GET /orgs/{org}/installation', { org: 'elsewhere' }),
      () =>
        octokit.request('GET /repos/{owner}/{repo}/installation', { owner: 'acme', repo: 'other' }),
      () => octokit.request('GET /users/{username}/installation', { username: 'nobody' })
    ]
    for (const call of missing) {
      const e = await failure(call())
      expect([e.status, message(e)]).toEqual([404, 'Not Found'])
    }
    const logged = gh.log.filter((entry) => entry.route === 'GET /orgs/{org}/installation')
    expect(logged.map((entry) => entry.principal)).toContain(`app:${APP_ID}`)
  })

  test('accepts the client ID or a string app ID as iss', async () => {
    for (const iss of [app.clientId, String(APP_ID)]) {
      const res = await plain(gh, await jwt({ iss })).request('GET /app')
      expect((res.data as { id: number } | null)?.id).toBe(APP_ID)
    }
  })

  test('a bad, expired or too long-lived JWT gets 401 with GitHub messages', async () => {
    const cases: [string, number, string][] = [
      [await jwt({}, strangerKey), 401, 'A JSON web token could not be decoded'],
      ['not-a-jwt', 401, 'A JSON web token could not be decoded'],
      [
        await jwt({ iat: NOW() - 1200, exp: NOW() - 600 }),
        401,
        "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
      ],
      [
        await jwt({ iat: NOW(), exp: NOW() + 3600 }),
        401,
        "'Expiration time' claim ('exp') is too far in the future"
      ],
      [
        await jwt({ iat: NOW() + 120, exp: NOW() + 300 }),
        401,
        "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
      ],
      [await jwt({ iss: '999' }), 404, 'Integration not found']
    ]
    for (const [credential, status, text] of cases) {
      const e = await failure(plain(gh, credential).request('GET /app'))
      expect([e.status, message(e)]).toEqual([status, text])
    }
    // the same through auth-app: a key that is not the app's
    const e = await failure(appOctokit(gh, { privateKey: strangerKey }).request('GET /app'))
    expect([e.status, message(e)]).toEqual([401, 'A JSON web token could not be decoded'])
  })

  test('the JWT alone cannot touch repositories', async () => {
    const e = await failure(
      plain(gh, await jwt({})).request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect([e.status, message(e)]).toEqual([403, 'Resource not accessible by integration'])
  })
})

describe('installation access tokens', () => {
  test('write a sealed secret the emulator decrypts', async () => {
    const octokit = appOctokit(gh, { installationId: orgInstallation.id })
    const auth = (await octokit.auth({ type: 'installation' })) as {
      token: string
      expiresAt: string
      repositorySelection: string
    }
    expect(auth.token).toMatch(/^ghs_[A-Za-z0-9]{36}$/)
    expect(auth.repositorySelection).toBe('selected')
    const lifetime = Date.parse(auth.expiresAt) - Date.now()
    expect(lifetime).toBeGreaterThan(3_590_000)
    expect(lifetime).toBeLessThanOrEqual(3_600_000)

    const created = await putSecret(octokit, 'acme/app', 'AWS_ACCESS_KEY_ID', 'AKIAAPPTOKEN')
    expect(created.status).toBe(201)
    expect(gh.repositorySecrets('acme/app').AWS_ACCESS_KEY_ID).toBe('AKIAAPPTOKEN')
    // organization_secrets reaches the installation's organization
    const orgKey = await octokit.request('GET /orgs/{org}/actions/secrets/public-key', {
      org: 'acme'
    })
    expect(orgKey.status).toBe(200)

    const principals = gh.log.map((entry) => entry.principal ?? '')
    expect(principals).toContain(auth.token.slice(0, 8))
    for (const p of principals) {
      expect(p.length).toBeLessThanOrEqual(12)
      expect(auth.token.startsWith(p) && p.length > 8).toBe(false)
    }
  })

  test('a token without secrets: write gets 403 on PUT', async () => {
    const octokit = appOctokit(gh, { installationId: userInstallation.id })
    const e = await failure(putSecret(octokit, 'octo/dotfiles', 'TOKEN', 'x'))
    expect([e.status, message(e)]).toEqual([403, 'Resource not accessible by integration'])
    expect(e.response?.headers['x-accepted-github-permissions']).toBe('secrets=write')

    // narrowing the org installation's token to secrets: read has the same effect
    const narrow = appOctokit(gh, { installationId: orgInstallation.id })
    const { token } = (await narrow.auth({
      type: 'installation',
      permissions: { secrets: 'read' },
      refresh: true
    })) as { token: string }
    const denied = await failure(putSecret(plain(gh, token), 'acme/app', 'TOKEN', 'x'))
    expect(denied.status).toBe(403)
  })

  test('a repository outside the installation gets 404', async () => {
    const octokit = appOctokit(gh, { installationId: orgInstallation.id })
    const e = await failure(
      octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'other'
      })
    )
    expect([e.status, message(e)]).toEqual([404, 'Not Found'])
    // another account's repository is out of reach even for an all-repositories installation
    const user = appOctokit(gh, { installationId: userInstallation.id })
    const foreign = await failure(
      user.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect(foreign.status).toBe(404)
  })

  test('narrowing cannot widen: 422 for foreign repositories or ungranted permissions', async () => {
    const octokit = appOctokit(gh)
    const cases: [Record<string, unknown>, string][] = [
      [
        { repositories: ['other'] },
        'There is at least one repository that does not exist or is not accessible to the parent installation.'
      ],
      [
        { repository_ids: [201] },
        'There is at least one repository that does not exist or is not accessible to the parent installation.'
      ],
      [
        { permissions: { dependabot_secrets: 'read' } },
        'The permissions requested are not granted to this installation.'
      ],
      [
        { permissions: { secrets: 'admin' } },
        'Invalid request.\n\nFor \'properties/permissions/properties/secrets\', "admin" is not a member of ["read","write"].'
      ]
    ]
    for (const [body, text] of cases) {
      const e = await failure(
        octokit.request('POST /app/installations/{installation_id}/access_tokens', {
          installation_id: orgInstallation.id,
          ...body
        })
      )
      expect([e.status, message(e)]).toEqual([422, text])
    }
    const narrowed = await octokit.request(
      'POST /app/installations/{installation_id}/access_tokens',
      {
        installation_id: orgInstallation.id,
        repositories: ['api'],
        permissions: { secrets: 'read' }
      }
    )
    expect(narrowed.status).toBe(201)
    expect(narrowed.data.permissions).toEqual({ secrets: 'read' })
    expect(narrowed.data.repositories?.map((r) => r.full_name)).toEqual(['acme/api'])
    const unknown = await failure(
      octokit.request('POST /app/installations/{installation_id}/access_tokens', {
        installation_id: 1
      })
    )
    expect(unknown.status).toBe(404)
  })

  test('a token narrowed to some repositories and permissions reaches nothing else', async () => {
    const octokit = appOctokit(gh)
    const minted = await octokit.request(
      'POST /app/installations/{installation_id}/access_tokens',
      {
        installation_id: orgInstallation.id,
        repositories: ['app'],
        permissions: { secrets: 'write', metadata: 'read' }
      }
    )
    const narrow = plain(gh, minted.data.token)
    expect((await putSecret(narrow, 'acme/app', 'NARROWED', 'AKIANARROW')).status).toBe(201)
    // another repository of the installation is hidden (private), as GitHub hides it
    const other = await failure(putSecret(narrow, 'acme/api', 'AWS_ACCESS_KEY_ID', 'x'))
    expect([other.status, message(other)]).toEqual([404, 'Not Found'])
    // the installation's organization_secrets was not asked for, so the token lacks it
    const org = await failure(
      narrow.request('GET /orgs/{org}/actions/secrets/public-key', { org: 'acme' })
    )
    expect(org.status).toBe(403)

    const byId = await octokit.request('POST /app/installations/{installation_id}/access_tokens', {
      installation_id: orgInstallation.id,
      repository_ids: [102]
    })
    const api = plain(gh, byId.data.token)
    const e = await failure(
      api.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
    )
    expect(e.status).toBe(404)

    const issued = gh.installationTokensIssued()
    expect(issued.find((t) => t.token === minted.data.token)).toEqual({
      token: minted.data.token,
      installationId: orgInstallation.id,
      account: 'acme',
      requested: { repositories: ['app'], permissions: { secrets: 'write', metadata: 'read' } },
      repositories: ['acme/app'],
      permissions: { secrets: 'write', metadata: 'read' }
    })
    expect(issued.find((t) => t.token === byId.data.token)).toMatchObject({
      requested: { repository_ids: [102] },
      repositories: ['acme/api'],
      permissions: { secrets: 'write', organization_secrets: 'write', metadata: 'read' }
    })
  })

  test('an organization Dependabot secret needs organization_dependabot_secrets, as on GitHub', async () => {
    const octokit = appOctokit(gh)
    const mint = async (permissions: Record<string, string>): Promise<Octokit> => {
      const { data } = await octokit.request(
        'POST /app/installations/{installation_id}/access_tokens',
        { installation_id: orgInstallation.id, permissions }
      )
      return plain(gh, data.token)
    }
    const read = (o: Octokit) =>
      o.request('GET /orgs/{org}/dependabot/secrets/public-key', { org: 'acme' })
    const e = await failure(read(await mint({ organization_secrets: 'write' })))
    expect(e.status).toBe(403)
    expect(e.response?.headers['x-accepted-github-permissions']).toBe(
      'organization_dependabot_secrets=read'
    )
    // the installation was not granted organization_dependabot_secrets: asking for it is refused
    const refused = await failure(mint({ organization_dependabot_secrets: 'write' }))
    expect([refused.status, message(refused)]).toEqual([
      422,
      'The permissions requested are not granted to this installation.'
    ])
  })

  test('an installation token is not an app JWT', async () => {
    const { token } = (await appOctokit(gh, { installationId: orgInstallation.id }).auth({
      type: 'installation'
    })) as { token: string }
    const e = await failure(plain(gh, token).request('GET /app'))
    expect([e.status, message(e)]).toEqual([401, 'A JSON web token could not be decoded'])
  })
})

describe('token expiry', () => {
  test('an expired token gets 401; auth-app keeps its cached token until told to refresh', async () => {
    const short = await world({ installationTokenLifetimeMs: 5_000 })
    const saved = app
    app = short.registered
    try {
      const octokit = appOctokit(short.emulator, { installationId: short.org.id })
      const read = () =>
        octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
          owner: 'acme',
          repo: 'app'
        })
      expect((await read()).status).toBe(200)
      // past the emulator's lifetime and auth-app's 5 s replication-retry window
      advanceClock(10_000)
      const e = await failure(read())
      expect([e.status, message(e)]).toEqual([401, 'Bad credentials'])
      const minted = () =>
        short.emulator.log.filter((l) => l.route.endsWith('/access_tokens') && l.status === 201)
      expect(minted()).toHaveLength(1) // auth-app does not look at expires_at

      await octokit.auth({ type: 'installation', refresh: true })
      expect((await read()).status).toBe(200)
      expect(minted()).toHaveLength(2)
    } finally {
      jest.useRealTimers()
      app = saved
      await short.emulator.close()
    }
  })

  test('after an hour auth-app mints a new token on its own (its cache lasts 59 minutes)', async () => {
    const octokit = appOctokit(gh, { installationId: orgInstallation.id })
    const first = (await octokit.auth({ type: 'installation', refresh: true })) as { token: string }
    try {
      advanceClock(61 * 60_000)
      const expired = await failure(
        plain(gh, first.token).request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
          owner: 'acme',
          repo: 'app'
        })
      )
      expect([expired.status, message(expired)]).toEqual([401, 'Bad credentials'])
      const res = await octokit.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', {
        owner: 'acme',
        repo: 'app'
      })
      expect(res.status).toBe(200)
      const { token } = (await octokit.auth({ type: 'installation' })) as { token: string }
      expect(token).not.toBe(first.token)
    } finally {
      jest.useRealTimers()
    }
  })
})
