/**
 * End to end, GitHub as it really is: the REST API version on every request of every client,
 * rate limits left to plugin-throttling and said as rate limits, and reads that go out a few at
 * a time. Verdicts come from what the GitHub emulator saw on the wire.
 */
import { describe, expect, it } from '@jest/globals'
import type { ChildProcess } from 'node:child_process'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { roleInputs, startWorld, type World } from '../../emulators/world.js'
import { leastSeconds } from '../../src/budget.js'
import { READ_CONCURRENCY } from '../../src/github/secrets.js'
import { scanRunsAfterEach } from './helpers.js'

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

let world: World
const { record } = scanRunsAfterEach(() => world)

async function run(
  inputs: Record<string, string>,
  onSpawn?: (child: ChildProcess) => void
): Promise<RunResult> {
  const result = await runAction(world, inputs, {}, { onSpawn })
  return record(result)
}

/** Every request the GitHub emulator saw named API version 2022-11-28. */
function expectVersionEverywhere(): void {
  expect(world.github.log.length).toBeGreaterThan(0)
  const versions = new Set(world.github.log.map((e) => e.apiVersion))
  expect([...versions]).toEqual(['2022-11-28'])
  expect(world.github.log.filter((e) => e.status === 400)).toEqual([])
}

describe('X-GitHub-Api-Version', () => {
  it('is on every request of a token run', async () => {
    world = await startWorld()
    const result = await run(roleInputs(world))
    expect(result.code).toBe(0)
    expectVersionEverywhere()
  })

  it('is on every request of an App run: the App, each installation, token minting, run reads', async () => {
    world = await startWorld()
    const app = world.github.addApp({ id: 4242 })
    world.github.addInstallation(app.id, {
      account: 'acme',
      repositories: 'all',
      permissions: { secrets: 'write', actions: 'read', metadata: 'read' }
    })
    const { 'github-token': _token, ...inputs } = roleInputs(world, {
      'app-id': String(app.id),
      'app-private-key': app.privateKey
    })
    // A run killed mid-publication leaves a lease; the next run asks GitHub whether it ended.
    let child: ChildProcess | undefined
    world.github.inject({
      route: /^PUT /,
      after: 2,
      hang: true,
      effect: () => child?.kill('SIGKILL')
    })
    const killed = await run({ ...inputs, force: 'true' }, (c) => (child = c))
    expect(killed.signal).toBe('SIGKILL')
    world.github.clearFaults()
    const next = await run(inputs)
    expect(next.code).toBe(0)
    expect(next.log).toContain('has ended: taking over its lease')

    const routes = new Set(world.github.log.map((e) => e.route))
    for (const route of [
      'GET /repos/{owner}/{repo}/installation',
      'POST /app/installations/{installation_id}/access_tokens',
      'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
      'GET /repos/{owner}/{repo}/actions/runs/{run_id}'
    ])
      expect(routes).toContain(route)
    expectVersionEverywhere()
  })
})

describe('rate limits', () => {
  it('retries a 429 once, after its retry-after of 2 s, and never at 1 s or 4 s', async () => {
    world = await startWorld()
    world.github.inject({
      route: /^PUT /,
      status: 429,
      message: SECONDARY,
      headers: { 'retry-after': '2' }
    })
    const result = await run(roleInputs(world))
    expect(result.code).toBe(0)

    const puts = world.github.log.filter((e) => e.method === 'PUT')
    const [limited, ...rest] = puts
    expect(limited?.status).toBe(429)
    const again = rest.filter((e) => e.path === limited?.path)
    expect(again.map((e) => e.status)).toEqual([201])
    expect(again[0]!.time - limited!.time).toBeGreaterThanOrEqual(2_000)
    // two repositories, two secrets each, plus the one retry
    expect(puts).toHaveLength(5)
    expect(result.log).toContain('retrying after 2 s')
  })

  it('says a secondary-limit 403 with a long retry-after is a rate limit, not a permission', async () => {
    // In the read-only preflight a long wait fails the run before any change; once a key is
    // part-published the rotation waits it out instead (the machine's tests prove that).
    world = await startWorld()
    world.github.inject({
      route: 'GET /repos/{owner}/{repo}/actions/secrets/public-key',
      status: 403,
      message: SECONDARY,
      headers: { 'retry-after': '600' },
      count: 2
    })
    const result = await run(roleInputs(world))
    expect(result.code).toBe(1)

    // not waited out inline, and not retried by plugin-retry either
    expect(world.github.log.filter((e) => e.path.endsWith('/public-key'))).toHaveLength(2)
    expect(world.aws.createdKeyIds()).toEqual([])
    const error = result.log.split('\n').find((l) => l.startsWith('Error: ')) ?? ''
    expect(error).toContain('GitHub rate-limited reading the secrets public key')
    expect(error).toContain('asks to wait 10 min')
    expect(error).toContain('not a missing permission')
    expect(error).not.toMatch(/Give the token|Read and write|permission '/)
  })
})

describe('reads', () => {
  it(`reads 40 targets' public keys at most ${READ_CONCURRENCY} at a time`, async () => {
    const repos = Array.from({ length: 40 }, (_, i) => `acme/r${String(i).padStart(2, '0')}`)
    world = await startWorld({ repos, latencyMs: 50 })
    const result = await run(
      roleInputs(world, { repositories: repos.join('\n'), 'dry-run': 'true' })
    )
    expect(result.code).toBe(0)

    const reads = (e: { path: string }) => e.path.endsWith('/public-key')
    expect(world.github.log.filter(reads)).toHaveLength(40)
    expect(world.github.peakConcurrency(reads)).toBe(READ_CONCURRENCY)
    expect(world.github.peakConcurrency()).toBe(READ_CONCURRENCY)
  })
})

describe("GitHub's content-creation limits, on a faster clock", () => {
  it('a fleet that fits but meets them mid-publication finishes, every target working', async () => {
    // GitHub's rules with smaller numbers: 6 writes a "minute" of 10 s, so 8 repositories
    // (16 writes, a second apart) must wait for the window twice.
    const limits = { perMinute: 6, perHour: 1000, timeScale: 6 }
    const repos = Array.from({ length: 8 }, (_, i) => `acme/r${i}`)
    world = await startWorld({ repos, githubContentLimits: limits })
    const result = await run(roleInputs(world, { repositories: repos.join('\n') }))
    expect(result.code).toBe(0)
    const limited = world.github.log.filter((e) => e.method === 'PUT' && e.status === 403)
    expect(limited.length).toBeGreaterThan(0)
    const key = world.aws.keys('deploy')
    expect(key.map((k) => k.status)).toEqual(['Active'])
    for (const repo of repos) {
      const s = world.github.repositorySecrets(repo)
      expect([repo, s.AWS_ACCESS_KEY_ID, s.AWS_SECRET_ACCESS_KEY]).toEqual([
        repo,
        key[0]?.accessKeyId,
        key[0]?.secretAccessKey
      ])
    }
    // Against the budget's own bound for these limits: the least time the 16 writes can take.
    const puts = world.github.log.filter((e) => e.method === 'PUT' && e.status < 300)
    const spanS = ((puts.at(-1)?.time ?? 0) - (puts[0]?.time ?? 0)) / 1000
    const bound = leastSeconds(16, {
      perMinute: 6,
      perHour: 1000,
      spacingSeconds: 1,
      minuteSeconds: 10,
      hourSeconds: 600
    })
    console.log(
      `16 writes under 6 per 10 s: ${spanS.toFixed(1)} s from first to last write; bound ${bound} s; ${limited.length} refused`
    )
    expect(spanS).toBeGreaterThanOrEqual(bound - 1)
  })
})
