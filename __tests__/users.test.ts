import { describe, expect, it } from '@jest/globals'
import { checkUsers as checkFacts, type UserSpec } from '../src/inputs/users.js'
import { userWords } from '../src/report/input-users.js'

/** The problems across users, as a person reads them. */
const checkUsers = (users: UserSpec[]): string[] => checkFacts(users).map(userWords)

const names = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY' }
const user = (userName: string, repo = 'acme/app', secretNames = names): UserSpec => ({
  userName,
  targets: [{ kind: 'repository', owner: 'acme', repo: repo.split('/')[1] ?? '' }],
  secretNames,
  source: `m.yml:${userName.length}:1`
})

describe('checkUsers', () => {
  it('accepts users that write different places or different names', () => {
    expect(
      checkUsers([
        user('a'),
        user('b', 'acme/api'),
        user('c', 'acme/app', { accessKeyId: 'C_ID', secretAccessKey: 'C_SECRET' })
      ])
    ).toEqual([])
  })

  it('refuses two users writing the same secret of the same scope', () => {
    const problems = checkUsers([user('a'), user('bb')])
    expect(problems).toHaveLength(2)
    expect(problems[0]).toBe(
      'a (m.yml:1:1) and bb (m.yml:2:1) would both write secret AWS_ACCESS_KEY_ID in acme/app: give one of them other secret names'
    )
  })

  it('refuses a user listed twice, a bad name, no target and equal secret names', () => {
    const problems = checkUsers([
      user('a', 'acme/one'),
      user('a', 'acme/two'),
      user('bad name', 'acme/three'),
      { ...user('empty'), targets: [] },
      user('same', 'acme/four', { accessKeyId: 'KEY', secretAccessKey: 'key' })
    ])
    expect(problems).toEqual([
      'IAM user a is listed twice (m.yml:1:1) (m.yml:1:1): list it once, with every target',
      "'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got 'bad name' (m.yml:8:1)",
      'IAM user empty has no target (m.yml:5:1)',
      "the two secret names of same must differ (GitHub secret names are case-insensitive), both are 'KEY' (m.yml:4:1)"
    ])
  })

  it.each([
    ['deploy', 'DEPLOY'],
    ['Deploy', 'deploy'],
    ['ci@acme', 'CI@Acme']
  ])('refuses %s and %s, one IAM user listed twice', (first, second) => {
    expect(checkUsers([user(first, 'acme/one'), user(second, 'acme/two')])).toEqual([
      `IAM user ${second} is listed twice (as ${first}: IAM user names are case-insensitive, so both are one user) (m.yml:${first.length}:1) (m.yml:${second.length}:1): list it once, with every target`
    ])
  })

  it.each([
    ['a\n::error::injected', "'a\\n::error::injected'"],
    ['tab\there', "'tab\\there'"],
    ['x'.repeat(200), `'${'x'.repeat(120)}…' (200 characters)`]
  ])('quotes a bad name on one line: %j', (name, shown) => {
    const problems = checkUsers([
      { ...user(name), targets: [] },
      user(name.toUpperCase(), 'acme/b')
    ])
    for (const problem of problems) expect(problem).not.toMatch(/[\n\r\t]/)
    expect(problems[0]).toBe(
      `'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got ${shown} (m.yml:${name.length}:1)`
    )
    expect(problems.join('\n')).toContain(`IAM user ${shown} has no target`)
  })
})
