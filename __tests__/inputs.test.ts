import { afterEach, describe, expect, it, jest } from '@jest/globals'
import { generateKeyPairSync } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { parse } from 'yaml'
import { DEFAULTS, getInputs, Input, InputError, parseList } from '../src/inputs/inputs.js'
import { parseManifest } from '../src/inputs/manifest.js'
import type { SecretNames } from '../src/rotation/job.js'
import { secretNameProblem } from '../src/inputs/users.js'
import { inputWords, problemWords } from '../src/report/inputs.js'
import { secretNameWords } from '../src/report/input-faults.js'

const saved = { ...process.env }
afterEach(() => {
  process.env = { ...saved }
  jest.restoreAllMocks()
})

/** Read the inputs, returning what the action asked the runner to mask and the problems found. */
function masked(inputs: Record<string, string>): { masks: string[]; problems: string[] } {
  const masks: string[] = []
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    const mask = /^::add-mask::(.*)$/m.exec(String(chunk))
    if (mask) masks.push(mask[1] ?? '')
    return true
  })
  return { masks, problems: problems(inputs) }
}

const APP_KEY = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({
  type: 'pkcs1',
  format: 'pem'
}) as string

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
    if (error instanceof InputError) return error.problems.map(problemWords)
    throw error
  }
  return []
}

/** What a person reads of the error `read` throws. */
function wordsOf(read: () => unknown): string {
  try {
    read()
  } catch (error) {
    return inputWords(error)
  }
  throw new Error('nothing thrown')
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
      dryRun: false,
      inFlightRuns: 'wait',
      drainTimeoutMs: 600_000,
      drainCapMs: 35 * 86_400_000
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

  it('words one problem after its header, and says nothing was changed', () => {
    setInputs({ ...valid, 'delete-old-key': 'maybe' })
    const error = ((): unknown => {
      try {
        return getInputs({})
      } catch (e) {
        return e
      }
    })()
    expect(error).toBeInstanceOf(InputError)
    expect((error as InputError).message).toBe('invalid inputs')
    expect(inputWords(error)).toBe(
      [
        "Invalid input: 'delete-old-key' must be 'true' or 'false', got 'maybe'",
        'Nothing was changed: the inputs are checked before any request. Correct them in the workflow (or the manifest), then run it again.'
      ].join('\n')
    )
  })

  it('lists several problems in the order found, each on its own line', () => {
    setInputs({ ...valid, 'aws-region': 'x', 'delete-old-key': 'maybe' })
    expect(wordsOf(() => getInputs({}))).toBe(
      [
        'Invalid inputs:',
        "  - 'aws-region' must look like 'us-east-1', got 'x'",
        "  - 'delete-old-key' must be 'true' or 'false', got 'maybe'",
        'Nothing was changed: the inputs are checked before any request. Correct them in the workflow (or the manifest), then run it again.'
      ].join('\n')
    )
  })

  it('never echoes the token in a problem', () => {
    const found = problems({ ...valid, 'github-token': 'ghp_secret', 'aws-region': 'x' })
    expect(found.join('\n')).not.toContain('ghp_secret')
  })
})

