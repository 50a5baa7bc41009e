/**
 * Which workflow runs may hold a replaced key (src/github/inflight.ts), through the run's own
 * Octokit client against the GitHub emulator, whose runs capture secrets as GitHub does: who reads
 * an organization secret by its visibility, the write's second, environment jobs, the permission.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js'
import { runsBlockedWords, runsUnknownWords } from '../src/report/github-runs.js'
import { createClients } from '../src/github/client.js'
import { InFlightRuns, type Written } from '../src/github/inflight.js'
import { ReadWindow } from '../src/github/reads.js'
import type { Prepared } from '../src/github/secrets.js'
import type { Target } from '../src/github/targets.js'

const TOKEN = 'github_pat_inflight_reader_0123456789'
const NO_ACTIONS = 'github_pat_inflight_secrets_only_0123'
let gh: GitHubEmulator
let nextId = 7_000_000_001

const window = new ReadWindow({
  now: () => Date.now(),
  sleep: (ms) => new Promise((r) => setTimeout(r, ms))
})

function runs(token = TOKEN, own?: string): InFlightRuns {
  const clients = createClients({ auth: { token }, baseUrl: gh.url, limitMet: () => undefined }, [])
  return new InFlightRuns(clients.forDrain, window, own)
}

/** A target as prepared, with the visibility the run writes for an organization secret. */
function prepared(target: Target, visibility?: string): Prepared {
  const extra: Prepared['extra'] = visibility ? { AWS_ACCESS_KEY_ID: { visibility } } : {}
  return { target, client: undefined as never, key: { keyId: '', key: '' }, extra }
}

const run = (repo: string, o: { createdAt?: string; jobs?: { name: string }[] } = {}): number => {
  const id = nextId++
  gh.addWorkflowRun(repo, { id, status: 'in_progress', ...o })
  return id
}
const ids = (r: Awaited<ReturnType<InFlightRuns['holding']>>): number[] =>
  'runs' in r ? r.runs.map((h) => h.id).sort() : [-1]

beforeAll(async () => {
  gh = await startGitHubEmulator()
  gh.addOrganization('acme')
  gh.addRepository('acme/app', { visibility: 'private' })
  gh.addRepository('acme/site', { visibility: 'public' })
  gh.addRepository('acme/tool', { visibility: 'internal' })
  gh.addToken(TOKEN, { repositories: 'all', secrets: 'write', actions: 'read' })
  gh.addToken(NO_ACTIONS, { repositories: 'all', secrets: 'write' })
})
afterAll(async () => {
  await gh.close()
})

describe('the runs that may hold what a write replaced', () => {
  const written = (target: Target, at: Date, visibility?: string): Written[] => [
    { p: prepared(target, visibility), at }
  ]
  const app: Target = { kind: 'repository', owner: 'acme', repo: 'app' }

  it('counts runs queued by the write (to its second), never later ones, completed ones or its own', async () => {
    const at = new Date(Date.now() + 60_000)
    const before = run('acme/app', { createdAt: new Date(at.getTime() - 5_000).toISOString() })
    const sameSecond = run('acme/app', { createdAt: at.toISOString() })
    const later = run('acme/app', { createdAt: new Date(at.getTime() + 2_000).toISOString() })
    const done = run('acme/app', { createdAt: new Date(at.getTime() - 5_000).toISOString() })
    gh.setWorkflowRunStatus('acme/app', done, 'completed', 'success')
    const own = run('acme/app', { createdAt: new Date(at.getTime() - 5_000).toISOString() })
    const found = await runs(TOKEN, String(own)).holding(written(app, at))
    expect(ids(found)).toEqual([before, sameSecond].sort())
    expect(ids(found)).not.toContain(later)
    for (const id of [before, sameSecond, later, own])
      gh.setWorkflowRunStatus('acme/app', id, 'completed', 'success')
  })

  it.each([
    ['all', ['acme/app', 'acme/site', 'acme/tool']],
    ['private', ['acme/app', 'acme/tool']]
  ])(
    'an organization secret visible to %s repositories: the runs of each',
    async (visibility, readers) => {
      const at = new Date(Date.now() + 60_000)
      const created = new Date(at.getTime() - 5_000).toISOString()
      const byRepo = Object.fromEntries(
        ['acme/app', 'acme/site', 'acme/tool'].map((r) => [r, run(r, { createdAt: created })])
      )
      const org: Target = { kind: 'organization', org: 'acme' }
      const found = await runs().holding(written(org, at, visibility))
      expect(ids(found)).toEqual(readers.map((r) => byRepo[r]!).sort())
      for (const [r, id] of Object.entries(byRepo))
        gh.setWorkflowRunStatus(r, id, 'completed', 'success')
    }
  )

  it('an environment: only runs with a job running that started by the write', async () => {
    const env: Target = { kind: 'environment', owner: 'acme', repo: 'app', environment: 'prod' }
    const started = run('acme/app', { jobs: [{ name: 'deploy' }] })
    gh.startJob('acme/app', started, 'deploy')
    const queued = run('acme/app', { jobs: [{ name: 'deploy' }] })
    await new Promise((r) => setTimeout(r, 1100))
    const found = await runs().holding(written(env, new Date()))
    expect(ids(found)).toEqual([started])
    expect('runs' in found && found.runs[0]?.environment).toBe(true)
    for (const id of [started, queued])
      gh.setWorkflowRunStatus('acme/app', id, 'completed', 'success')
  })

  it('says which still run; a re-run attempt counts as the held attempt ended', async () => {
    const id = run('acme/app')
    const other = run('acme/app')
    const r = runs()
    const found = await r.holding(written(app, new Date(Date.now() + 5_000)))
    const held = 'runs' in found ? found.runs.filter((h) => h.id === id || h.id === other) : []
    gh.setWorkflowRunStatus('acme/app', other, 'completed', 'success')
    gh.addWorkflowRun('acme/app', { id, status: 'queued', runAttempt: 2 })
    expect(await r.running(held)).toEqual({ runs: [] })
    gh.setWorkflowRunStatus('acme/app', id, 'completed', 'success')
  })
})

describe('before any change: may the token list the runs?', () => {
  it("a token without 'Actions: Read' is named with the repositories and the way out", async () => {
    const targets: Target[] = [
      { kind: 'repository', owner: 'acme', repo: 'app' },
      { kind: 'repository', owner: 'acme', repo: 'tool' }
    ]
    const blocked = await runs(NO_ACTIONS).check(targets, Promise.resolve([]))
    expect(blocked).toEqual({ kind: 'denied', repositories: ['acme/app', 'acme/tool'] })
    const missing = runsBlockedWords(blocked!)
    expect(missing).toContain('cannot list the workflow runs of acme/app, acme/tool')
    expect(missing).toContain("'Actions: Read'")
    expect(missing).toContain("'in-flight-runs: ignore'")
    expect(await runs().check(targets, Promise.resolve([]))).toBeUndefined()
  })

  it('a listing GitHub refuses is never read as "no runs": the caller is told it cannot tell', async () => {
    const found = await runs(NO_ACTIONS).holding([
      { p: prepared({ kind: 'repository', owner: 'acme', repo: 'app' }), at: new Date() }
    ])
    expect(found).toMatchObject({ unknown: { kind: 'refused' } })
    const unknown = 'unknown' in found ? runsUnknownWords(found.unknown) : ''
    expect(unknown).toMatch(/^GitHub refused a listing \(403: .*'Actions: Read'/)
  })
})
