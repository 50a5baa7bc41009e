/**
 * Connections to GitHub opened ahead of need, and the count of those open: the light half of
 * connections.ts (Node's own `net` and `tls`, and the toolkit's proxy rule), so that the entry can
 * load it while GitHub's OIDC token is on its way, without loading undici and Octokit.
 *
 * Why ahead: through a real network each new connection costs a TCP and a TLS handshake, two round
 * trips before its first request. The run's first GitHub reads (each target's public key, each
 * repository's probe of its runs) go out once the rest of the action has loaded, beside the
 * plan's IAM reads, and the first change waits for them: opened on the spot, their handshakes
 * put GitHub's two round trips on the chain. Opened while the token is awaited, they are ready.
 *
 * A connection is opened as undici's own connector opens one (connections.ts hands them to it):
 * TLS with the host's name and HTTP/1.1 by ALPN, no delay, kept alive. Behind a proxy
 * (`https_proxy`, honoured as the toolkit honours it) nothing is warmed.
 */
import { getProxyUrl } from '@actions/http-client/lib/proxy'
import { connect as tcp, type Socket } from 'node:net'
import { connect as tls } from 'node:tls'
import { WarmShelf } from '../warm-shelf.js'
import { READ_CONCURRENCY } from './reads.js'

/** `GITHUB_API_URL`, as the runner sets it and `@actions/github` reads it. */
export const apiUrl = new URL(process.env.GITHUB_API_URL || 'https://api.github.com')
/** Whether GitHub is reached through a proxy: then the toolkit's own fetch is used, unwarmed. */
export const proxied = getProxyUrl(apiUrl) !== undefined

type Origin = { protocol: string; hostname: string; port: string | number }

/** The port of an origin, its scheme's when the URL names none. */
const portOf = (o: Origin): number => Number(o.port) || (o.protocol === 'https:' ? 443 : 80)

/** An origin as connections are keyed: `https://host:443`. */
export const keyOf = (o: Origin): string => `${o.protocol}//${o.hostname}:${portOf(o)}`

/** Warmed connections not taken yet, for connections.ts's connector. */
export const shelf = new WarmShelf()
/** Connections open (in use, idle or warmed), and how many `warm` is opening, per origin. */
const open = new Map<string, Set<Socket>>()
const opening = new Map<string, number>()

/** Count `socket` as open to `key` until it closes. */
export function track(key: string, socket: Socket): void {
  const set = open.get(key) ?? new Set<Socket>()
  open.set(key, set)
  set.add(socket)
  socket.once('close', () => set.delete(socket))
}

/** A new connection to `url`'s host, and the event that says it is ready for a request. */
function dial(url: URL): { socket: Socket; ready: string } {
  const port = portOf(url)
  const socket =
    url.protocol === 'https:'
      ? tls({ host: url.hostname, port, servername: url.hostname, ALPNProtocols: ['http/1.1'] })
      : tcp({ host: url.hostname, port })
  socket.setNoDelay(true)
  socket.setKeepAlive(true, 60_000)
  return { socket, ready: url.protocol === 'https:' ? 'secureConnect' : 'connect' }
}

/**
 * Open connections to GitHub until `count` are open (in use, idle or warmed): for requests about
 * to go out side by side. Never fails: a connection that cannot be opened is the request's to
 * open, and to fail on, as usual.
 */
export function warm(count: number): void {
  if (proxied) return
  const key = keyOf(apiUrl)
  const missing = count - (open.get(key)?.size ?? 0) - (opening.get(key) ?? 0)
  for (let i = 0; i < missing; i++) {
    opening.set(key, (opening.get(key) ?? 0) + 1)
    const { socket, ready } = dial(apiUrl)
    const settle = (ok: boolean): void => {
      opening.set(key, (opening.get(key) ?? 1) - 1)
      if (!ok) return void socket.destroy()
      track(key, socket)
      shelf.put(key, socket)
    }
    socket.once(ready, () => {
      socket.removeListener('error', failed)
      settle(true)
    })
    const failed = (): void => settle(false)
    socket.once('error', failed)
    // Until a request takes it, a connection being opened must not keep the process alive.
    socket.unref()
  }
}

/**
 * The first reads of a run writing `targets` targets go out side by side, up to the read pacing's
 * `READ_CONCURRENCY`: a target's public key, and the probe of its repository's runs.
 */
export function warmFirstReads(targets: number): void {
  warm(Math.min(READ_CONCURRENCY, 2 * targets))
}
