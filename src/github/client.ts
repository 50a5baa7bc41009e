/**
 * The Octokit clients every GitHub request goes through, built as the Actions toolkit builds them
 * (`@actions/github`: its REST methods, pagination and proxy support) plus retries for 5xx and
 * network errors (`@octokit/plugin-retry`), `@octokit/plugin-throttling`'s limiters, every rate
 * limit waited out with one pause per client (rate-limits.ts), the REST API version on every
 * request, and a timeout so a hung request is retried instead of stalling the run. With a GitHub
 * App, one installation client per account that owns targets, its token narrowed to those targets
 * and masked as it arrives (installation-auth.ts).
 */
import { getOctokit } from '@actions/github'
import { GitHub as Toolkit } from '@actions/github/lib/utils'
import type { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import { quickenBottleneck } from './bottleneck.js'
import { githubFetch } from './connections.js'
import { rateLimits, realClock, type Clock, type LimitMet } from './rate-limits.js'
import type { Target } from './targets.js'

/** How many times a rate-limited request is tried again inline before it fails. */
const RATE_LIMIT_RETRIES = 4
/**
 * Longest wait for a rate limit that a request sits out inline; beyond it the request fails and
 * the failure says how long GitHub asked to wait (`RateLimited`), for the rotation to decide.
 */
const MAX_RETRY_AFTER_SECONDS = 60
/** A GitHub request that has not answered by then is abandoned (and retried as a 5xx). */
export const GITHUB_TIMEOUT_MS = 15_000
/** Tries plugin-retry makes of a request that fails with a 5xx or no answer (its default). */
const SERVER_ERROR_TRIES = 4
/**
 * The longest one GitHub request can take at worst before it fails: every inline rate-limit
 * wait, and every try running into the time-out. A run's lease always covers a write's worst case.
 */
export const WORST_REQUEST_MS =
  RATE_LIMIT_RETRIES * MAX_RETRY_AFTER_SECONDS * 1000 + SERVER_ERROR_TRIES * GITHUB_TIMEOUT_MS
/** The REST API version the action is written against, sent on every request. */
export const API_VERSION = '2022-11-28'
/**
 * Statuses plugin-retry leaves alone: its defaults plus 429. It would retry a 429 one and four
 * seconds later whatever `retry-after` says; rate limits (429 and 403) are rate-limits.ts's,
 * which waits as long as GitHub asks.
 */
const DO_NOT_RETRY = [400, 401, 403, 404, 410, 422, 429, 451]

/**
 * Sends `X-GitHub-Api-Version` on every request, token minting included. Octokit's `request`
 * constructor option takes fetch settings, not headers: a version placed there is never sent.
 */
export function apiVersion(octokit: Octokit): void {
  octokit.hook.before('request', (options) => {
    options.headers['x-github-api-version'] = API_VERSION
  })
}

/**
 * Gives every request its own `request` options. Octokit merges a client's defaults shallowly
 * there, so every request shares the one `request` object (our fetch), and plugin-retry counts its
 * tries in it (`retryCount`): after one retried request, the next one's first retry waited
 * (n + 1)² s for n tries ago, 25 s where GitHub's 5xx got 1 s (measured against the emulator).
 */
export function ownRequestOptions(octokit: Octokit): void {
  // Replaced in place: every hook of one call holds the same options object (before-after-hook
  // binds it for each), so a copy passed on would not reach plugin-retry.
  octokit.hook.wrap('request', (request, options) => {
    options.request = { ...options.request }
    return request(options)
  })
}

import type { Clients, CommonOptions, GitHubClient } from './clients.js'
export type { ClientFor, Clients, CommonOptions, GitHubClient } from './clients.js'

/** How the clients authenticate: a token, or a GitHub App (the entry passes the inputs' choice). */
export type GitHubAuth = { token: string } | { appId: string; privateKey: string }

export interface ClientOptions {
  auth: GitHubAuth
  /** `GITHUB_API_URL`, as the runner sets it (GitHub Enterprise included). */
  baseUrl: string
  /** The clock rate-limit waits run on; the real one unless a test injects its own. */
  clock?: Clock
  /** Told of every rate limit a request meets, for the log. */
  limitMet: (m: LimitMet) => void
}

/** The toolkit's fetch (through the runner's proxy, if any; connections.ts), with a timeout. */
const timeoutFetch: typeof fetch = (input, init) =>
  githubFetch(input, {
    ...init,
    signal: init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(GITHUB_TIMEOUT_MS)])
      : AbortSignal.timeout(GITHUB_TIMEOUT_MS)
  })

/** The plugins and options every client of a run is built with, token or App. */
function foundation(options: Omit<ClientOptions, 'auth'>) {
  quickenBottleneck()
  // Registered last, so its hook is the outermost: a request waits out a pause before it takes
  // a place in plugin-throttling's limiters, and each retry goes through them and plugin-retry.
  const plugins = [
    retry,
    throttling,
    apiVersion,
    rateLimits({
      retries: RATE_LIMIT_RETRIES,
      maxWaitMs: MAX_RETRY_AFTER_SECONDS * 1000,
      clock: options.clock ?? realClock,
      met: options.limitMet
    }),
    // Last: the outermost hook, so each call starts with options of its own.
    ownRequestOptions
  ] as const
  // plugin-throttling would retry only the rate limits it recognises, each after a wait of its
  // own (a `retry-after: 0` becomes 60 s, a reset just past 0 s); rateLimits decides for all.
  const declined = () => false
  // The plugin's own write limiter spaces request starts a second apart whatever the count;
  // Secrets paces writes itself, only when there are many, so this one must not add a delay.
  const write = new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 })
  const common: CommonOptions = {
    baseUrl: options.baseUrl,
    userAgent: 'rotate-iam-key',
    request: { fetch: timeoutFetch },
    retry: { doNotRetry: DO_NOT_RETRY, retries: SERVER_ERROR_TRIES - 1 },
    throttle: { onRateLimit: declined, onSecondaryRateLimit: declined, write }
  }
  return { plugins, common }
}

/**
 * The one client of a token, for every repository it reaches: the failure issues' (the issues
 * token, whatever writes the secrets), and every client of a run that writes with a token.
 */
export function tokenClient(token: string, options: Omit<ClientOptions, 'auth'>): GitHubClient {
  const { plugins, common } = foundation(options)
  return getOctokit(token, common, ...plugins)
}

/** Build the client (token) or the per-account clients (GitHub App) for a run writing `targets`. */
export function createClients(options: ClientOptions, targets: Target[]): Clients {
  const { auth } = options
  if ('token' in auth) {
    const client = tokenClient(auth.token, options)
    const same = (): Promise<GitHubClient> => Promise.resolve(client)
    return { forTarget: same, forRuns: same, forDrain: same }
  }

  // The App's strategy (@octokit/auth-app, its JWT and OAuth code) is loaded only by a run that
  // authenticates as an App; a token run never pays for it at start-up.
  // getOctokit cannot take an auth strategy: it replaces any `auth` object with `token ${token}`.
  // The App's clients are the same class it builds, with the same plugins.
  const { plugins, common } = foundation(options)
  const GitHub = Toolkit.plugin(...plugins)
  const app = import('./app-clients.js').then((m) => m.appClients(GitHub, common, auth, targets))
  app.catch(() => undefined) // each caller awaits it: a failure to load is reported there
  return {
    forTarget: (target) => app.then((c) => c.forTarget(target)),
    forRuns: (o, repo) => app.then((c) => c.forRuns(o, repo)),
    forDrain: (o) => app.then((c) => c.forDrain(o))
  }
}
