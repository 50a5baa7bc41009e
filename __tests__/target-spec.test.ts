import { describe, expect, it } from '@jest/globals'
import { parseTargetSpec } from '../src/target-spec.js'
import {
  endpoints,
  scopeKey,
  describe as describeTarget,
  type Target
} from '../src/github/targets.js'

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