describe('credentials', () => {
  it('masks the token before anything is checked', () => {
    const { masks, problems: found } = masked({
      ...valid,
      'github-token': 'ghp_tokenvalue',
      'aws-region': 'x'
    })
    expect(masks).toEqual(['ghp_tokenvalue'])
    expect(found).toHaveLength(1)
  })

  it('masks the App private key line by line, as a runner masks', () => {
    const { 'github-token': _t, ...rest } = valid
    const { masks, problems: found } = masked({
      ...rest,
      'app-id': '123',
      'app-private-key': APP_KEY
    })
    expect(found).toEqual([])
    const lines = APP_KEY.split('\n').filter((l) => l.trim())
    expect(lines.length).toBeGreaterThan(3)
    for (const line of lines) expect(masks).toContain(line)
  })

  it.each([
    ['a line break', 'ghp_first\nghp_second'],
    ['a carriage return', 'ghp_first\rghp_second'],
    ['a space', 'ghp_first ghp_second'],
    ['a tab', 'ghp_first\tghp_second'],
    ['a NUL', 'ghp_first\u0000ghp_second'],
    ['an escape', 'ghp_first\u001b[2Jghp_second'],
    ['a letter no header can carry', 'ghp_firstéghp_second']
  ])('refuses a token with %s, masked and never shown', (_, token) => {
    const { masks, problems: found } = masked({ ...valid, 'github-token': token })
    expect(found).toEqual([
      "'github-token' must be the token alone: visible ASCII characters, with no spaces, line breaks or control characters (the value is not shown). Store the token again, exactly as GitHub showed it, in the secret the workflow passes"
    ])
    expect(masks).toContain(token.includes('\n') || token.includes('\r') ? 'ghp_first' : token)
    expect(found.join()).not.toContain('ghp_first')
  })

  it.each([
    [
      'no PEM header',
      'secretmaterial',
      "'app-private-key' must be the App's private key in PEM form"
    ],
    [
      'a body that is not a key',
      '-----BEGIN RSA PRIVATE KEY-----\nc2VjcmV0bWF0ZXJpYWw=\n-----END RSA PRIVATE KEY-----',
      "'app-private-key' does not parse as a private key"
    ],
    [
      'a key cut short',
      APP_KEY.split('\n').slice(0, 8).join('\n') + '\n-----END RSA PRIVATE KEY-----',
      "'app-private-key' does not parse as a private key"
    ]
  ])('refuses a private key with %s, without quoting it', (_, key, message) => {
    const { 'github-token': _t, ...rest } = valid
    const { masks, problems: found } = masked({ ...rest, 'app-id': '123', 'app-private-key': key })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(message)
    for (const line of key.split('\n').filter((l) => !l.startsWith('-----'))) {
      expect(masks).toContain(line)
      expect(found[0]).not.toContain(line)
    }
  })
})

describe('role ARN and region', () => {
  it.each([
    ['arn:aws:iam::123456789012:role/r', 'us-east-1'],
    ['arn:aws:iam::123456789012:role/r', 'eu-central-2'],
    ['arn:aws-cn:iam::123456789012:role/r', 'cn-north-1'],
    ['arn:aws-us-gov:iam::123456789012:role/r', 'us-gov-west-1'],
    ['arn:aws-iso:iam::123456789012:role/r', 'us-iso-east-1'],
    ['arn:aws-iso-b:iam::123456789012:role/r', 'us-isob-east-1'],
    ['arn:aws-eusc:iam::123456789012:role/r', 'eusc-de-east-1'],
    // A region no pattern knows yet is let through: AWS itself has the last word.
    ['arn:aws:iam::123456789012:role/r', 'zz-newplace-1']
  ])('accepts %s in %s', (arn, region) => {
    expect(problems({ ...valid, 'role-to-assume': arn, 'aws-region': region })).toEqual([])
  })

  it.each([
    ['arn:aws-cn:iam::123456789012:role/r', 'us-east-1', 'aws-cn', 'aws', 'cn-north-1'],
    ['arn:aws:iam::123456789012:role/r', 'cn-north-1', 'aws', 'aws-cn', 'us-east-1'],
    ['arn:aws:iam::123456789012:role/r', 'us-gov-west-1', 'aws', 'aws-us-gov', 'us-east-1'],
    ['arn:aws-us-gov:iam::123456789012:role/r', 'us-east-1', 'aws-us-gov', 'aws', 'us-gov-west-1'],
    [
      'arn:aws-iso:iam::123456789012:role/r',
      'us-isob-east-1',
      'aws-iso',
      'aws-iso-b',
      'us-iso-east-1'
    ]
  ])('refuses %s in %s', (arn, region, partition, regional, example) => {
    expect(problems({ ...valid, 'role-to-assume': arn, 'aws-region': region })).toEqual([
      `'role-to-assume' is a role of partition ${partition}, but 'aws-region' '${region}' is in partition ${regional}: set 'aws-region' to a region of ${partition} (e.g. '${example}'), or assume a role of ${regional}`
    ])
  })

  it('refuses a partition AWS does not have', () => {
    expect(
      problems({ ...valid, 'role-to-assume': 'arn:aws-moon:iam::123456789012:role/r' })[0]
    ).toContain(
      "'role-to-assume' must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key' (partition aws, aws-cn"
    )
  })
})

