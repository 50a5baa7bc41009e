/**
 * GitHub's secondary limits on content creation in the GitHub emulator, on a clock 60 times
 * faster than GitHub's (a "minute" lasts a second, an "hour" a minute), through a real Octokit.
 */
import { afterEach, describe, expect, jest, test } from '@jest/globals'
import { throttling } from '@octokit/plugin-throttling'
import sodium from 'libsodium-wrappers'
import {
  startGitHubEmulator,
  type GitHubEmulator,
  type SecondaryLimits
} from '../../emulators/github/index.js'
import { Octokit } from './octokit.js'

const TOKEN = 'github_pat_limits_0123456789'
const OTHER = 'github_pat_limits_other_0123456789'

let gh: GitHubEmulator
afterEach(async () => {
  await gh.close()
})

async function start(limits: SecondaryLimits): Promise<void> {
  await sodium.ready
  gh = await startGitHubEmulator({ secondaryLimits: limits })
  gh.addRepository('acme/app')
  gh.addToken(TOKEN, { repositories: 'all', secrets: 'write' })
  gh.addToken(OTHER, { repositories: 'all', secrets: 'write' })
}

/** A PUT of a sealed secret; resolves to the status and headers of GitHub's answer. */
async function put(
  token = TOKEN
): Promise<{ status: number; headers: Record<string, unknown>; message?: string }> {
  const octokit = new Octokit({ baseUrl: gh.url, auth: token })
  const { data: key } = await octokit.request(
    'GET /repos/{owner}/{repo}/actions/secrets/public-key',
    { owner: 'acme', repo: 'app' }
  )
  const sealed = sodium.crypto_box_seal(
    sodium.from_string('value'),
    sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)
  )
  try {
    const res = await octokit.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
      owner: 'acme',
      repo: 'app',
      secret_name: 'X',
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id: key.key_id
    })
    return { status: res.status, headers: res.headers }
  } catch (error) {
    const e = error as {
      status: number
      response: { headers: Record<string, unknown>; data: { message: string } }
    }
    return { status: e.status, headers: e.response.headers, message: e.response.data.message }
  }
}

describe('content-creation limits', () => {
  test('refuses the request past the per-minute limit as GitHub does, until the minute has passed', async () => {
    await start({ perMinute: 3, perHour: 100, timeScale: 60 })
    const first = Date.now()
    for (let i = 0; i < 3; i++) expect((await put()).status).toBeLessThan(300)
    const refused = await put()
    expect(refused.status).toBe(403)
    expect(refused.message).toMatch(/^You have exceeded a secondary rate limit/)
    expect(refused.headers['retry-after']).toBe('1')
    const reset = Number(refused.headers['x-ratelimit-reset'])
    // when the first write leaves the one-second minute, in epoch seconds
    expect(reset).toBeGreaterThanOrEqual(Math.floor(first / 1000) + 1)
    expect(reset).toBeLessThanOrEqual(Math.ceil(first / 1000) + 2)
    // reads are not content creation, and another token has its own count
    expect((await put(OTHER)).status).toBeLessThan(300)
    await new Promise((r) => setTimeout(r, 1_050))
    expect((await put()).status).toBeLessThan(300)
  })

  test('counts the hour too: its retry-after is the rest of the (one-minute) hour', async () => {
    await start({ perMinute: 100, perHour: 2, timeScale: 60, status: 429 })
    expect((await put()).status).toBeLessThan(300)
    expect((await put()).status).toBeLessThan(300)
    const refused = await put()
    expect(refused.status).toBe(429)
    expect(refused.message).toContain('secondary rate limit')
    expect(Number(refused.headers['retry-after'])).toBeGreaterThanOrEqual(59)
    expect(Number(refused.headers['retry-after'])).toBeLessThanOrEqual(60)
    // a refused request is not counted: still refused, the wait no longer
    expect((await put()).status).toBe(429)
    const puts = gh.log.filter((e) => e.method === 'PUT').map((e) => e.status)
    expect(puts).toEqual([201, 204, 429, 429])
    expect(gh.log.filter((e) => e.method === 'GET').every((e) => e.status === 200)).toBe(true)
  })
})

describe('a plain 429', () => {
  const ROUTE = 'GET /repos/{owner}/{repo}/actions/secrets/public-key'

  test('an injected 429 with retry-after is not a secondary limit: plugin-throttling passes it on', async () => {
    await start({ perMinute: 100 })
    gh.inject({ route: ROUTE, status: 429, headers: { 'retry-after': '1' } })
    const onRateLimit = jest.fn(() => false)
    const onSecondaryRateLimit = jest.fn(() => false)
    const Throttled = Octokit.plugin(throttling)
    const octokit = new Throttled({
      baseUrl: gh.url,
      auth: TOKEN,
      throttle: { onRateLimit, onSecondaryRateLimit }
    })
    let caught: unknown
    try {
      await octokit.request(ROUTE, { owner: 'acme', repo: 'app' })
    } catch (error) {
      caught = error
    }
    const e = caught as {
      status: number
      message: string
      response: { headers: Record<string, unknown>; data: { message: string } }
    }
    expect(e.status).toBe(429)
    expect(e.response.headers['retry-after']).toBe('1')
    // neither of the two shapes plugin-throttling recognises: no "secondary rate" in the
    // message, no x-ratelimit-remaining of 0
    expect(e.response.data.message).not.toMatch(/secondary rate/i)
    expect(e.message).not.toMatch(/secondary rate/i)
    expect(e.response.headers['x-ratelimit-remaining']).not.toBe('0')
    expect(onRateLimit).not.toHaveBeenCalled()
    expect(onSecondaryRateLimit).not.toHaveBeenCalled()
    // one request, answered by the fault; the next is GitHub's own 200
    expect(gh.log.map((entry) => [entry.route, entry.status, entry.injected])).toEqual([
      [ROUTE, 429, true]
    ])
    expect((await octokit.request(ROUTE, { owner: 'acme', repo: 'app' })).status).toBe(200)
  })

  test('control: the same 429 that says "secondary rate limit" is recognised', async () => {
    await start({ perMinute: 100 })
    gh.inject({
      route: ROUTE,
      status: 429,
      headers: { 'retry-after': '1' },
      message: 'You have exceeded a secondary rate limit.'
    })
    const onRateLimit = jest.fn(() => false)
    const onSecondaryRateLimit = jest.fn(() => false)
    const octokit = new (Octokit.plugin(throttling))({
      baseUrl: gh.url,
      auth: TOKEN,
      throttle: { onRateLimit, onSecondaryRateLimit }
    })
    await expect(octokit.request(ROUTE, { owner: 'acme', repo: 'app' })).rejects.toMatchObject({
      status: 429
    })
    expect(onSecondaryRateLimit).toHaveBeenCalledTimes(1)
    expect(onRateLimit).not.toHaveBeenCalled()
  })
})

describe('concurrency from the log', () => {
  test('counts requests in flight at once, back to back ones apart', async () => {
    await start({ perMinute: 100 })
    gh.latencyMs = 100
    const octokit = new Octokit({ baseUrl: gh.url, auth: TOKEN })
    const read = () => octokit.request('GET /repos/{owner}/{repo}', { owner: 'acme', repo: 'app' })
    await Promise.all([read(), read(), read()])
    await read()
    expect(gh.peakConcurrency()).toBe(3)
    // Each answer waited out the latency (timers may fire a millisecond early on Date.now()'s clock).
    expect(gh.log.every((e) => e.end !== undefined && e.end >= e.time + 95)).toBe(true)
  })
})
