import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { MAX_MANIFEST_BYTES } from '../src/inputs/manifest-file.js'
import { parseManifest, readManifest as readFacts } from '../src/inputs/manifest.js'
import { problemWords } from '../src/report/inputs.js'

const defaults = { accessKeyId: 'AWS_ACCESS_KEY_ID', secretAccessKey: 'AWS_SECRET_ACCESS_KEY' }
/** The manifest's users, and its problems as a person reads them. */
const worded = <T extends { problems: Parameters<typeof problemWords>[0][] }>(read: T) => ({
  ...read,
  problems: read.problems.map(problemWords)
})
const parse = (text: string) => worded(parseManifest(text, 'rotation.yml', defaults))
const readManifest = (...args: Parameters<typeof readFacts>) => worded(readFacts(...args))

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

  it('reads an organization entry as a string or a mapping, each with its own visibility', () => {
    const { users, problems } = parse(`users:
  - iam-user-name: deploy
    organizations:
      - acme:all
      - org: beta
    dependabot-organizations:
      - org: acme
        visibility: selected
        selected-repositories: [app, api]
      - beta:selected=app
    organization-secret-visibility: private
`)
    expect(problems).toEqual([])
    expect(users[0]?.targets).toEqual([
      { kind: 'organization', org: 'acme', visibility: 'all' },
      { kind: 'organization', org: 'beta', visibility: 'private' },
      {
        kind: 'dependabot-organization',
        org: 'acme',
        visibility: 'selected',
        selectedRepositories: ['app', 'api']
      },
      {
        kind: 'dependabot-organization',
        org: 'beta',
        visibility: 'selected',
        selectedRepositories: ['app']
      }
    ])
  })

  it('reports every problem of organization entries at its key, each once', () => {
    const { problems } = parse(`users:
  - iam-user-name: a
    organizations:
      - acme:selected
      - org: beta
        visibility: selected
        selected-repositories: [app, beta/api]
      - org: gamma
        visibility: secret
      - org: delta
        selected-repositories: app
      - org: epsilon
        visbility: all
      - { visibility: all }
      - 3
  - iam-user-name: b
    dependabot-organizations: { org: acme }
`)
    expect(problems).toEqual([
      'rotation.yml:9:21: users[0].organizations[2].visibility must be one of all, private, selected',
      "rotation.yml:13:9: unknown key 'visbility' in users[0].organizations[4]; allowed keys are org, visibility, selected-repositories",
      "rotation.yml:14:9: users[0].organizations[5] must have required property 'org'",
      'rotation.yml:15:9: users[0].organizations[6] must be a string or a mapping',
      "rotation.yml:17:31: users[1].dependabot-organizations must be a string or a list of strings and mappings ('org', 'visibility', 'selected-repositories')",
      "rotation.yml:4:9: users[0].organizations[0] must name the repositories that may use the secret, as in 'acme:selected=app+api' (names without the owner, joined by '+'), got 'acme:selected'",
      "rotation.yml:7:38: users[0].organizations[1].selected-repositories[1] must be a repository name without the owner (a repository name is 1-100 letters, digits, '.', '-' and '_'), got 'beta/api'",
      "rotation.yml:11:32: users[0].organizations[3].selected-repositories only applies with 'visibility: selected': add it, or remove 'selected-repositories'"
    ])
  })

  it("reads each user's max-age-days and grace-period-days, the defaults' where it sets none", () => {
    const { users, problems } = parse(`defaults:
  max-age-days: 90
  grace-period-days: '7'
users:
  - iam-user-name: deploy-app
    repositories: acme/app
    max-age-days: 30
  - iam-user-name: deploy-api
    repositories: acme/api
    grace-period-days: 0
`)
    expect(problems).toEqual([])
    expect(users.map((u) => [u.userName, u.settings])).toEqual([
      ['deploy-app', { maxAgeDays: 30, gracePeriodDays: 7 }],
      ['deploy-api', { maxAgeDays: 90, gracePeriodDays: 0 }]
    ])
  })

  it('leaves the settings to the inputs when the manifest sets none', () => {
    const { users } = parse('users:\n  - iam-user-name: a\n    repositories: a/b\n')
    expect(users[0]).not.toHaveProperty('settings')
  })

  it('holds max-age-days and grace-period-days to the ranges of the inputs, at their line and column', () => {
    const { problems } = parse(`defaults:
  grace-period-days: 366
users:
  - iam-user-name: a
    repositories: a/b
    max-age-days: 3651
  - iam-user-name: b
    repositories: a/c
    max-age-days: 1.5
    grace-period-days: -1
  - iam-user-name: c
    repositories: a/d
    max-age-days: [90]
`)
    expect(problems).toEqual([
      'rotation.yml:13:19: users[2].max-age-days must be a number or a string',
      "rotation.yml:2:22: defaults.grace-period-days must be a whole number from 0 to 365, got '366'",
      "rotation.yml:6:19: users[0].max-age-days must be a whole number from 0 to 3650, got '3651'",
      "rotation.yml:9:19: users[1].max-age-days must be a whole number from 0 to 3650, got '1.5'",
      "rotation.yml:10:24: users[1].grace-period-days must be a whole number from 0 to 365, got '-1'"
    ])
  })

  it("reads each user's role-to-assume and aws-region, the defaults' where it names none", () => {
    const { users, problems } = parse(`defaults:
  role-to-assume: arn:aws:iam::111111111111:role/rotate-iam-key
users:
  - iam-user-name: a
    repositories: acme/a
  - iam-user-name: b
    repositories: acme/b
    role-to-assume: arn:aws:iam::222222222222:role/rotate-iam-key
    aws-region: eu-west-1
  - iam-user-name: c
    repositories: acme/c
    aws-region: eu-central-1
`)
    expect(problems).toEqual([])
    expect(users.map((u) => [u.userName, u.account])).toEqual([
      ['a', { roleArn: 'arn:aws:iam::111111111111:role/rotate-iam-key' }],
      ['b', { roleArn: 'arn:aws:iam::222222222222:role/rotate-iam-key', region: 'eu-west-1' }],
      ['c', { roleArn: 'arn:aws:iam::111111111111:role/rotate-iam-key', region: 'eu-central-1' }]
    ])
    expect(
      parse('users:\n  - iam-user-name: a\n    repositories: a/b\n').users[0]
    ).not.toHaveProperty('account')
  })

  it('holds role-to-assume and aws-region to the checks of the inputs, at their line and column', () => {
    const { problems } = parse(`defaults:
  aws-region: mars-1
users:
  - iam-user-name: a
    repositories: a/b
    role-to-assume: arn:aws:iam::12:role/x
  - iam-user-name: b
    repositories: a/c
    role-to-assume: [arn]
`)
    expect(problems).toEqual([
      'rotation.yml:9:21: users[1].role-to-assume must be a string',
      "rotation.yml:2:15: defaults.aws-region must look like 'us-east-1', got 'mars-1'",
      "rotation.yml:6:21: users[0].role-to-assume must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key' (partition aws, aws-cn, aws-us-gov, aws-iso, aws-iso-b, aws-iso-e, aws-iso-f, aws-eusc), got 'arn:aws:iam::12:role/x'"
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
      "'manifest' file 'missing.yml' cannot be read (ENOENT)"
    )
  })

  it('quotes what it found only once the file is a manifest, and then on one line', () => {
    const { problems } = parse(
      'users:\n  - iam-user-name: a\n    environments: ["acme/app:prod\\n::error::injected"]\n    "key\\nx": 1\n'
    )
    expect(problems).toEqual([
      expect.stringMatching(/^rotation\.yml:4:5: unknown key 'key\\nx' in users\[0\]/),
      "rotation.yml:3:20: users[0].environments[0] must look like 'owner/repo:environment' (an environment name is printable: no line breaks, tabs or other control characters), got 'acme/app:prod\\n::error::injected'"
    ])
  })
})