describe('organization settings', () => {
  it.each([
    [{ 'organization-secret-visibility': 'all' }],
    [{ 'organization-secret-visibility': 'selected', 'organization-selected-repositories': 'app' }]
  ])('refuses %j with no organization target', (change) => {
    expect(problems({ ...valid, ...change })).toEqual([
      "'organization-secret-visibility' applies to organization secrets only, and no organization is listed: add one to 'organizations' or 'dependabot-organizations', or leave this empty"
    ])
  })
})

describe('a visibility per organization target', () => {
  it('reads one per entry, and the old inputs as the default of the rest', () => {
    setInputs({
      ...valid,
      repositories: '',
      organizations: 'acme:all, beta',
      'dependabot-organizations': 'acme:selected=app+api\nbeta:private',
      'organization-secret-visibility': 'selected',
      'organization-selected-repositories': 'web'
    })
    expect(getInputs({}).users[0]?.targets).toEqual([
      { kind: 'organization', org: 'acme', visibility: 'all' },
      { kind: 'organization', org: 'beta', visibility: 'selected', selectedRepositories: ['web'] },
      {
        kind: 'dependabot-organization',
        org: 'acme',
        visibility: 'selected',
        selectedRepositories: ['app', 'api']
      },
      { kind: 'dependabot-organization', org: 'beta', visibility: 'private' }
    ])
  })

  it.each([
    [
      { organizations: 'acme:selected' },
      "'organizations' must name the repositories that may use the secret, as in 'acme:selected=app+api' (names without the owner, joined by '+'), got 'acme:selected'"
    ],
    [
      { 'dependabot-organizations': 'acme:everyone' },
      "'dependabot-organizations' must look like 'org', 'org:all', 'org:private' or 'org:selected=repo+repo' (after ':' comes the visibility: all, private, selected), got 'acme:everyone'"
    ],
    [
      { organizations: 'acme:all', 'organization-secret-visibility': 'private' },
      "'organization-secret-visibility' applies to organization entries that set no visibility of their own, and every entry sets one (as 'org:all', 'org:private' or 'org:selected=repo+repo'): leave this empty, or list an organization without ':'"
    ]
  ])('refuses %j', (change, problem) => {
    expect(problems({ ...valid, repositories: '', ...change })).toEqual([problem])
  })
})

describe('quoting', () => {
  it.each([
    [{ 'aws-region': 'us-east-1\n::error::injected' }, "got 'us-east-1\\n::error::injected'"],
    [{ repositories: 'acme/app:x' }, "got 'acme/app:x'"],
    [{ 'delete-old-key': 'no\u0007' }, "got 'no\\u0007'"],
    [{ 'app-id': 'x\ny', 'github-token': '', 'app-private-key': APP_KEY }, "got 'x\\ny'"]
  ])('quotes %j on one printable line', (change, shown) => {
    const found = problems({ ...valid, ...change })
    expect(found).toHaveLength(1)
    expect(found[0]).toContain(shown)
    expect(found[0]).not.toMatch(/[\p{C}]/u)
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
    const rule = secretNameProblem(name)
    expect(rule && secretNameWords(rule)).toBe(problem)
  })
})

describe('parseList', () => {
  it('splits and trims', () => {
    expect(parseList(' a ,b\n c\n,\n')).toEqual(['a', 'b', 'c'])
  })
})

