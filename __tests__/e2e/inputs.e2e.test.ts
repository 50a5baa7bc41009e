/**
 * End to end, inputs that must stop a run before it sends anything: names that are path segments,
 * a manifest that leads out of the workspace, a token that is not one token, one IAM user listed
 * twice, an organization target's visibility that cannot be written. The bundled action runs as a runner runs it; the verdict is that neither emulator heard
 * from it, and that nothing it printed holds what it was given.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { RunResult } from '../../emulators/runner.js'
import { roleInputs, startWorld, TOKEN, type World } from '../../emulators/world.js'
import { mutations, scanRunsAfterEach } from './helpers.js'

let world: World
const { run } = scanRunsAfterEach(() => world)

/** The run failed at its inputs: no request reached AWS or GitHub, nothing changed. */
function expectRefusedBeforeAnyRequest(result: RunResult): void {
  expect(result.code).toBe(1)
  expect(result.log).toContain('Invalid input')
  expect(result.log).toContain('Nothing was changed: the inputs are checked before any request.')
  expect(mutations(world)).toEqual([])
  expect(world.github.log).toHaveLength(0)
  expect(world.aws.log).toHaveLength(0)
}

/** Without the single-user inputs, for runs that name their users in a manifest. */
const fleetInputs = (): Record<string, string> => {
  const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
  return inputs
}

describe('names that are path segments', () => {
  it.each([
    ['repositories', 'acme/.'],
    ['repositories', 'acme/..'],
    ['environments', 'acme/.:actions'],
    ['environments', 'acme/app:..'],
    ['dependabot-repositories', 'acme/..'],
    ['organizations', '..']
  ])('refuses %s %s before any request', async (input, value) => {
    world = await startWorld()
    const result = await run({ ...roleInputs(world), [input]: value })
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain(`'${input}'`)
    expect(result.log).toContain(`got '${value}'`)
  })
})

describe('a manifest outside the workspace', () => {
  const SECRET = 'OUTSIDE-SECRET-9f8e7d6c5b4a'

  it.each([
    ['a symlink to a file outside', 'link.yml'],
    ['a path up and out', '../outside.yml'],
    ['a symlink to /proc/self/environ', 'environ.yml']
  ])('refuses %s without quoting it', async (_, manifest) => {
    world = await startWorld()
    const root = mkdtempSync(join(tmpdir(), 'inputs-e2e-'))
    const workspace = join(root, 'workspace')
    mkdirSync(workspace)
    const outside = join(root, 'outside.yml')
    // Shaped like a manifest, so only where it is can refuse it.
    writeFileSync(outside, `users:\n  - iam-user-name: ${SECRET}\n    repositories: acme/app\n`)
    symlinkSync(outside, join(workspace, 'link.yml'))
    symlinkSync('/proc/self/environ', join(workspace, 'environ.yml'))

    const result = await run(
      { ...fleetInputs(), manifest },
      { GITHUB_WORKSPACE: workspace, PROBE: SECRET }
    )
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain(`'manifest' file '${manifest}' leads outside the workspace`)
    expect(result.everything).not.toContain(SECRET)
  })
})

describe('a token that is not one token', () => {
  it.each([
    ['a line break', `${TOKEN}\nghp_secondLineOfTheSecret0123`],
    ['a space', `${TOKEN} ghp_secondLineOfTheSecret0123`]
  ])('refuses a token with %s and never prints it', async (_, token) => {
    world = await startWorld()
    const result = await run({ ...roleInputs(world), 'github-token': token })
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain("'github-token' must be the token alone")
    for (const part of [token, ...token.split(/\s/)]) expect(result.everything).not.toContain(part)
    // A runner masks line by line: each line is registered on its own.
    for (const line of token.split('\n')) expect(result.masks).toContain(line)
  })
})

describe('one IAM user listed twice', () => {
  it('refuses deploy and DEPLOY in one manifest', async () => {
    world = await startWorld()
    const workspace = mkdtempSync(join(tmpdir(), 'inputs-e2e-'))
    writeFileSync(
      join(workspace, 'rotation.yml'),
      'users:\n  - iam-user-name: deploy\n    repositories: acme/app\n  - iam-user-name: DEPLOY\n    repositories: acme/api\n'
    )
    const result = await run(
      { ...fleetInputs(), manifest: 'rotation.yml' },
      { GITHUB_WORKSPACE: workspace }
    )
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain(
      'IAM user DEPLOY is listed twice (as deploy: IAM user names are case-insensitive, so both are one user) (rotation.yml:2:5) (rotation.yml:4:5)'
    )
  })
})

describe('a visibility per organization target that cannot be written', () => {
  it.each([
    [
      'organizations',
      'acme:selected',
      "must name the repositories that may use the secret, as in 'acme:selected=app+api'"
    ],
    [
      'dependabot-organizations',
      'acme:selected=app+acme/api',
      "names 'acme/api', which is not a repository name"
    ],
    ['organizations', 'acme:public', "after ':' comes the visibility: all, private, selected"]
  ])('refuses %s %s before any request', async (input, value, message) => {
    world = await startWorld()
    const result = await run({ ...roleInputs(world), [input]: value })
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain(`'${input}' `)
    expect(result.log).toContain(message)
  })

  it('refuses a manifest entry at its line and column', async () => {
    world = await startWorld()
    const workspace = mkdtempSync(join(tmpdir(), 'inputs-e2e-'))
    writeFileSync(
      join(workspace, 'rotation.yml'),
      'users:\n  - iam-user-name: deploy\n    dependabot-organizations:\n      - org: acme\n        visibility: selected\n'
    )
    const result = await run(
      { ...fleetInputs(), manifest: 'rotation.yml' },
      { GITHUB_WORKSPACE: workspace }
    )
    expectRefusedBeforeAnyRequest(result)
    expect(result.log).toContain(
      "rotation.yml:5:21: users[0].dependabot-organizations[0].visibility is 'selected', so 'selected-repositories' must list at least one repository"
    )
  })
})
