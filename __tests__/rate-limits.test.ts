/**
 * GitHub's rate limits on the wire: a tiny GitHub (node:http) answers each route from a script
 * with GitHub's REST shapes, and the action's own client (`createClients`, token auth) sends to it.
 * Every rate limit is waited out as GitHub asks, at least a second and doubling, within the inline
 * limits; and while one request of the client waits, the others wait with it.
 */
import {
  afterAll,
  afterEach,
  beforeAll,
  beforeEach,
  describe,
  expect,
  it,
  jest
} from '@jest/globals'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import * as core from '@actions/core'
import { createClients, type GitHubClient } from '../src/github/client.js'
import type { LimitMet } from '../src/github/rate-limits.js'
import { limitMetWords } from '../src/report/github-rate-limit.js'
import { RateLimited, rateLimited } from '../src/github/errors.js'
import { backoff, type Clock } from '../src/github/rate-limits.js'

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'
const PUBLIC_KEY = 'GET /repos/acme/app/actions/secrets/public-key'
const SECRET = 'PUT /repos/acme/app/actions/secrets/AWS_ACCESS_KEY_ID'
const OTHER_KEY = 'GET /repos/acme/other/actions/secrets/public-key'

interface Reply {
  status: number
  message?: string
  headers?: Record<string, string>
}

/** GitHub's answer when nothing is scripted for a route. */
function success(route: string): { status: number; body?: unknown } {
  if (route.endsWith('/public-key'))
    return { status: 200, body: { key_id: '568250167242549743', key: 'a'.repeat(43) + '=' } }
  return { status: 201 }
}

let server: Server
let baseUrl: string
/** Scripted answers per route ("METHOD /path"), given in order before the route succeeds. */
let script = new Map<string, Reply[]>()
/** Every request received: its route, when, and the status answered. */
let log: { route: string; time: number; status: number }[] = []
/** Called when a scripted answer is sent. */
let onScripted: (route: string) => void = () => undefined

beforeAll(async () => {
  server = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      const route = `${req.method} ${req.url?.split('?')[0]}`
      const reply = script.get(route)?.shift()
      const answer = reply
        ? { status: reply.status, body: { message: reply.message } }
        : success(route)
      log.push({ route, time: Date.now(), status: answer.status })
      res.writeHead(answer.status, {
        'content-type': 'application/json; charset=utf-8',
        ...reply?.headers
      })
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body))
      if (reply) onScripted(route)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})

afterAll(async () => {
  await new Promise((resolve) => server.close(resolve))
})

/** What the action warned, on stdout as `::warning::`. */
let warnings: string[] = []

beforeEach(() => {
  script = new Map()
  log = []
  onScripted = () => undefined
  warnings = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
    const line = String(chunk)
    if (line.startsWith('::warning::')) warnings.push(line.trim())
    return true
  })
})

afterEach(() => {
  jest.restoreAllMocks()
})

/**
 * A clock that moves only when slept on, and whose sleeps return at once: the waits asked, without
 * waiting, and none shortened by the milliseconds the test itself takes.
 */
function fakeClock(): Clock & { sleeps: number[] } {
  let time = Date.now()
  const sleeps: number[] = []
  return {
    sleeps,
    now: () => time,
    sleep: (ms) => {
      sleeps.push(ms)
      time += ms
      return Promise.resolve()
    }
  }
}

/** The action's client for a token run. */
async function client(clock?: Clock): Promise<GitHubClient> {
  // Every limit met is warned as the entry (src/main.ts) warns it.
  const limitMet = (m: LimitMet): void => core.warning(limitMetWords(m))
  const clients = createClients({ auth: { token: 'ghs_unit' }, baseUrl, clock, limitMet }, [])
  return clients.forTarget({ kind: 'repository', owner: 'acme', repo: 'app' })
}

const readKey = (github: GitHubClient, repo = 'app') =>
  github.request('GET /repos/{owner}/{repo}/actions/secrets/public-key', { owner: 'acme', repo })