describe('many accounts', () => {
  const manifest = (text: string) => (_path: string, _workspace: string, names: SecretNames) =>
    parseManifest(text, 'rotation.yml', names)
  const fleet = { manifest: 'rotation.yml', 'github-token': 'ghp_x' }

  it("assumes a manifest user's own role the way the input's is, the input's staying the default", () => {
    setInputs({ ...fleet, 'role-to-assume': 'arn:aws:iam::111111111111:role/r', audience: 'aud' })
    const inputs = getInputs(
      {},
      manifest(`users:
  - iam-user-name: a
    repositories: acme/a
  - iam-user-name: b
    repositories: acme/b
    role-to-assume: arn:aws:iam::222222222222:role/r
`)
    )
    expect(inputs.role?.arn).toBe('arn:aws:iam::111111111111:role/r')
    expect(inputs.assume).toEqual({
      audience: 'aud',
      sessionName: 'rotate-iam-key',
      durationSeconds: 900
    })
    expect(inputs.users.map((u) => u.account)).toEqual([
      undefined,
      { roleArn: 'arn:aws:iam::222222222222:role/r' }
    ])
  })

  it('needs no role input when the manifest names the roles, and checks how they are assumed', () => {
    setInputs({ ...fleet, 'role-session-name': 'x' })
    const found = ((): string[] => {
      try {
        getInputs(
          {},
          manifest(`users:
  - iam-user-name: a
    repositories: acme/a
    role-to-assume: arn:aws:iam::222222222222:role/r
`)
        )
      } catch (error) {
        return (error as InputError).problems.map(problemWords)
      }
      return []
    })()
    expect(found).toEqual([
      "'role-session-name' must be 2-64 of letters, digits and +=,.@_-, got 'x'"
    ])
  })

  it("refuses a user's role and region from two partitions, where the user is declared", () => {
    setInputs({
      ...fleet,
      'role-to-assume': 'arn:aws-cn:iam::111111111111:role/r',
      'aws-region': 'cn-north-1'
    })
    let found: string[] = []
    try {
      getInputs(
        {},
        manifest(`users:
  - iam-user-name: a
    repositories: acme/a
  - iam-user-name: b
    repositories: acme/b
    aws-region: us-east-1
`)
      )
    } catch (error) {
      found = (error as InputError).problems.map(problemWords)
    }
    expect(found).toEqual([
      "rotation.yml:4:5: 'role-to-assume' is a role of partition aws-cn, but 'aws-region' 'us-east-1' is in partition aws: set 'aws-region' to a region of aws-cn (e.g. 'cn-north-1'), or assume a role of aws"
    ])
  })
})

describe('failure-issues', () => {
  const on = { ...valid, 'failure-issues': 'true' }
  const env = { GITHUB_REPOSITORY: 'acme/ops' }
  const read = (inputs: Record<string, string>): ReturnType<typeof getInputs> => {
    setInputs(inputs)
    return getInputs(env)
  }

  it('is off by default, and then needs no token', () => {
    expect(read(valid).failureIssues).toBeUndefined()
  })

  it('takes the issues token and the label, apart from github-token', () => {
    expect(read({ ...on, 'issues-token': 'ghs_issues' }).failureIssues).toEqual({
      token: 'ghs_issues',
      label: 'rotate-iam-key'
    })
    expect(
      read({ ...on, 'issues-token': 'ghs_issues', 'failure-issue-label': 'iam' }).failureIssues
        ?.label
    ).toBe('iam')
  })

  it('refuses a missing token, saying which token to pass and the permission', () => {
    setInputs(on)
    expect(wordsOf(() => getInputs(env))).toContain(
      "'issues-token' is required with 'failure-issues: true': pass the workflow's own token ('issues-token: ${{ github.token }}') and grant the job 'permissions: issues: write'"
    )
  })

  it('refuses a label GitHub could not filter by, and a token that is not one', () => {
    setInputs({ ...on, 'issues-token': 'ghs_a b', 'failure-issue-label': 'a,b' })
    let found: string[] = []
    try {
      getInputs(env)
    } catch (error) {
      found = (error as InputError).problems.map(problemWords)
    }
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/^'issues-token' must be the token alone/)
    expect(found[0]).not.toContain('ghs_a b')
    expect(found[1]).toMatch(/^'failure-issue-label' must be a label name .* without commas/)
  })

  it('masks the issues token before anything is checked', () => {
    const { masks } = masked({ ...on, 'issues-token': 'ghs_issuesTokenValue' })
    expect(masks).toContain('ghs_issuesTokenValue')
  })
})
