import { describe, expect, it } from '@jest/globals'
import { parseTargetSpec as parseFacts, type TargetSpec } from '../src/inputs/target-spec.js'
import { targetWords } from '../src/report/input-targets.js'
import {
  endpoints,
  scopeKey,
  describe as describeTarget,
  type Target
} from '../src/github/targets.js'

/** The targets, and each problem with its field and the words a person reads after it. */
const parseTargetSpec = (spec: TargetSpec) => {
  const { targets, problems } = parseFacts(spec)
  return {
    targets,
    problems: problems.map(({ fault, ...at }) => ({ ...at, message: targetWords(fault) }))
  }
}

describe('parseTargetSpec', () => {
  it('turns every field into targets', () => {
    const { targets, problems } = parseTargetSpec({
      repositories: ['acme/app'],
      environments: ['acme/app:production', 'acme/api:staging eu'],
      organizations: ['acme'],
      'organization-secret-visibility': ['selected'],
      'organization-selected-repositories': ['app', 'api'],
      'dependabot-repositories': ['acme/app'],
      'dependabot-organizations': ['acme']
    })
    expect(problems).toEqual([])
    expect(targets).toEqual([
      { kind: 'repository', owner: 'acme', repo: 'app' },
      { kind: 'dependabot', owner: 'acme', repo: 'app' },
      { kind: 'environment', owner: 'acme', repo: 'app', environment: 'production' },
      { kind: 'environment', owner: 'acme', repo: 'api', environment: 'staging eu' },
      {
        kind: 'organization',
        org: 'acme',
        visibility: 'selected',
        selectedRepositories: ['app', 'api']
      },
      {
        kind: 'dependabot-organization',
        org: 'acme',
        visibility: 'selected',
        selectedRepositories: ['app', 'api']
      }
    ])
  })

  it('keeps the visibility of organization secrets unless one is given', () => {
    expect(parseTargetSpec({ organizations: ['acme'] }).targets).toEqual([
      { kind: 'organization', org: 'acme' }
    ])
  })

  it('drops duplicates case-insensitively', () => {
    expect(parseTargetSpec({ repositories: ['acme/app', 'ACME/App'] }).targets).toHaveLength(1)
  })

  it.each([
    [{ repositories: ['acme'] }, 'repositories', "must look like 'owner/repo', got 'acme'"],
    [{ environments: ['acme/app'] }, 'environments', "must look like 'owner/repo:environment'"],
    [{ environments: ['acme/app:'] }, 'environments', "must look like 'owner/repo:environment'"],
    [{ organizations: ['acme/app'] }, 'organizations', 'must be an organization login'],
    [
      { organizations: ['acme'], 'organization-secret-visibility': ['public'] },
      'organization-secret-visibility',
      'must be one of all, private, selected'
    ],
    [
      { organizations: ['acme'], 'organization-secret-visibility': ['selected'] },
      'organization-selected-repositories',
      'must list at least one repository'
    ],
    [
      { organizations: ['acme'], 'organization-selected-repositories': ['app'] },
      'organization-selected-repositories',
      "only applies with organization-secret-visibility 'selected'"
    ],
    [
      {
        organizations: ['acme'],
        'organization-secret-visibility': ['selected'],
        'organization-selected-repositories': ['acme/app']
      },
      'organization-selected-repositories',
      'without the owner'
    ],
    [{ 'dependabot-repositories': ['a/b/c'] }, 'dependabot-repositories', "got 'a/b/c'"]
  ])('names the field of a problem: %j', (spec, field, message) => {
    const { problems } = parseTargetSpec(spec)
    expect(problems).toHaveLength(1)
    expect(problems[0]?.field).toBe(field)
    expect(problems[0]?.message).toContain(message)
  })
})

