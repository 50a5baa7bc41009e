import { describe, expect, it } from '@jest/globals'
import { installationAccess, runsAccess } from '../src/github/access.js'
import type { Target } from '../src/github/targets.js'

const targets: Target[] = [
  { kind: 'repository', owner: 'acme', repo: 'app' },
  { kind: 'environment', owner: 'acme', repo: 'App', environment: 'production' },
  { kind: 'dependabot', owner: 'acme', repo: 'api' },
  { kind: 'repository', owner: 'octo', repo: 'site' },
  { kind: 'organization', org: 'acme', visibility: 'selected', selectedRepositories: ['web'] },
  { kind: 'dependabot-organization', org: 'corp' },
  { kind: 'organization', org: 'corp', visibility: 'private' }
]

describe('installationAccess', () => {
  it.each([
    [
      'acme',
      {
        repositoryNames: ['app', 'api', 'web'],
        permissions: {
          metadata: 'read',
          secrets: 'write',
          environments: 'write',
          dependabot_secrets: 'write',
          organization_secrets: 'write'
        }
      }
    ],
    ['OCTO', { repositoryNames: ['site'], permissions: { metadata: 'read', secrets: 'write' } }],
    // organization secrets alone: no repository to name, so none is restricted
    [
      'corp',
      {
        permissions: {
          metadata: 'read',
          organization_dependabot_secrets: 'write',
          organization_secrets: 'write'
        }
      }
    ],
    ['nobody', { permissions: { metadata: 'read' } }]
    // acme's environment target asks for Environments alone: `secrets` comes from its repository target.
  ])('asks %s for exactly what its targets need', (account, access) => {
    expect(installationAccess(targets, account)).toEqual(access)
  })

  it('writes an environment secret with Environments alone, never Secrets', () => {
    expect(
      installationAccess(
        [{ kind: 'environment', owner: 'acme', repo: 'app', environment: 'production' }],
        'acme'
      )
    ).toEqual({
      repositoryNames: ['app'],
      permissions: { metadata: 'read', environments: 'write' }
    })
  })

  it('names no repository past the 500 GitHub accepts', () => {
    const many: Target[] = Array.from({ length: 501 }, (_, i) => ({
      kind: 'repository',
      owner: 'acme',
      repo: `r${i}`
    }))
    expect(installationAccess(many, 'acme')).toEqual({
      permissions: { metadata: 'read', secrets: 'write' }
    })
  })

  it('reads runs of one repository with actions: read', () => {
    expect(runsAccess('ops')).toEqual({
      repositoryNames: ['ops'],
      permissions: { actions: 'read', metadata: 'read' }
    })
  })
})
