import { describe, expect, it } from '@jest/globals'
import {
  budget,
  GITHUB_WRITE_LIMITS,
  leastSeconds,
  SECONDS_BETWEEN_WRITES,
  WRITES_PER_HOUR,
  WRITES_PER_MINUTE,
  WRITES_PER_TARGET,
  WriteBudget
} from '../src/budget.js'
import { budgetWords, duration, identityWords } from '../src/report/budget.js'
import type { Target } from '../src/github/targets.js'

/** `n` repositories of `owner`, as one user's targets. */
const repos = (n: number, owner = 'acme'): Target[] =>
  Array.from({ length: n }, (_, i) => ({ kind: 'repository', owner, repo: `r${i}` }))
const user = (targets: Target[]) => ({ targets })

describe("GitHub's limits", () => {
  it('are the documented ones', () => {
    expect([WRITES_PER_MINUTE, WRITES_PER_HOUR, SECONDS_BETWEEN_WRITES, WRITES_PER_TARGET]).toEqual(
      [80, 500, 1, 2]
    )
  })
})

describe('leastSeconds', () => {
  it.each([
    // One second apart: the spacing alone bounds a run below an hour's budget.
    [0, GITHUB_WRITE_LIMITS, 0],
    [1, GITHUB_WRITE_LIMITS, 0],
    [2, GITHUB_WRITE_LIMITS, 1],
    [100, GITHUB_WRITE_LIMITS, 99],
    [500, GITHUB_WRITE_LIMITS, 499],
    // The 501st write waits for the first to leave the hour.
    [501, GITHUB_WRITE_LIMITS, 3600],
    [502, GITHUB_WRITE_LIMITS, 3601],
    // 1,000 repositories × 2 secrets: four hours' budgets, the last started after 3 h 8 min 19 s.
    [2000, GITHUB_WRITE_LIMITS, 3 * 3600 + 499],
    // Without the spacing, 80 a minute binds.
    [80, { ...GITHUB_WRITE_LIMITS, spacingSeconds: 0 }, 0],
    [81, { ...GITHUB_WRITE_LIMITS, spacingSeconds: 0 }, 60],
    [161, { ...GITHUB_WRITE_LIMITS, spacingSeconds: 0 }, 120],
    [500, { ...GITHUB_WRITE_LIMITS, spacingSeconds: 0 }, 360],
    [501, { ...GITHUB_WRITE_LIMITS, spacingSeconds: 0 }, 3600]
  ])('%i writes with %j: %i s', (writes, limits, seconds) => {
    expect(leastSeconds(writes, limits)).toBe(seconds)
  })
})

describe('budget', () => {
  it.each([
    ['no target', [], 'token', []],
    ['one repository', [user(repos(1))], 'token', [['the token', 2, 1]]],
    [
      'a fleet that fits: 20 users across 50 repositories',
      Array.from({ length: 20 }, (_, u) => user(repos(50).filter((_, r) => r % 20 === u))),
      'token',
      [['the token', 100, 99]]
    ],
    ['250 repositories, exactly an hour', [user(repos(250))], 'token', [['the token', 500, 499]]],
    [
      'an App: one identity per account, compared case-insensitively',
      [user([...repos(200, 'acme'), ...repos(200, 'octo')]), user(repos(50, 'ACME'))],
      'app',
      [
        ["the GitHub App's installation on acme", 500, 499],
        ["the GitHub App's installation on octo", 400, 399]
      ]
    ],
    [
      'an organization target counts for its organization',
      [user([{ kind: 'organization', org: 'Acme' }, ...repos(1, 'octo')])],
      'app',
      [
        ["the GitHub App's installation on acme", 2, 1],
        ["the GitHub App's installation on octo", 2, 1]
      ]
    ]
  ] as const)('fits: %s', (_, users, auth, identities) => {
    const verdict = budget(users as unknown as { targets: Target[] }[], auth)
    expect(verdict.fits).toBe(true)
    expect(
      verdict.identities.map((i) => [identityWords(i.identity), i.writes, i.leastSeconds])
    ).toEqual(identities)
  })

  it.each([
    [
      '251 repositories × 2 = 502 writes',
      [user(repos(251))],
      'token',
      ['502 secret writes as the token (at least 1 h 1 s)']
    ],
    [
      'two users whose writes add up on one token',
      [user(repos(200)), user(repos(51, 'octo'))],
      'token',
      ['502 secret writes as the token']
    ],
    [
      'an App installation over, the other under',
      [user([...repos(251, 'acme'), ...repos(10, 'octo')])],
      'app',
      ["502 secret writes as the GitHub App's installation on acme (at least 1 h 1 s)"]
    ],
    [
      '1,000 repositories',
      [user(repos(1000))],
      'token',
      ['2000 secret writes as the token (at least 3 h 8 min 19 s)']
    ]
  ] as const)('refuses %s', (_, users, auth, parts) => {
    const verdict = budget(users as unknown as { targets: Target[] }[], auth)
    expect(verdict.fits).toBe(false)
    const message = verdict.fits ? '' : budgetWords(verdict.refusal)
    for (const part of [
      ...parts,
      'more than the 500 writes GitHub allows one identity in an hour',
      'organization secrets',
      "'max-age-days'",
      'its own GitHub App',
      'Nothing was changed.'
    ])
      expect(message).toContain(part)
    expect(message).not.toContain('octo')
  })

  it('splitting across Apps fits what one token cannot', () => {
    const fleet = [user([...repos(200, 'acme'), ...repos(200, 'octo')])]
    expect(budget(fleet, 'token').fits).toBe(false)
    expect(budget(fleet, 'app').fits).toBe(true)
  })
})

describe('WriteBudget', () => {
  const key = '-----BEGIN RSA PRIVATE KEY-----\n…\n-----END RSA PRIVATE KEY-----'
  const token = { token: 'ghp_x' }
  const app = { appId: '1', privateKey: key }
  it.each([
    ['250 repositories, a token', [repos(250)], token, [false]],
    ['251 repositories, a token', [repos(251)], token, [true]],
    ['150 + 150 in two accounts, an App', [[...repos(150), ...repos(150, 'octo')]], app, [false]],
    ['150 + 150 in two accounts, a token', [[...repos(150), ...repos(150, 'octo')]], token, [true]],
    // Taken user by user: a user that would pass the hour is refused, later smaller ones still fit.
    [
      'users of 200, 100, 100 and 10 repositories',
      [repos(200), repos(100), repos(100), repos(10)],
      token,
      [false, true, true, false]
    ]
  ] as const)('%s', (_name, users, auth, refused) => {
    const run = new WriteBudget(auth)
    expect(users.map((targets) => run.take([...targets]) !== undefined)).toEqual(refused)
  })
})

describe('duration', () => {
  it.each([
    [0, '0 s'],
    [59, '59 s'],
    [99, '1 min 39 s'],
    [3600, '1 h'],
    [3601, '1 h 1 s'],
    [11299, '3 h 8 min 19 s']
  ])('%i s: %s', (seconds, shown) => {
    expect(duration(seconds)).toBe(shown)
  })
})
