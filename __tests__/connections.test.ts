/**
 * The run's AWS connections (src/aws/connections.ts): every client shares one kept-alive pool,
 * and connections warmed ahead of the first calls are the ones those calls use. Counted at a
 * proxy in front of the AWS emulator, which sees every connection the SDK opens.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it, jest } from '@jest/globals'
import { GetUserCommand, IAMClient, ListAccessKeysCommand } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { clientConfig } from '../src/aws/config.js'
import { closeConnections, warm, warmSession } from '../src/aws/connections.js'
import { FRESH_MS } from '../src/warm-shelf.js'
import { startAwsEmulator, type AwsEmulator } from '../emulators/aws/index.js'
import { startLatencyProxy, type LatencyProxy } from '../emulators/shared/latency-proxy.js'

let aws: AwsEmulator
let proxies: LatencyProxy[] = []
let admin: { accessKeyId: string; secretAccessKey: string }

beforeAll(async () => {
  aws = await startAwsEmulator()
  admin = aws.createAdminUser('admin')
  aws.createUser('deploy')
})
afterEach(async () => {
  jest.restoreAllMocks()
  closeConnections()
  await Promise.all(proxies.map((p) => p.close()))
  proxies = []
})
afterAll(() => aws.close())

/** A fresh proxy in front of the emulator, so each test counts its own connections. */
async function proxy(): Promise<{ p: LatencyProxy; url: string }> {
  const p = await startLatencyProxy(aws.url, { rttMs: 0, handshakeRoundTrips: 0 })
  proxies.push(p)
  return { p, url: p.through(aws.url) }
}

const clients = (url: string) => ({
  iam: new IAMClient({ ...clientConfig('us-east-1'), endpoint: url, credentials: admin }),
  sts: new STSClient({ ...clientConfig('us-east-1'), endpoint: url, credentials: admin })
})

const until = async (done: () => boolean): Promise<void> => {
  for (let i = 0; i < 200 && !done(); i++) await new Promise((r) => setTimeout(r, 5))
  expect(done()).toBe(true)
}

describe('one pool for every AWS client', () => {
  it('a second client, and a client made for each call, reuse the first one’s connection', async () => {
    const { p, url } = await proxy()
    const { iam, sts } = clients(url)
    await sts.send(new GetCallerIdentityCommand({}))
    await iam.send(new GetUserCommand({ UserName: 'deploy' }))
    // as the verification does: a client of its own, with other credentials
    const other = new STSClient({
      ...clientConfig('us-east-1', 1),
      endpoint: url,
      credentials: admin
    })
    await other.send(new GetCallerIdentityCommand({}))
    expect(p.connections).toHaveLength(1)
  })
})

describe('warmed connections', () => {
  it('are the ones the first calls use: two side by side open nothing more', async () => {
    const { p, url } = await proxy()
    warm(new URL(url), 2)
    await until(() => p.connections.length === 2)
    const { iam } = clients(url)
    await Promise.all([
      iam.send(new GetUserCommand({ UserName: 'deploy' })),
      iam.send(new ListAccessKeysCommand({ UserName: 'deploy' }))
    ])
    expect(p.connections).toHaveLength(2)
    expect(p.connections.every((c) => c.firstByte !== undefined)).toBe(true)
  })

  it(`are not used once ${FRESH_MS} ms old: the call opens its own and succeeds`, async () => {
    const { p, url } = await proxy()
    warm(new URL(url), 1)
    await until(() => p.connections.length === 1)
    const now = Date.now()
    jest.spyOn(Date, 'now').mockReturnValue(now + FRESH_MS)
    const { sts } = clients(url)
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toHaveProperty('Arn')
    expect(p.connections).toHaveLength(2)
    expect(p.connections[0]?.firstByte).toBeUndefined()
    await until(() => p.connections[0]?.closed !== undefined)
  })

  it('are not used once closed by the other end: the call opens its own and succeeds', async () => {
    const { p, url } = await proxy()
    warm(new URL(url), 1)
    await until(() => p.connections.length === 1)
    p.drop() // as a server's idle timeout would
    await until(() => p.connections[0]?.closed !== undefined)
    // One attempt: a retry must not hide a request sent on the dead connection.
    const sts = new STSClient({
      ...clientConfig('us-east-1', 1),
      endpoint: url,
      credentials: admin
    })
    await expect(sts.send(new GetCallerIdentityCommand({}))).resolves.toHaveProperty('Arn')
    expect(p.connections).toHaveLength(2)
  })

  it('not taken are closed with the run’s connections', async () => {
    const { p, url } = await proxy()
    warm(new URL(url), 2)
    await until(() => p.connections.length === 2)
    closeConnections()
    await until(() => p.connections.every((c) => c.closed !== undefined))
  })

  it('warmSession opens one to STS and two to IAM, where the SDK resolves each endpoint', async () => {
    const iamSide = await proxy()
    const stsSide = await proxy()
    const iam = new IAMClient({ ...clientConfig('us-east-1'), endpoint: iamSide.url })
    const sts = new STSClient({ ...clientConfig('us-east-1'), endpoint: stsSide.url })
    await warmSession(iam, sts)
    await until(() => iamSide.p.connections.length === 2 && stsSide.p.connections.length === 1)
  })

  it('warmSession opens none to STS when asked for none (the admin check leaves at once)', async () => {
    const iamSide = await proxy()
    const stsSide = await proxy()
    const iam = new IAMClient({ ...clientConfig('us-east-1'), endpoint: iamSide.url })
    const sts = new STSClient({ ...clientConfig('us-east-1'), endpoint: stsSide.url })
    await warmSession(iam, sts, 0)
    await until(() => iamSide.p.connections.length === 2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(stsSide.p.connections).toHaveLength(0)
  })
})
