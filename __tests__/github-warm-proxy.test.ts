/**
 * Behind a proxy (`http_proxy` for an http API URL, `https_proxy` for https, as the toolkit reads
 * them) GitHub's requests go through the toolkit's proxy dispatcher, which warmed connections
 * would bypass: src/github/warm.ts opens none. Set before the module loads, as a runner sets them.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, type Server } from 'node:net'
import { networkInterfaces } from 'node:os'

let warm: typeof import('../src/github/warm.js')
let server: Server
let connections = 0
const saved = { api: process.env.GITHUB_API_URL, proxy: process.env.http_proxy }

/** This machine's own address, not a loopback one: the toolkit never proxies loopback. */
const own = Object.values(networkInterfaces())
  .flat()
  .find((i) => i && !i.internal && i.family === 'IPv4')?.address

beforeAll(async () => {
  if (!own) throw new Error('this test needs a network interface with an IPv4 address')
  server = createServer((socket) => {
    connections++
    socket.destroy()
  })
  await new Promise<void>((resolve) => server.listen(0, own, resolve))
  const { port } = server.address() as { port: number }
  process.env.GITHUB_API_URL = `http://${own}:${port}`
  process.env.http_proxy = 'http://proxy.example:3128'
  warm = await import('../src/github/warm.js')
})
afterAll(async () => {
  for (const [name, value] of [
    ['GITHUB_API_URL', saved.api],
    ['http_proxy', saved.proxy]
  ] as const) {
    if (value === undefined) delete process.env[name]
    else process.env[name] = value
  }
  await new Promise((resolve) => server.close(resolve))
})

describe('GitHub connections behind a proxy', () => {
  it('warms none', async () => {
    expect(warm.proxied).toBe(true)
    warm.warmFirstReads(2)
    warm.warm(5)
    await new Promise((resolve) => setTimeout(resolve, 100))
    expect(connections).toBe(0)
  })

  it('would have connected there: the address is reachable', async () => {
    const { connect } = await import('node:net')
    const socket = connect(Number(new URL(process.env.GITHUB_API_URL ?? '').port), own)
    await new Promise((resolve) => socket.once('close', resolve))
    expect(connections).toBe(1)
  })
})
