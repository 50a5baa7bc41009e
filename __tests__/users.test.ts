import { describe, expect, it } from '@jest/globals'
import { checkUsers, type UserSpec } from '../src/users.js'

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
      'IAM user a is listed twice (m.yml:1:1) (m.yml:1:1)',
      "'iam-user-name' must be an IAM user name (1-64 of letters, digits and +=,.@_-), got 'bad name' (m.yml:8:1)",
      'IAM user empty has no target (m.yml:5:1)',
      "the two secret names of same must differ (GitHub secret names are case-insensitive), both are 'KEY' (m.yml:4:1)"
    ])
  })
})