const writeSecret = (github: GitHubClient) =>
  github.request('PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}', {
    owner: 'acme',
    repo: 'app',
    secret_name: 'AWS_ACCESS_KEY_ID',
    encrypted_value: 'c2VhbGVk',
    key_id: '568250167242549743'
  })

const sent = (route: string) => log.filter((e) => e.route === route).map((e) => e.status)

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p
  } catch (e) {
    return e
  }
  throw new Error('expected the request to fail')
}

describe('any 429 honours retry-after', () => {
  it('a read answered "Too many requests" with Retry-After: 1 is sent again after 1 s', async () => {
    script.set(PUBLIC_KEY, [
      { status: 429, message: 'Too many requests', headers: { 'retry-after': '1' } }
    ])
    const clock = fakeClock()
    const { data } = await readKey(await client(clock))
    expect(data.key_id).toBe('568250167242549743')
    expect(sent(PUBLIC_KEY)).toEqual([429, 200])
    expect(clock.sleeps).toEqual([1_000])
    expect(warnings.join('\n')).toContain('retrying after 1 s')
  })

  it('a write answered 429 is sent again (a definite refusal: nothing was written)', async () => {
    script.set(SECRET, [
      { status: 429, message: 'Too many requests', headers: { 'retry-after': '3' } }
    ])
    const clock = fakeClock()
    const { status } = await writeSecret(await client(clock))
    expect(status).toBe(201)
    expect(sent(SECRET)).toEqual([429, 201])
    expect(clock.sleeps).toEqual([3_000])
  })

  it('a 403 that says primary limit, its reset already past, waits a second, not none', async () => {
    const past = String(Math.floor(Date.now() / 1000) - 10)
    script.set(PUBLIC_KEY, [
      {
        status: 403,
        message: 'API rate limit exceeded for installation ID 1.',
        headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': past }
      }
    ])
    const clock = fakeClock()
    await readKey(await client(clock))
    expect(sent(PUBLIC_KEY)).toEqual([403, 200])
    expect(clock.sleeps).toEqual([1_000])
  })

  it('a 403 that is a missing permission is not retried', async () => {
    script.set(PUBLIC_KEY, [{ status: 403, message: 'Resource not accessible by integration' }])
    const clock = fakeClock()
    const error = await rejection(readKey(await client(clock)))
    expect((error as { status: number }).status).toBe(403)
    expect(sent(PUBLIC_KEY)).toEqual([403])
    expect(clock.sleeps).toEqual([])
  })
})

describe('a zero wait is at least a second and grows', () => {
  it('retry-after 0 every time: 1, 2, 4 and 8 s, then RateLimited asking for a second', async () => {
    const zero: Reply = {
      status: 429,
      message: 'Too many requests',
      headers: { 'retry-after': '0' }
    }
    script.set(
      PUBLIC_KEY,
      Array.from({ length: 5 }, () => zero)
    )
    const clock = fakeClock()
    const error = await rejection(readKey(await client(clock)))
    expect(sent(PUBLIC_KEY)).toEqual([429, 429, 429, 429, 429])
    expect(clock.sleeps).toEqual([1_000, 2_000, 4_000, 8_000])
    const limited = rateLimited(error, { doing: { doing: 'public-key' } })
    expect(limited).toBeInstanceOf(RateLimited)
    expect(limited?.waitMs).toBe(1_000)
    expect(warnings.at(-1)).toContain('not waiting 1 s here')
  })

  it('a secondary limit with retry-after 0 waits a second, not plugin-throttling`s 60 s', async () => {
    script.set(PUBLIC_KEY, [{ status: 403, message: SECONDARY, headers: { 'retry-after': '0' } }])
    const clock = fakeClock()
    await readKey(await client(clock))
    expect(sent(PUBLIC_KEY)).toEqual([403, 200])
    expect(clock.sleeps).toEqual([1_000])
  }, 10_000)

  it('a wait beyond the inline limit is not sat out: RateLimited with the wait', async () => {
    script.set(PUBLIC_KEY, [{ status: 429, message: SECONDARY, headers: { 'retry-after': '120' } }])
    const clock = fakeClock()
    const error = await rejection(readKey(await client(clock)))
    expect(sent(PUBLIC_KEY)).toEqual([429])
    expect(clock.sleeps).toEqual([])
    expect(rateLimited(error, { doing: { doing: 'public-key' } })?.waitMs).toBe(120_000)
  })

  it.each([
    [0, 0, 1_000],
    [0, 1, 2_000],
    [0, 3, 8_000],
    [0, 9, 60_000],
    [5_000, 0, 5_000],
    [5_000, 3, 8_000],
    [30_000, 9, 60_000]
  ])('backoff(asked %d ms, limit %d in a row) is %d ms', (asked, count, ms) => {
    expect(backoff(asked, count, 60_000)).toBe(ms)
  })
})

