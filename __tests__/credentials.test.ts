import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import { get } from 'node:http'
import { Worker } from 'node:worker_threads'
import { assumeRoleWithOidc, NoOidcToken } from '../src/aws/credentials.js'
import { oidcToken, SEND_WAIT_MS, startOidcToken, TokenTimeout } from '../src/aws/oidc-token.js'
import { errorWords } from '../src/report/error.js'

/** A token service that fails with the given errors first, then answers. */
function service(...failures: string[]) {
  const calls: string[] = []
  const get = (audience: string): Promise<string> => {
    calls.push(audience)
    const failure = failures.shift()
    return failure ? Promise.reject(new Error(failure)) : Promise.resolve('jwt')
  }
  return { get, calls }
}
const noWait = (): Promise<void> => Promise.resolve()

describe('oidcToken', () => {
  it('tries again after throttling, 5xx and network errors', async () => {
    const s = service(
      'Failed to get ID Token. \n Error Code : 429\n Error Message: Too Many Requests',
      'Failed to get ID Token. \n Error Code : 500\n Error Message: boom',
      'connect ECONNRESET'
    )
    await expect(oidcToken('sts.amazonaws.com', s.get, noWait)).resolves.toBe('jwt')
    expect(s.calls).toHaveLength(4)
  })

  it('says how long a try that timed out waited', () => {
    const cause = new TokenTimeout(10)
    expect(errorWords(new NoOidcToken({ cause }))).toMatch(
      /^Could not get GitHub's OIDC token \(no answer within 10 s\)\. Give the job/
    )
  })

  it('gives up after four tries', async () => {
    const s = service(...Array.from({ length: 5 }, () => 'Error Code : 503'))
    await expect(oidcToken('aud', s.get, noWait)).rejects.toThrow('503')
    expect(s.calls).toHaveLength(4)
  })

  it.each([
    'Failed to get ID Token. \n Error Code : 401\n Error Message: Unauthorized',
    'Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'
  ])('does not retry what retrying cannot fix: %s', async (failure) => {
    const s = service(failure)
    await expect(oidcToken('aud', s.get, noWait)).rejects.toThrow(failure.slice(0, 20))
    expect(s.calls).toHaveLength(1)
  })
})

describe('startOidcToken', () => {
  // A token service on another thread, so it sees a request arrive while this thread is busy.
  // It answers 300 ms after a request arrives and posts when that was.
  let service: Worker
  let url = ''
  const arrivals: number[] = []
  beforeAll(async () => {
    service = new Worker(
      `const { createServer } = require('node:http')
       const { parentPort } = require('node:worker_threads')
       const server = createServer((req, res) => {
         parentPort.postMessage({ arrived: Date.now() })
         setTimeout(() => res.end('jwt'), 300)
       })
       server.listen(0, '127.0.0.1', () => parentPort.postMessage({ port: server.address().port }))`,
      { eval: true }
    )
    service.on('message', (m: { arrived?: number }) => m.arrived && arrivals.push(m.arrived))
    const port = await new Promise<number>((resolve) =>
      service.on('message', (m: { port?: number }) => m.port && resolve(m.port))
    )
    url = `http://127.0.0.1:${port}/token`
  })
  afterAll(() => service.terminate())

  /** getIDToken's shape: one GET with node:http, as @actions/core's client makes it. */
  const fetchToken = (): Promise<string> =>
    new Promise((resolve, reject) => {
      get(url, { agent: false }, (res) => {
        let body = ''
        res.on('data', (d: Buffer) => (body += d.toString()))
        res.on('end', () => resolve(body))
      }).on('error', reject)
    })

  it('says the request has left once it is on the wire, long before the answer', async () => {
    const started = Date.now()
    const early = startOidcToken('sts.amazonaws.com', fetchToken)
    await early.sent
    const sentAt = Date.now()
    // Block the thread as loading the bundle would: the request has left, so the service still
    // receives it meanwhile.
    while (Date.now() - sentAt < 150) {
      /* busy, like compiling a chunk */
    }
    await expect(early.token).resolves.toBe('jwt')
    expect(sentAt - started).toBeLessThan(SEND_WAIT_MS)
    expect(arrivals).toHaveLength(1)
    expect(arrivals[0]).toBeLessThan(sentAt + 100)
  })

  it('does not wait for a request that failed before leaving', async () => {
    const started = Date.now()
    const early = startOidcToken('aud', () =>
      Promise.reject(new Error('Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'))
    )
    await early.sent
    expect(Date.now() - started).toBeLessThan(SEND_WAIT_MS)
    await expect(early.token).rejects.toThrow('ACTIONS_ID_TOKEN_REQUEST_URL')
  })

  it('stops waiting after a while for a request that never shows', async () => {
    const started = Date.now()
    const late = (): Promise<string> =>
      new Promise((r) => setTimeout(() => r('jwt'), SEND_WAIT_MS + 100))
    const early = startOidcToken('aud', late)
    await early.sent
    expect(Date.now() - started).toBeGreaterThanOrEqual(SEND_WAIT_MS - 5)
    expect(Date.now() - started).toBeLessThan(SEND_WAIT_MS + 100)
    await expect(early.token).resolves.toBe('jwt')
  })
})

describe('assumeRoleWithOidc', () => {
  const role = {
    arn: 'arn:aws:iam::123456789012:role/rotate',
    audience: 'sts.amazonaws.com',
    sessionName: 'rotate-iam-key',
    durationSeconds: 900
  }

  it('uses the token requested at start-up once, and asks anew after it failed', async () => {
    const asked: string[] = []
    const provider = assumeRoleWithOidc(
      role,
      'us-east-1',
      Promise.reject(new Error('Failed to get ID Token. Error Code : 403')),
      (audience) => {
        asked.push(audience)
        return Promise.reject(new Error('no id-token permission (ACTIONS_ID_TOKEN_REQUEST_URL)'))
      }
    )
    await expect(provider().catch(errorWords)).resolves.toBe(
      "Could not get GitHub's OIDC token (Failed to get ID Token. Error Code : 403). Give the job 'permissions: id-token: write', or leave 'role-to-assume' empty to use credentials from the environment."
    )
    expect(asked).toEqual([])
    await expect(provider().catch(errorWords)).resolves.toMatch(
      /^Could not get GitHub's OIDC token \(no id-token permission \(ACTIONS_ID_TOKEN_REQUEST_URL\)\)\. /
    )
    expect(asked).toEqual(['sts.amazonaws.com'])
  })
})
