import { describe, expect, it } from '@jest/globals'
import { rateLimited, rateLimitWait, RateLimited } from '../src/github/errors.js'
import { cannotTell } from '../src/github/runs.js'
import { explain } from '../src/github/secrets.js'
import type { Target } from '../src/github/targets.js'
import { errorWords } from '../src/report/error.js'
import { wait } from '../src/report/github-reason.js'
import { runUnknownWords } from '../src/report/github-runs.js'

const NOW = 1_800_000_000_000
const REPO: Target = { kind: 'repository', owner: 'acme', repo: 'app' }
const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

/** GitHub's answer as Octokit raises it: message, status and the response's headers and body. */
const answer = (status: number, message: string, headers: Record<string, string> = {}): Error =>
  Object.assign(new Error(message), {
    status,
    response: { status, headers, data: { message } }
  })

describe('rateLimitWait', () => {
  it.each([
    ['403 secondary with retry-after', answer(403, SECONDARY, { 'retry-after': '90' }), 90_000],
    ['429 secondary with retry-after', answer(429, SECONDARY, { 'retry-after': '2' }), 2_000],
    [
      '403 primary: remaining 0, wait until the reset',
      answer(403, 'API rate limit exceeded for installation ID 1.', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000 + 300)
      }),
      300_000
    ],
    [
      'retry-after wins over the reset',
      answer(429, 'Too Many Requests', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000 + 300),
        'retry-after': '5'
      }),
      5_000
    ],
    ['a secondary limit with no header: a minute', answer(403, SECONDARY), 60_000],
    ['any 429', answer(429, 'Too Many Requests', { 'retry-after': '7' }), 7_000],
    [
      'a reset already past: a second, never none',
      answer(403, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000 - 10)
      }),
      1_000
    ],
    [
      'a reset under a second away: a second',
      answer(429, 'API rate limit exceeded', {
        'x-ratelimit-remaining': '0',
        'x-ratelimit-reset': String(NOW / 1000)
      }),
      1_000
    ],
    [
      'retry-after 0: a second, never none',
      answer(429, 'Too many requests', { 'retry-after': '0' }),
      1_000
    ]
  ])('%s', (_, error, ms) => {
    expect(rateLimitWait(error, NOW)).toBe(ms)
  })

  it.each([
    ['a missing permission', answer(403, 'Resource not accessible by integration')],
    [
      'a missing permission with quota left',
      answer(403, 'Resource not accessible by personal access token', {
        'x-ratelimit-remaining': '4999',
        'retry-after': '3'
      })
    ],
    ['bad credentials', answer(401, 'Bad credentials', { 'x-ratelimit-remaining': '0' })],
    ['a server error', answer(502, 'rate limit of the proxy')],
    ['a local error', Object.assign(new Error('secondary rate limit'), { status: 500 })]
  ])('is not a rate limit: %s', (_, error) => {
    expect(rateLimitWait(error, NOW)).toBeUndefined()
  })
})

describe('messages', () => {
  it('explain turns a rate limit into RateLimited saying it is not a permission problem', () => {
    const error = explain(answer(403, SECONDARY, { 'retry-after': '600' }), REPO, {
      doing: 'write',
      secret: 'AWS_ACCESS_KEY_ID'
    })
    expect(error).toBeInstanceOf(RateLimited)
    expect((error as RateLimited).waitMs).toBe(600_000)
    const message = errorWords(error)
    expect(message).toContain('rate-limited writing secret AWS_ACCESS_KEY_ID for acme/app')
    expect(message).toContain('10 min')
    expect(message).toContain('not a missing permission')
    expect(message).not.toMatch(/Give the token|Read and write/)
  })

  it('explain still names the permission for a plain 403', () => {
    const error = explain(answer(403, 'Resource not accessible by integration'), REPO, {
      doing: 'write',
      secret: 'X'
    })
    expect(error).not.toBeInstanceOf(RateLimited)
    expect(errorWords(error)).toContain("'Secrets: Read and write'")
  })

  it('explain keeps a RateLimited from minting a token, with where it happened', () => {
    const mint = { doing: { doing: 'mint', account: 'acme' } } as const
    const reason = { kind: 'answered', status: 429, message: 'Too many requests' } as const
    const minted = new RateLimited({ step: mint, reason }, 5_000)
    const error = explain(minted, REPO, { doing: 'public-key' })
    expect(error).toBeInstanceOf(RateLimited)
    expect((error as RateLimited).waitMs).toBe(5_000)
    const message = errorWords(error)
    expect(message).toMatch(/^GitHub rate-limited minting an installation token for acme \(429: /)
    expect(message).toMatch(/ \(while reading the secrets public key for acme\/app\)$/)
  })

  it('run reads tell a rate limit from a missing Actions permission', () => {
    const limited = runUnknownWords(
      cannotTell(answer(429, SECONDARY, { 'retry-after': '30' }), 'acme/ops', '7')
    )
    expect(limited).toContain('rate limit, not a missing permission')
    expect(limited).not.toContain('Actions: Read')
    const denied = runUnknownWords(
      cannotTell(answer(403, 'Resource not accessible by integration'), 'acme/ops', '7')
    )
    expect(denied).toContain("'Actions: Read'")
  })

  it('rateLimited is undefined for anything else', () => {
    expect(rateLimited(answer(404, 'Not Found'), { doing: { doing: 'runs' } })).toBeUndefined()
  })

  it.each([
    [2_000, '2 s'],
    [119_500, '2 min'],
    [3_900_000, '65 min'],
    [7_500_000, '2 h 5 min']
  ])('wait(%d) is %s', (ms, text) => {
    expect(wait(ms)).toBe(text)
  })
})
