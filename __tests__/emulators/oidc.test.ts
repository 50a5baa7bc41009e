/**
 * The OIDC emulator driven by the real `@actions/core.getIDToken`, with tokens verified by jose
 * against the emulator's JWKS, as a relying party (AWS STS) would.
 */
import * as core from '@actions/core'
import { createRemoteJWKSet, decodeProtectedHeader, jwtVerify } from 'jose'
import { afterAll, afterEach, beforeAll, describe, expect, jest, test } from '@jest/globals'
import { startOidcEmulator, type OidcEmulator } from '../../emulators/oidc/index.js'

let oidc: OidcEmulator
const saved = { ...process.env }

beforeAll(async () => {
  oidc = await startOidcEmulator({ claims: { repository: 'acme/app' } })
  // getIDToken prints workflow commands (::debug::, ::add-mask::) meant for a runner, not for Jest.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

afterEach(() => {
  process.env.ACTIONS_ID_TOKEN_REQUEST_URL = saved.ACTIONS_ID_TOKEN_REQUEST_URL
  process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = saved.ACTIONS_ID_TOKEN_REQUEST_TOKEN
  if (saved.ACTIONS_ID_TOKEN_REQUEST_URL === undefined)
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_URL
  if (saved.ACTIONS_ID_TOKEN_REQUEST_TOKEN === undefined)
    delete process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN
})

afterAll(async () => {
  jest.restoreAllMocks()
  await oidc.close()
})

describe('OIDC emulator', () => {
  test('core.getIDToken returns an RS256 JWT that verifies against the JWKS', async () => {
    Object.assign(process.env, oidc.env)
    const jwt = await core.getIDToken('sts.amazonaws.com')
    const { payload, protectedHeader } = await jwtVerify(
      jwt,
      createRemoteJWKSet(new URL(oidc.jwksUrl)),
      {
        issuer: 'https://token.actions.githubusercontent.com',
        audience: 'sts.amazonaws.com',
        algorithms: ['RS256']
      }
    )
    expect(protectedHeader).toMatchObject({ alg: 'RS256', typ: 'JWT', kid: expect.any(String) })
    expect(payload).toMatchObject({
      sub: 'repo:acme/app:ref:refs/heads/main',
      repository: 'acme/app',
      repository_owner: 'acme',
      ref: 'refs/heads/main',
      ref_type: 'branch',
      runner_environment: 'github-hosted',
      job_workflow_ref: expect.stringMatching(
        /^acme\/app\/\.github\/workflows\/.+@refs\/heads\/main$/
      )
    })
    expect(payload.exp! - payload.iat!).toBe(300)
    expect(payload.iat! - payload.nbf!).toBe(600)
    expect(oidc.tokensIssued.at(-1)?.jti).toBe(payload.jti)
    const entry = oidc.log.filter((e) => e.route === 'GET /idtoken').at(-1)
    expect(entry).toMatchObject({ status: 200, principal: oidc.requestToken.slice(0, 6) })
  })

  test('without an audience the token is for the repository owner URL', async () => {
    const res = await fetch(oidc.requestUrl, {
      headers: { authorization: `Bearer ${oidc.requestToken}` }
    })
    const { value } = (await res.json()) as { value: string }
    const { payload } = await jwtVerify(value, createRemoteJWKSet(new URL(oidc.jwksUrl)))
    expect(payload.aud).toBe('https://github.com/acme')
  })

  test('a wrong or missing request token is refused with 401', async () => {
    process.env.ACTIONS_ID_TOKEN_REQUEST_URL = oidc.requestUrl
    process.env.ACTIONS_ID_TOKEN_REQUEST_TOKEN = 'wrong-token'
    await expect(core.getIDToken('sts.amazonaws.com')).rejects.toThrow(/401/)
    const res = await fetch(oidc.requestUrl)
    expect(res.status).toBe(401)
  })

  test('discovery document points at the JWKS', async () => {
    const res = await fetch(`${oidc.url}/.well-known/openid-configuration`)
    expect(await res.json()).toMatchObject({
      issuer: oidc.issuer,
      jwks_uri: oidc.jwksUrl,
      id_token_signing_alg_values_supported: ['RS256']
    })
  })

  test('issuer, claims and lifetime are configurable; environment shapes the subject', async () => {
    const custom = await startOidcEmulator({
      issuer: (url) => url,
      claims: { repository: 'octo/repo', environment: 'production' },
      lifetimeSeconds: 60
    })
    try {
      const res = await fetch(
        `${custom.requestUrl}&audience=${encodeURIComponent('sts.amazonaws.com')}`,
        {
          headers: { authorization: `bearer ${custom.requestToken}` }
        }
      )
      const { value } = (await res.json()) as { value: string }
      expect(decodeProtectedHeader(value).kid).toBeTruthy()
      const { payload } = await jwtVerify(value, createRemoteJWKSet(new URL(custom.jwksUrl)), {
        issuer: custom.url,
        audience: 'sts.amazonaws.com'
      })
      expect(payload.sub).toBe('repo:octo/repo:environment:production')
      expect(payload.exp! - payload.iat!).toBe(60)
    } finally {
      await custom.close()
    }
  })

  test('injected faults reach the client', async () => {
    Object.assign(process.env, oidc.env)
    oidc.inject({ route: 'GET /idtoken', status: 500 })
    await expect(core.getIDToken('sts.amazonaws.com')).rejects.toThrow(/500/)
  })
})
