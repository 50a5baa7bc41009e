import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { DEFAULTS, getInputs, Input, InputError, parseList } from '../src/inputs.js'
import { secretNameProblem } from '../src/users.js'

const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
})

/** Set inputs the way the runner does: `INPUT_` + the name upper-cased, hyphens kept. */
function setInputs(inputs: Record<string, string>): void {
  for (const key of Object.keys(process.env)) if (key.startsWith('INPUT_')) delete process.env[key]
  for (const [name, value] of Object.entries(inputs)) {
    process.env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value
  }
}

const valid = { 'iam-user-name': 'deploy', 'github-token': 'ghp_x', repositories: 'acme/app' }

function problems(inputs: Record<string, string>): string[] {
  setInputs(inputs)
  try {
    getInputs({})
  } catch (error) {
    if (error instanceof InputError) return error.problems
    throw error
  }
  return []
}

describe('getInputs', () => {
  it('applies the defaults of action.yml', () => {
    setInputs(valid)
    expect(getInputs({})).toEqual({
      users: [
        {
          userName: 'deploy',
          targets: [{ kind: 'repository', owner: 'acme', repo: 'app' }],
          secretNames: {
            accessKeyId: 'AWS_ACCESS_KEY_ID',
            secretAccessKey: 'AWS_SECRET_ACCESS_KEY'
          }
        }
      ],
      role: undefined,
      region: 'us-east-1',
      github: { token: 'ghp_x' },
      verifyTimeoutMs: 60_000,
      deleteOldKey: true,
      maxAgeDays: 0,
      force: false,
      gracePeriodDays: 0,
      dryRun: false
    })
  })

  it('keeps the same defaults as action.yml', () => {
    const action = parse(readFileSync('action.yml', 'utf8')) as {
      inputs: Record<string, { default?: string }>
    }
    const declared = Object.fromEntries(
      Object.entries(action.inputs)
        .filter(([, v]) => v.default !== undefined)
        .map(([k, v]) => [k, v.default])
    )
    expect(declared).toEqual(DEFAULTS)
    expect(Object.keys(action.inputs).sort()).toEqual(Object.values(Input).sort())
  })

  it('assumes a role when role-to-assume is set', () => {
    setInputs({ ...valid, 'role-to-assume': 'arn:aws:iam::123456789012:role/rotator' })
    expect(getInputs({}).role).toEqual({
      arn: 'arn:aws:iam::123456789012:role/rotator',
      audience: 'sts.amazonaws.com',
      sessionName: 'rotate-iam-key',
      durationSeconds: 900
    })
  })

  it('defaults the target to the current repository', () => {
    setInputs({ 'iam-user-name': 'deploy', 'github-token': 't' })
    expect(getInputs({ GITHUB_REPOSITORY: 'octo/site' }).users[0]?.targets).toEqual([
      { kind: 'repository', owner: 'octo', repo: 'site' }
    ])
  })

  it('splits repositories on commas and newlines and drops duplicates', () => {
    setInputs({ ...valid, repositories: 'a/one, b/two\n\nA/One\nc/three,' })
    expect(
      getInputs({}).users[0]?.targets.map((t) => ('repo' in t ? `${t.owner}/${t.repo}` : ''))
    ).toEqual(['a/one', 'b/two', 'c/three'])
  })

  it.each([
    [{ 'iam-user-name': '' }, "'iam-user-name' is required"],
    [{ 'iam-user-name': 'bad name!' }, "'iam-user-name' must be an IAM user name"],
    [{ 'aws-region': 'useast' }, "'aws-region' must look like 'us-east-1', got 'useast'"],
    [{ 'role-to-assume': 'rotator' }, "'role-to-assume' must be a role ARN"],
    [
      { 'role-to-assume': 'arn:aws:iam::123456789012:role/r', 'role-duration-seconds': '60' },
      "'role-duration-seconds' must be a whole number from 900 to 43200, got '60'"
    ],
    [
      { 'role-to-assume': 'arn:aws:iam::123456789012:role/r', 'role-session-name': 'a b' },
      "'role-session-name' must be 2-64"
    ],
    [{ 'github-token': '' }, 'GITHUB_TOKEN cannot write secrets'],
    [
      { repositories: 'just-a-name' },
      "'repositories' must look like 'owner/repo', got 'just-a-name'"
    ],
    [{ repositories: 'a/b/c' }, "got 'a/b/c'"],
    [{ 'access-key-id-secret-name': 'GITHUB_KEY' }, "must not start with 'GITHUB_'"],
    [{ 'secret-access-key-secret-name': '1KEY' }, 'must not start with a digit'],
    [{ 'access-key-id-secret-name': 'MY-KEY' }, 'only letters, digits and underscores'],
    [{ 'access-key-id-secret-name': 'aws_secret_access_key' }, 'must differ'],
    [{ 'verify-timeout-seconds': '0' }, "'verify-timeout-seconds' must be a whole number from 1"],
    [{ 'verify-timeout-seconds': '5s' }, "got '5s'"],
    [{ 'delete-old-key': 'yes' }, "'delete-old-key' must be 'true' or 'false', got 'yes'"]
  ])('rejects %j', (change, message) => {
    const found = problems({ ...valid, ...change })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(message)
  })

  it('reports every problem at once', () => {
    expect(problems({ 'aws-region': 'x', 'delete-old-key': 'maybe' })).toHaveLength(5)
  })

  it('never echoes the token in a problem', () => {
    const found = problems({ ...valid, 'github-token': 'ghp_secret', 'aws-region': 'x' })
    expect(found.join('\n')).not.toContain('ghp_secret')
  })
})

describe('secretNameProblem', () => {
  it.each([
    ['AWS_ACCESS_KEY_ID', undefined],
    ['deploy_key_2', undefined],
    ['_X', undefined],
    ['github_token', "must not start with 'GITHUB_' (GitHub reserves that prefix)"],
    ['2KEY', 'must not start with a digit'],
    ['A B', 'may contain only letters, digits and underscores'],
    ['', 'may contain only letters, digits and underscores']
  ])('%s', (name, problem) => {
    expect(secretNameProblem(name)).toBe(problem)
  })
})

describe('parseList', () => {
  it('splits and trims', () => {
    expect(parseList(' a ,b\n c\n,\n')).toEqual(['a', 'b', 'c'])
  })
})
