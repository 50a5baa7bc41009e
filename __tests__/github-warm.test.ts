/**
 * GitHub's first connections (src/github/warm.ts) when they cannot be opened: warming never fails
 * and never keeps the process waiting; a connection that was refused is not handed to a request.
 * `GITHUB_API_URL` names a port nothing listens on, set before the module loads, as a runner sets
 * it before the action starts.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer } from 'node:net'

let warm: typeof import('../src/github/warm.js')
const saved = process.env.GITHUB_API_URL

beforeAll(async () => {
  // A port that was free a moment ago: connecting to it is refused.
  const server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as { port: number }
  await new Promise((resolve) => server.close(resolve))
  process.env.GITHUB_API_URL = `http://127.0.0.1:${port}`
  warm = await import('../src/github/warm.js')
})
afterAll(() => {
  process.env.GITHUB_API_URL = saved
})

describe('GitHub connections warmed where nothing answers', () => {
  it('opens nothing usable, throws nothing, and leaves the next warm free to try again', async () => {
    expect(warm.proxied).toBe(false)
    const origin = warm.keyOf(warm.apiUrl)
    expect(() => warm.warmFirstReads(1)).not.toThrow()
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(warm.shelf.take(origin)).toBeUndefined()
    // The refused attempts no longer count as being opened: warming again tries again.
    let attempts = 0
    const server = createServer((socket) => {
      attempts++
      socket.destroy()
    })
    await new Promise<void>((resolve) =>
      server.listen(Number(warm.apiUrl.port), '127.0.0.1', resolve)
    )
    try {
      warm.warm(2)
      for (let i = 0; i < 100 && attempts < 2; i++) await new Promise((r) => setTimeout(r, 5))
      expect(attempts).toBe(2)
    } finally {
      await new Promise((resolve) => server.close(resolve))
    }
  })
})
