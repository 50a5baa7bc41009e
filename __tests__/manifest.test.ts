import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { parseManifest, readManifest } from '../src/manifest.js'

const defaults = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY' }
const parse = (text: string) => parseManifest(text, 'rotation.yml', defaults)

describe('parseManifest', () => {
  it('reads users with their targets, secret names and defaults', () => {
    const { users, problems } = parse(`
version: 1
defaults:
  secret-access-key-secret-name: DEPLOY_SECRET
users:
  - iam-user-name: deploy-app
    repositories: acme/app
    environments: [acme/app:production]
  - iam-user-name: deploy-api
    organizations: [acme]
    organization-secret-visibility: private
    access-key-id-secret-name: API_KEY_ID
`)
    expect(problems).toEqual([])
    expect(users).toEqual([
      {
        userName: 'deploy-app',
        targets: [
          { kind: 'repository', owner: 'acme', repo: 'app' },
          { kind: 'environment', owner: 'acme', repo: 'app', environment: 'production' }
        ],
        secretNames: { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'DEPLOY_SECRET' },
        source: 'rotation.yml:6:5'
      },
      {
        userName: 'deploy-api',
        targets: [{ kind: 'organization', org: 'acme', visibility: 'private' }],
        secretNames: { accessKeyId: 'API_KEY_ID', secretAccessKey: 'DEPLOY_SECRET' },
        source: 'rotation.yml:9:5'
      }
    ])
  })

  it('reports every schema problem at once, with line and column', () => {
    const { problems } = parse(`users:
  - iam-user-name: a
    repos: [acme/app]
  - repositories: 3
    organization-secret-visibility: public
surprise: true
`)
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringMatching(
          /^rotation\.yml:3:5: unknown key 'repos' in users\[0\]; allowed keys are iam-user-name, repositories/
        ),
        "rotation.yml:4:5: users[1] must have required property 'iam-user-name'",
        'rotation.yml:4:19: users[1].repositories must be a string or a list of strings',
        'rotation.yml:5:37: users[1].organization-secret-visibility must be one of all, private, selected',
        expect.stringMatching(
          /^rotation\.yml:6:1: unknown key 'surprise'; allowed keys are version, defaults, users$/
        )
      ])
    )
    expect(problems).toHaveLength(5)
  })

  it('reports field problems at the entry that has them', () => {
    const { problems } = parse(`users:
  - iam-user-name: a
    repositories:
      - acme/app
      - not-a-repo
    access-key-id-secret-name: GITHUB_KEY
`)
    expect(problems).toEqual([
      "rotation.yml:5:9: users[0].repositories[1] must look like 'owner/repo', got 'not-a-repo'",
      "rotation.yml:6:32: users[0].access-key-id-secret-name is not a valid GitHub secret name: 'GITHUB_KEY' must not start with 'GITHUB_' (GitHub reserves that prefix)"
    ])
  })

  it('reports YAML syntax errors with their position', () => {
    const { problems } = parse('users:\n  - iam-user-name: [a\n')
    expect(problems[0]).toMatch(/^rotation\.yml:\d+:\d+: /)
  })

  it('reads the file relative to the workspace, and says when it cannot', () => {
    const dir = mkdtempSync(join(tmpdir(), 'manifest-'))
    writeFileSync(
      join(dir, 'rotation.yml'),
      'users:\n  - iam-user-name: a\n    repositories: a/b\n'
    )
    expect(readManifest('rotation.yml', dir, defaults).users).toHaveLength(1)
    expect(readManifest('missing.yml', dir, defaults).problems[0]).toContain(
      "'manifest' file missing.yml cannot be read (ENOENT)"
    )
  })
})