/** A file of another program, holding what must not reach a log. */
const SECRET = 'TOPSECRET-0123456789'

describe('files that are not manifests', () => {
  it.each([
    ['a password file', `root:x:0:0:${SECRET}:/root:/bin/bash\n`, ''],
    ['an environment file', `AWS_SECRET_ACCESS_KEY=${SECRET}\nOTHER=1\n`, ''],
    ['a mapping of something else', `password: ${SECRET}\nhost: db\n`, ''],
    ['broken YAML', `password: [${SECRET}\n`, ' (YAML error'],
    ['an alias to nothing', `*${SECRET}\n`, ''],
    ['a list', `- ${SECRET}\n`, ''],
    ['binary', `\u0000\u0001${SECRET}\u00ff`, '']
  ])('%s: one message, nothing of the file in it', (_, text, error) => {
    const { users, problems } = parse(text)
    expect(users).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(
      /^'manifest' file rotation\.yml is not a rotation manifest: it must be a YAML mapping with a 'users' list at the top/
    )
    expect(problems[0]).toContain(error)
    expect(problems[0]).not.toContain(SECRET)
  })

  it('names the unknown keys of a file with users, never their values', () => {
    // A kubeconfig has a top-level `users` too.
    const { problems } = parse(
      `apiVersion: v1\nusers:\n  - name: admin\n    user:\n      token: ${SECRET}\n`
    )
    expect(problems.join('\n')).toContain("unknown key 'user' in users[0]")
    expect(problems.join('\n')).not.toContain(SECRET)
  })
})

