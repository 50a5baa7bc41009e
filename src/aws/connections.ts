/**
 * The run's connections to AWS: one kept-alive pool for every client, and connections opened
 * ahead of the first requests that need them.
 *
 * One pool: each SDK client would otherwise keep its own, so the admin's STS client could not
 * reuse the connection the role's assumption opened, and the new key's client would open one per
 * verification attempt, each a TCP and TLS handshake on the chain. Clients are therefore never
 * destroyed one by one (that closes the shared agents); `closeConnections` ends them all.
 *
 * Ahead of time: while GitHub's token is on its way, nothing can be sent to AWS (no credentials
 * yet), but the connections the first calls will need can be opened. `warm` opens them with the
 * agent's own `createConnection` (Node's documented hook for custom agents), and the agent hands
 * each to the first request that would have opened one. A warmed connection is only ever an
 * ordinary new connection opened earlier: one not taken within `FRESH_MS` (warm-shelf.ts), or
 * closed meanwhile, is dropped and the request opens its own.
 */
import { GetUserCommand, type IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, type STSClient } from '@aws-sdk/client-sts'
import { getEndpointFromInstructions } from '@smithy/core/endpoints'
import { Agent as HttpAgent } from 'node:http'
import { Agent as HttpsAgent } from 'node:https'
import type { Socket } from 'node:net'
import { WarmShelf } from '../warm-shelf.js'

interface Warming {
  warm(url: URL, count: number): void
  dropWarm(): void
}

type ConnectionOptions = { host?: string | null; port?: number | string | null }
type Create = (options: ConnectionOptions, cb?: unknown) => Socket | undefined

/** `Base` with connections opened ahead of need, taken first by the requests that need one. */
function warming(Base: typeof HttpAgent, defaultPort: number) {
  // Node's agents take (options) and return a socket; the typings declare it loosely.
  return class extends Base implements Warming {
    private readonly shelf = new WarmShelf()

    warm(url: URL, count: number): void {
      const host = url.hostname
      const port = Number(url.port) || defaultPort
      const create = super.createConnection.bind(this) as unknown as Create
      // As the agent itself would call it: its own options, then where to.
      const own = (this as unknown as { options: object }).options
      for (let i = 0; i < count; i++) {
        const tls = defaultPort === 443 ? { servername: host } : {}
        const socket = create({ ...own, host, port, ...tls })
        if (socket) this.shelf.put(`${host}:${port}`, socket)
      }
    }

    override createConnection(options: ConnectionOptions, cb?: unknown): Socket {
      const origin = `${options.host ?? ''}:${Number(options.port) || defaultPort}`
      const warmed = this.shelf.take(origin)
      if (warmed) return warmed
      return (super.createConnection as unknown as Create).call(this, options, cb) as Socket
    }

    dropWarm(): void {
      this.shelf.clear()
    }
  }
}

const HttpWarming = warming(HttpAgent, 80)
const HttpsWarming = warming(HttpsAgent, 443)

/** The agents every AWS client is given (the SDK's own defaults: keep alive, 50 sockets a host). */
export const agents = {
  httpAgent: new HttpWarming({ keepAlive: true, maxSockets: 50 }),
  httpsAgent: new HttpsWarming({ keepAlive: true, maxSockets: 50 }) as unknown as HttpsAgent
}

/** Open `count` connections to `url` now, for the next requests there that need a new one. */
export function warm(url: URL, count: number): void {
  const agent = url.protocol === 'https:' ? agents.httpsAgent : agents.httpAgent
  ;(agent as unknown as Warming).warm(url, count)
}

/** Close every AWS connection of the run, warmed ones not yet taken included. */
export function closeConnections(): void {
  for (const agent of [agents.httpAgent, agents.httpsAgent]) {
    ;(agent as unknown as Warming).dropWarm()
    agent.destroy()
  }
}

/**
 * Open the connections the run's first session needs before its first requests can leave: two to
 * IAM (the plan reads the user and its keys side by side), and `toSts` to STS (a role's
 * assumption, whose connection the admin check then reuses; none when the admin check itself
 * leaves at once). The endpoints are the ones the SDK resolves for these clients,
 * `AWS_ENDPOINT_URL_*` included. Never fails: without it each request opens its own.
 */
export async function warmSession(iam: IAMClient, sts: STSClient, toSts = 1): Promise<void> {
  try {
    const [i, s] = await Promise.all([
      getEndpointFromInstructions({}, GetUserCommand, iam.config),
      getEndpointFromInstructions({}, GetCallerIdentityCommand, sts.config)
    ])
    if (toSts > 0) warm(s.url, toSts)
    warm(i.url, 2)
  } catch {
    // Only time is lost.
  }
}