describe('one pause for the whole client', () => {
  it('a request started while another waits out a secondary limit is sent after the wait', async () => {
    script.set(PUBLIC_KEY, [{ status: 403, message: SECONDARY, headers: { 'retry-after': '1' } }])
    const github = await client() // the real clock: this test waits a second
    const limited = new Promise<void>((resolve) => (onScripted = () => resolve()))
    const first = readKey(github)
    await limited
    await new Promise((resolve) => setTimeout(resolve, 100)) // the client has read the answer
    const second = readKey(github, 'other')
    await Promise.all([first, second])

    const refused = log.find((e) => e.status === 403)!
    const other = log.find((e) => e.route === OTHER_KEY)!
    const again = log.filter((e) => e.route === PUBLIC_KEY)[1]!
    expect(other.time - refused.time).toBeGreaterThanOrEqual(950)
    expect(again.time - refused.time).toBeGreaterThanOrEqual(950)
    expect(sent(OTHER_KEY)).toEqual([200])
  })

  it('with a clock that stands still: the other request sleeps out the same pause', async () => {
    script.set(PUBLIC_KEY, [
      { status: 429, message: 'Too many requests', headers: { 'retry-after': '30' } }
    ])
    let release: () => void = () => undefined
    const slept = new Promise<void>((resolve) => (release = resolve))
    // Without a shared pause the other request never sleeps: give up holding after a second.
    const giveUp = setTimeout(() => release(), 1_000)
    let time = Date.now()
    const sleeps: number[] = []
    const clock: Clock = {
      now: () => time,
      // The limited request sleeps until the other one has slept: both wait within the pause.
      sleep: async (ms) => {
        sleeps.push(ms)
        if (sleeps.length === 1) await slept
        else release()
        time += ms
      }
    }
    const github = await client(clock)
    const limited = new Promise<void>((resolve) => (onScripted = () => resolve()))
    const first = readKey(github)
    await limited
    await new Promise((resolve) => setTimeout(resolve, 100))
    await Promise.all([first, readKey(github, 'other')])
    clearTimeout(giveUp)
    // the other request, started while the clock stood still, waited the whole pause before it was sent
    expect(sleeps).toEqual([30_000, 30_000])
    expect(sent(OTHER_KEY)).toEqual([200])
  })
})

describe('server errors', () => {
  it('each request counts its own retries: one retried request does not lengthen the next one’s waits', async () => {
    const github = await client()
    script.set(PUBLIC_KEY, [{ status: 502 }, { status: 502 }])
    await readKey(github)
    script.set(SECRET, [{ status: 502 }])
    const from = Date.now()
    await writeSecret(github)
    // plugin-retry waits (retries + 1)² s: 1 s for the write's first retry, not 3² = 9 s.
    expect(Date.now() - from).toBeLessThan(3000)
    expect(sent(SECRET)).toEqual([502, 201])
  }, 20_000)
})