describe('names GitHub would refuse', () => {
  const login = (n: number): string => 'a'.repeat(n)
  it.each([
    // `.` and `..` are path segments: a URL collapses them, and the request goes elsewhere.
    ['repositories', 'acme/.', "'.' and '..' are not repository names"],
    ['repositories', 'acme/..', "'.' and '..' are not repository names"],
    ['repositories', './app', 'a GitHub login is'],
    ['repositories', '../app', 'a GitHub login is'],
    ['dependabot-repositories', 'acme/..', "'.' and '..' are not repository names"],
    ['environments', 'acme/.:actions', "'.' and '..' are not repository names"],
    ['environments', 'acme/app:.', "'.' and '..' are not environment names"],
    ['environments', 'acme/app:..', "'.' and '..' are not environment names"],
    ['organizations', '.', 'must be an organization login'],
    ['organizations', '..', 'must be an organization login'],
    ['dependabot-organizations', '..', 'must be an organization login'],
    // Logins: letters, digits and single hyphens, none at either end, at most 39.
    ['repositories', '-acme/app', 'a GitHub login is'],
    ['repositories', 'acme-/app', 'a GitHub login is'],
    ['repositories', 'ac--me/app', 'a GitHub login is'],
    ['repositories', 'ac_me/app', 'a GitHub login is'],
    ['repositories', `${login(40)}/app`, 'a GitHub login is'],
    ['organizations', 'acme-', 'a GitHub login is'],
    ['organizations', 'ac--me', 'a GitHub login is'],
    ['organizations', login(40), 'a GitHub login is'],
    // Repositories: 1-100 of letters, digits, '.', '-' and '_'.
    ['repositories', `acme/${'r'.repeat(101)}`, 'a repository name is 1-100'],
    ['repositories', 'acme/my app', 'a repository name is 1-100'],
    ['repositories', 'acme/app.git', "does not end in '.git'"],
    ['repositories', 'acme/', 'a repository name is 1-100'],
    // Environments: printable, at most 255 characters.
    ['environments', `acme/app:${'e'.repeat(256)}`, 'at most 255 characters'],
    ['environments', 'acme/app:prod\n::error::injected', 'an environment name is printable'],
    ['environments', 'acme/app:a\tb', 'an environment name is printable'],
    ['environments', 'acme/app:a\u0000b', 'an environment name is printable'],
    ['environments', 'acme/app:\u202eprod', 'an environment name is printable']
  ] as const)('refuses %s %j', (field, value, message) => {
    const { targets, problems } = parseTargetSpec({ [field]: [value] })
    expect(targets).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]?.field).toBe(field)
    expect(problems[0]?.message).toContain(message)
    // What is quoted stays on one printable line: a value cannot start a workflow command.
    expect(problems[0]?.message).not.toMatch(/[\p{C}\p{Zl}\p{Zp}]/u)
  })

  it.each([
    ['organization-selected-repositories', '.'],
    ['organization-selected-repositories', '..'],
    ['organization-selected-repositories', 'app.git']
  ] as const)('refuses %s %j', (field, value) => {
    const { problems } = parseTargetSpec({
      organizations: ['acme'],
      'organization-secret-visibility': ['selected'],
      [field]: [value]
    })
    expect(problems.map((p) => p.field)).toEqual([field])
  })

  it.each([
    ['repositories', `${login(39)}/${'r'.repeat(100)}`],
    ['repositories', 'a-b-c/.github'],
    ['repositories', '0/x_y.z-1'],
    ['environments', `acme/app:${'e'.repeat(255)}`],
    ['environments', 'acme/app:staging eu'],
    ['environments', 'acme/app:prod/eu-west'],
    ['environments', 'acme/app:Produktion ü'],
    ['organizations', login(39)],
    ['organizations', 'a-1']
  ] as const)('accepts %s %j', (field, value) => {
    const { targets, problems } = parseTargetSpec({ [field]: [value] })
    expect(problems).toEqual([])
    expect(targets).toHaveLength(1)
  })

  it('drops targets that differ only in case, as GitHub treats them', () => {
    const { targets } = parseTargetSpec({
      environments: ['acme/app:Production', 'ACME/App:production', 'acme/app:staging'],
      organizations: ['acme', 'ACME'],
      'dependabot-repositories': ['acme/app', 'Acme/APP']
    })
    expect(targets).toEqual([
      { kind: 'dependabot', owner: 'acme', repo: 'app' },
      { kind: 'environment', owner: 'acme', repo: 'app', environment: 'Production' },
      { kind: 'environment', owner: 'acme', repo: 'app', environment: 'staging' },
      { kind: 'organization', org: 'acme' }
    ])
  })

  it.each([
    [
      { repositories: ['acme/app'], 'organization-secret-visibility': ['all'] },
      'organization-secret-visibility'
    ],
    [
      {
        repositories: ['acme/app'],
        'organization-secret-visibility': ['selected'],
        'organization-selected-repositories': ['app']
      },
      'organization-secret-visibility'
    ],
    [{ 'organization-secret-visibility': ['private'] }, 'organization-secret-visibility']
  ])('refuses organization settings with no organization: %j', (spec, field) => {
    const { problems } = parseTargetSpec(spec)
    expect(problems).toEqual([
      {
        field,
        message:
          "applies to organization secrets only, and no organization is listed: add one to 'organizations' or 'dependabot-organizations', or leave this empty"
      }
    ])
  })

  it('takes the settings with Dependabot organizations alone', () => {
    const { targets, problems } = parseTargetSpec({
      'dependabot-organizations': ['acme'],
      'organization-secret-visibility': ['all']
    })
    expect(problems).toEqual([])
    expect(targets).toEqual([{ kind: 'dependabot-organization', org: 'acme', visibility: 'all' }])
  })
})

