/**
 * GitHub's OIDC token, from the runner's token service. Its own module, apart from the AWS SDK:
 * the entry point requests it before the rest of the action has loaded.
 */
import * as core from '@actions/core'
import { subscribe, unsubscribe } from 'node:diagnostics_channel'
import type { ClientRequest } from 'node:http'

/** Tries and per-try time limit for the OIDC token: the runner's token service can blip or hang. */
const TOKEN_ATTEMPTS = 4
const TOKEN_TIMEOUT_MS = 10_000

/**
 * The token service did not answer within the per-try limit: the seconds waited, which
 * report/aws-words.ts says in words. Retried like a network error.
 */
export class TokenTimeout extends Error {
  override name = 'TokenTimeout'
  constructor(readonly seconds: number) {
    super('timeout')
  }
}

/**
 * GitHub's OIDC token, tried again on 429, 5xx, network errors and time-outs. `@actions/core`
 * retries only 502-504 and never times out, and the token service can be throttled or hang.
 */
export async function oidcToken(
  audience: string,
  getIdToken: (audience: string) => Promise<string>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let timer: NodeJS.Timeout | undefined
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new TokenTimeout(TOKEN_TIMEOUT_MS / 1000)),
          TOKEN_TIMEOUT_MS
        )
      })
      return await Promise.race([getIdToken(audience), timeout])
    } catch (error) {
      const message = (error as Error).message
      const code = Number(/Error Code : (\d+)/.exec(message)?.[1] ?? 0)
      const transient =
        code === 0 ? !/ACTIONS_ID_TOKEN_REQUEST/.test(message) : code === 429 || code >= 500
      if (!transient || attempt >= TOKEN_ATTEMPTS) throw error
      await sleep(1000 * 2 ** (attempt - 1))
    } finally {
      clearTimeout(timer)
    }
  }
}

/** Node's diagnostics channel for an HTTP client request that starts (`@actions/core` uses `node:http`). */
const REQUEST_START = 'http.client.request.start'
/** How long start-up waits for the token request to leave before loading the rest anyway. */
export const SEND_WAIT_MS = 200

/** The token request, started, and when it has left. */
export interface EarlyToken {
  token: Promise<string>
  /**
   * Resolves once the request has been handed to the OS (or has failed, or after
   * {@link SEND_WAIT_MS}): loading the rest of the action blocks the thread, and a request that
   * has not left by then would wait for it.
   */
  sent: Promise<void>
}

/**
 * Request the token for `audience` now, before the AWS SDK and Octokit have loaded, so their
 * loading (most of the start-up) overlaps the round trip. Reading a token changes nothing, and the
 * caller starts it only once every input has passed. A failure is reported where the token is
 * used (the credentials), not here.
 */
export function startOidcToken(
  audience: string,
  getIdToken: (audience: string) => Promise<string> = core.getIDToken
): EarlyToken {
  let done = (): void => undefined
  const left = new Promise<void>((resolve) => (done = resolve))
  // The first HTTP request to start from here on is this one: nothing else is in flight yet.
  const onStart = (message: unknown): void => {
    unsubscribe(REQUEST_START, onStart)
    const { request } = message as { request: ClientRequest }
    request.once('finish', done).once('close', done)
  }
  subscribe(REQUEST_START, onStart)
  const token = oidcToken(audience, getIdToken)
  token.catch(() => undefined) // awaited by the credentials; must not go unhandled meanwhile
  let timer: NodeJS.Timeout | undefined
  const cap = new Promise<void>((resolve) => (timer = setTimeout(resolve, SEND_WAIT_MS)))
  const sent = Promise.race([left, cap, token.then(noop, noop)]).finally(() => {
    unsubscribe(REQUEST_START, onStart)
    clearTimeout(timer)
  })
  return { token, sent }
}

const noop = (): void => undefined