describe('where the manifest may be', () => {
  const manifest = 'users:\n  - iam-user-name: a\n    repositories: a/b\n'
  const setup = (): { workspace: string; outside: string } => {
    const root = mkdtempSync(join(tmpdir(), 'manifest-'))
    const workspace = join(root, 'workspace')
    mkdirSync(join(workspace, 'config'), { recursive: true })
    writeFileSync(join(workspace, 'config', 'rotation.yml'), manifest)
    const outside = join(root, 'outside.yml')
    writeFileSync(outside, `users: ${SECRET}\n`)
    return { workspace, outside }
  }

  it.each([
    ['a path up and out', (_w: string) => '../outside.yml', 'leads outside the workspace'],
    ['an absolute path outside', (_w: string, o: string) => o, 'leads outside the workspace'],
    ['/etc/passwd', () => '/etc/passwd', 'leads outside the workspace'],
    [
      'a symlink to a file outside',
      (w: string, o: string) => (symlinkSync(o, join(w, 'link.yml')), 'link.yml'),
      'leads outside the workspace'
    ],
    [
      'a symlink to /proc/self/environ',
      (w: string) => (symlinkSync('/proc/self/environ', join(w, 'env.yml')), 'env.yml'),
      'leads outside the workspace'
    ],
    [
      'a symlinked directory leading out',
      (w: string, o: string) => (symlinkSync(join(o, '..'), join(w, 'up')), 'up/outside.yml'),
      'leads outside the workspace'
    ],
    ['the workspace itself', () => '.', 'is not a regular file'],
    ['a directory', () => 'config', 'is not a regular file'],
    ['a missing file', () => 'config/missing.yml', 'cannot be read (ENOENT)'],
    [
      'a file over 1 MiB',
      (w: string) => (
        writeFileSync(join(w, 'big.yml'), `users: []\n#${'x'.repeat(MAX_MANIFEST_BYTES)}\n`),
        'big.yml'
      ),
      'is larger than 1 MiB, the limit for a manifest'
    ]
  ])('refuses %s without reading it', (_, path, message) => {
    const { workspace, outside } = setup()
    const { users, problems } = readManifest(path(workspace, outside), workspace, defaults)
    expect(users).toEqual([])
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^'manifest' file '.*'/)
    expect(problems[0]).toContain(message)
    expect(problems[0]).not.toContain(SECRET)
  })

  it.each([
    ['a path inside', () => 'config/rotation.yml'],
    ['a path that wanders but stays inside', () => 'config/../config/./rotation.yml'],
    [
      'a symlink to a file inside',
      (w: string) => (symlinkSync(join(w, 'config', 'rotation.yml'), join(w, 'm.yml')), 'm.yml')
    ]
  ])('reads %s', (_, path) => {
    const { workspace } = setup()
    expect(readManifest(path(workspace), workspace, defaults)).toEqual({
      users: [expect.objectContaining({ userName: 'a', source: 'config/rotation.yml:2:5' })],
      problems: []
    })
  })

  it('follows a workspace that is itself a link', () => {
    const { workspace } = setup()
    const link = join(workspace, '..', 'link')
    symlinkSync(workspace, link)
    expect(readManifest('config/rotation.yml', link, defaults).problems).toEqual([])
  })
})

describe('aliases', () => {
  it('reports an alias to nothing in a manifest instead of throwing', () => {
    const { problems } = parse('users:\n  - iam-user-name: *nothing\n    repositories: a/b\n')
    expect(problems).toEqual([expect.stringMatching(/^rotation\.yml: .*alias/i)])
  })
})

describe('the compiled schema', () => {
  it('is src/inputs/manifest-schema.ts as Ajv compiles it now (npm run build regenerates it)', async () => {
    const { validatorSource, VALIDATOR_FILE } = await import('../scripts/manifest-validator.js')
    expect(readFileSync(VALIDATOR_FILE, 'utf8')).toBe(await validatorSource())
  })
})
