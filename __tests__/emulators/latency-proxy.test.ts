/**
 * The bench's network (emulators/shared/latency-proxy.ts): a request and its answer cost one round
 * trip on a kept-alive connection, and a new connection costs its handshake's round trips first.
 * Only lower bounds are asserted on time, which a loaded machine cannot break, plus that bytes
 * arrive whole and in order.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { createServer, Agent, request, type Server } from 'node:http'
import { performance } from 'node:perf_hooks'
import { startLatencyProxy, type LatencyProxy } from '../../emulators/shared/latency-proxy.js'

let server: Server
let target: string
const proxies: LatencyProxy[] = []

beforeAll(async () => {
  // Echoes the request's body: many chunks must come back whole and in order.
  server = createServer((req, res) => req.pipe(res))
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('no port')
  target = `http://127.0.0.1:${address.port}`
})
afterAll(async () => {
  await Promise.all(proxies.map((p) => p.close()))
  await new Promise((r) => server.close(r))
})

async function post(
  url: string,
  agent: Agent,
  body: string
): Promise<{ ms: number; body: string }> {
  const started = performance.now()
  return new Promise((resolve, reject) => {
    const req = request(url, { method: 'POST', agent }, (res) => {
      let text = ''
      res.on('data', (c: Buffer) => (text += c.toString()))
      res.on('end', () => resolve({ ms: performance.now() - started, body: text }))
    })
    req.on('error', reject)
    req.end(body)
  })
}

describe('latency proxy', () => {
  it('charges a new connection its handshake, then one round trip a request', async () => {
    const proxy = await startLatencyProxy(target, { rttMs: 40, handshakeRoundTrips: 1 })
    proxies.push(proxy)
    const agent = new Agent({ keepAlive: true, maxSockets: 1 })
    const first = await post(proxy.through(target), agent, 'a')
    const second = await post(proxy.through(target), agent, 'b')
    agent.destroy()
    expect(first.ms).toBeGreaterThanOrEqual(2 * 40 - 2)
    expect(second.ms).toBeGreaterThanOrEqual(40 - 2)
    expect(second.ms).toBeLessThan(first.ms)
    expect(proxy.connections).toHaveLength(1)
    expect(proxy.connections[0]?.firstByte).toBeGreaterThanOrEqual(
      (proxy.connections[0]?.opened ?? 0) + 40 + 20 - 2
    )
  })

  it('passes a large body whole and in order, both ways', async () => {
    const proxy = await startLatencyProxy(target, { rttMs: 10 })
    proxies.push(proxy)
    const agent = new Agent({ keepAlive: false })
    const body = Array.from({ length: 20_000 }, (_, i) => `${i},`).join('')
    const answer = await post(proxy.through(target), agent, body)
    expect(answer.body).toBe(body)
  })

  it('TLS 1.3 on top: two round trips before the first byte', async () => {
    const proxy = await startLatencyProxy(target, { rttMs: 30, handshakeRoundTrips: 2 })
    proxies.push(proxy)
    const agent = new Agent({ keepAlive: false })
    const first = await post(proxy.through(target), agent, 'x')
    expect(first.ms).toBeGreaterThanOrEqual(3 * 30 - 2)
  })
})