describe('a visibility per organization target', () => {
  const all = { visibility: 'all' }
  const twoRepos = { visibility: 'selected', selectedRepositories: ['app', 'api'] }
  it.each([
    [
      'each entry its own',
      { organizations: ['acme:all'], 'dependabot-organizations': ['acme:selected=app+api'] },
      [
        { kind: 'organization', org: 'acme', ...all },
        { kind: 'dependabot-organization', org: 'acme', ...twoRepos }
      ]
    ],
    [
      'the old inputs as the default of entries that say nothing',
      {
        organizations: ['acme', 'beta:all'],
        'dependabot-organizations': ['acme'],
        'organization-secret-visibility': ['selected'],
        'organization-selected-repositories': ['app', 'api']
      },
      [
        { kind: 'organization', org: 'acme', ...twoRepos },
        { kind: 'organization', org: 'beta', ...all },
        { kind: 'dependabot-organization', org: 'acme', ...twoRepos }
      ]
    ],
    [
      'no default: an entry that says nothing keeps what the secret has',
      { organizations: ['acme', 'beta:private'] },
      [
        { kind: 'organization', org: 'acme' },
        { kind: 'organization', org: 'beta', visibility: 'private' }
      ]
    ],
    [
      'the same entry twice, in any case, once',
      { organizations: ['acme:selected=app+api', 'ACME:selected=API+App'] },
      [{ kind: 'organization', org: 'acme', ...twoRepos }]
    ],
    [
      'an entry that matches the default is no conflict',
      {
        organizations: ['acme', 'acme:all', 'beta'],
        'organization-secret-visibility': ['all']
      },
      [
        { kind: 'organization', org: 'acme', ...all },
        { kind: 'organization', org: 'beta', ...all }
      ]
    ]
  ])('%s', (_, spec, targets) => {
    expect(parseTargetSpec(spec)).toEqual({ targets, problems: [] })
  })

  it.each([
    [
      'one organization with two visibilities',
      { organizations: ['acme:all', 'ACME:private'] },
      {
        field: 'organizations',
        index: 1,
        message:
          "lists organization ACME again, as 'ACME:private', after 'acme:all': list it once, with the visibility its secrets should have"
      }
    ],
    [
      'an entry that differs from the default it is listed beside',
      { organizations: ['acme:private', 'acme'], 'organization-secret-visibility': ['all'] },
      {
        field: 'organizations',
        index: 1,
        message:
          "lists organization acme again, as 'acme', after 'acme:private': list it once, with the visibility its secrets should have"
      }
    ],
    [
      'a default that no entry takes',
      {
        organizations: ['acme:all'],
        'dependabot-organizations': ['acme:selected=app'],
        'organization-secret-visibility': ['private']
      },
      {
        field: 'organization-secret-visibility',
        message:
          "applies to organization entries that set no visibility of their own, and every entry sets one (as 'org:all', 'org:private' or 'org:selected=repo+repo'): leave this empty, or list an organization without ':'"
      }
    ],
    [
      'default repositories that no entry takes',
      {
        organizations: ['acme:all'],
        'organization-selected-repositories': ['app']
      },
      {
        field: 'organization-selected-repositories',
        message: expect.stringContaining('applies to organization entries that set no visibility')
      }
    ],
    [
      'an entry in error, and nothing more about the default it may have meant to take',
      { organizations: ['acme:publc'], 'organization-secret-visibility': ['all'] },
      {
        field: 'organizations',
        index: 0,
        message: expect.stringContaining("got 'acme:publc'")
      }
    ]
  ])('refuses %s', (_, spec, problem) => {
    expect(parseTargetSpec(spec).problems).toEqual([problem])
  })
})

describe('endpoints', () => {
  const cases: [Target, string, string, string][] = [
    [
      { kind: 'repository', owner: 'a', repo: 'r' },
      'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      'a/r'
    ],
    [
      { kind: 'environment', owner: 'a', repo: 'r', environment: 'prod' },
      'GET /repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key',
      'PUT /repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}',
      'a/r environment prod'
    ],
    [
      { kind: 'dependabot', owner: 'a', repo: 'r' },
      'GET /repos/{owner}/{repo}/dependabot/secrets/public-key',
      'PUT /repos/{owner}/{repo}/dependabot/secrets/{secret_name}',
      'a/r (Dependabot)'
    ],
    [
      { kind: 'organization', org: 'o' },
      'GET /orgs/{org}/actions/secrets/public-key',
      'PUT /orgs/{org}/actions/secrets/{secret_name}',
      'organization o'
    ],
    [
      { kind: 'dependabot-organization', org: 'o' },
      'GET /orgs/{org}/dependabot/secrets/public-key',
      'PUT /orgs/{org}/dependabot/secrets/{secret_name}',
      'organization o (Dependabot)'
    ]
  ]
  it.each(cases)('%j', (target, publicKey, put, name) => {
    const routes = endpoints(target)
    expect(routes.publicKey.route).toBe(publicKey)
    expect(routes.put('X').route).toBe(put)
    expect(routes.put('X').params.secret_name).toBe('X')
    expect(describeTarget(target)).toBe(name)
  })

  it('gives every scope its own key, whatever the case of its names', () => {
    const keys = cases.map(([t]) => scopeKey(t))
    expect(new Set(keys).size).toBe(cases.length)
    expect(scopeKey({ kind: 'repository', owner: 'A', repo: 'R' })).toBe(
      scopeKey({ kind: 'repository', owner: 'a', repo: 'r' })
    )
  })
})
