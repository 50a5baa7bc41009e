/**
 * The run's connections to GitHub, and the fetch every client sends through.
 *
 * The same fetch as the Actions toolkit's (undici's, as `@actions/github` builds it), with a
 * dispatcher of our own when no proxy is configured: undici's Agent, whose connector can be handed
 * connections opened ahead of need. The drain's listings go 5 at a time right after the last
 * write, when a run has kept only the one or two connections its earlier reads and writes used:
 * without warming, three of them would each wait for a TCP and TLS handshake on the chain.
 * `warm(n)` opens, before they are needed, as many more as make `n`.
 *
 * Behind a proxy (`https_proxy`, honoured as the toolkit honours it) the toolkit's own fetch and
 * proxy dispatcher are used as they are, without warming.
 */
import { getProxyUrl } from '@actions/http-client'
import { defaults } from '@actions/github/lib/utils'
import type { Socket } from 'node:net'
import { Agent, buildConnector, fetch as undiciFetch } from 'undici'
import { WarmShelf } from '../warm-shelf.js'

const baseUrl = new URL(defaults.baseUrl ?? 'https://api.github.com')
const proxied = getProxyUrl(baseUrl.href) !== ''
const connect = buildConnector({})
type ConnectOptions = Parameters<typeof connect>[0]

const keyOf = (o: { protocol: string; hostname: string; port: string | number }): string =>
  `${o.protocol}//${o.hostname}:${Number(o.port) || (o.protocol === 'https:' ? 443 : 80)}`

/** Connections opened and not closed, per origin, and how many `warm` is opening; warmed ones not taken. */
const open = new Map<string, Set<Socket>>()
const opening = new Map<string, number>()
const shelf = new WarmShelf()

function track(key: string, socket: Socket): void {
  const set = open.get(key) ?? new Set<Socket>()
  open.set(key, set)
  set.add(socket)
  socket.once('close', () => set.delete(socket))
}

/** undici's own connector, given first the warmed connections that are still fresh. */
const agent = new Agent({
  connect: (options: ConnectOptions, callback) => {
    const key = keyOf(options)
    const warmed = shelf.take(key)
    if (warmed) return callback(null, warmed)
    connect(options, (...answer) => {
      if (answer[1]) track(key, answer[1])
      callback(...answer)
    })
  }
})

/**
 * Open connections to GitHub until `count` are open (in use, idle or warmed): for requests about
 * to go out side by side. Never fails: a connection that cannot be opened is the request's to
 * open, and to fail on, as usual.
 */
export function warm(count: number): void {
  if (proxied) return
  const key = keyOf(baseUrl)
  const missing = count - (open.get(key)?.size ?? 0) - (opening.get(key) ?? 0)
  const options: ConnectOptions = {
    protocol: baseUrl.protocol,
    hostname: baseUrl.hostname,
    host: baseUrl.host,
    port: baseUrl.port,
    servername: baseUrl.hostname
  }
  for (let i = 0; i < missing; i++) {
    opening.set(key, (opening.get(key) ?? 0) + 1)
    connect(options, (error, socket) => {
      opening.set(key, (opening.get(key) ?? 1) - 1)
      if (error || !socket) return
      track(key, socket)
      shelf.put(key, socket)
    })
  }
}

/** The fetch GitHub's clients send through (before their time-out is added). */
export const githubFetch: typeof fetch = proxied
  ? (defaults.request?.fetch as typeof fetch)
  : (input, init) =>
      undiciFetch(input as Parameters<typeof undiciFetch>[0], {
        ...(init as Parameters<typeof undiciFetch>[1]),
        dispatcher: agent
      }) as unknown as Promise<Response>

/**
 * Close every GitHub connection of the run, warmed ones not yet taken included; requests after it
 * fail. Idle connections never hold the process open, so a run need not call it.
 */
export async function closeConnections(): Promise<void> {
  shelf.clear()
  if (!agent.destroyed) await agent.destroy()
}
