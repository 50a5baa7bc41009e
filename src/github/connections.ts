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
import { defaults } from '@actions/github/lib/utils'
import { Agent, buildConnector, fetch as undiciFetch } from 'undici'
import { keyOf, proxied, shelf, track } from './warm.js'

export { warm } from './warm.js'

const connect = buildConnector({})
type ConnectOptions = Parameters<typeof connect>[0]

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
