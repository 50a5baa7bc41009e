/**
 * GitHub's connections (src/github/connections.ts): `warm(n)` opens connections until n are open,
 * and requests sent side by side take them instead of opening their own. Counted at a proxy in
 * front of the GitHub emulator; `GITHUB_API_URL` points at it before the module loads, as a
 * runner sets it before the action starts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { startGitHubEmulator, type GitHubEmulator } from '../emulators/github/index.js'
import { startLatencyProxy, type LatencyProxy } from '../emulators/shared/latency-proxy.js'
import { READ_CONCURRENCY } from '../src/github/reads.js'

let github: GitHubEmulator
let proxy: LatencyProxy
let connections: typeof import('../src/github/connections.js')
const saved = process.env.GITHUB_API_URL

beforeAll(async () => {
  github = await startGitHubEmulator()
  proxy = await startLatencyProxy(github.url, { rttMs: 0, handshakeRoundTrips: 0 })
  process.env.GITHUB_API_URL = proxy.through(github.url)
  connections = await import('../src/github/connections.js')
})
afterAll(async () => {
  process.env.GITHUB_API_URL = saved
  await connections.closeConnections()
  await proxy.close()
  await github.close()
})

const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(done()).toBe(true)
}

describe('GitHub connections', () => {
  it('requests side by side take the warmed connections; warming again opens none', async () => {
    connections.warm(5)
    await until(() => proxy.connections.length === 5)
    const url = `${proxy.through(github.url)}/repos/acme/app/actions/secrets/public-key`
    const answers = await Promise.all(
      Array.from({ length: 5 }, () => connections.githubFetch(url).then((r) => r.status))
    )
    expect(answers).toHaveLength(5)
    expect(proxy.connections).toHaveLength(5)
    expect(proxy.connections.every((c) => c.firstByte !== undefined)).toBe(true)
    // five are open (idle now): nothing more to open
    connections.warm(5)
    await new Promise((r) => setTimeout(r, 50))
    expect(proxy.connections).toHaveLength(5)
  })

  it('closes every connection, warmed ones not taken included', async () => {
    connections.warm(7)
    await until(() => proxy.connections.length === 7)
    await connections.closeConnections()
    await until(() => proxy.connections.every((c) => c.closed !== undefined))
  })

  it('warms for the first reads: two a target, as many as go out side by side at most', async () => {
    const { warmFirstReads } = await import('../src/github/warm.js')
    await until(() => proxy.connections.every((c) => c.closed !== undefined))
    const before = proxy.connections.length
    warmFirstReads(1) // one repository: its public key and the probe of its runs
    await until(() => proxy.connections.length === before + 2)
    warmFirstReads(40) // tops up to READ_CONCURRENCY: two more
    await until(() => proxy.connections.length === before + READ_CONCURRENCY)
    await new Promise((r) => setTimeout(r, 50))
    expect(proxy.connections).toHaveLength(before + READ_CONCURRENCY)
  })
})
