/**
 * The Octokit clients every GitHub request goes through: retries for 5xx and network errors
 * (`@octokit/plugin-retry`), both rate-limit kinds absorbed with GitHub's `retry-after`
 * (`@octokit/plugin-throttling`), and a timeout so a hung request is retried instead of stalling the run. With a GitHub App, one
 * installation client per account that owns targets, its token narrowed to those targets and
 * masked as it arrives (installation-auth.ts).
 */
import * as core from '@actions/core'
import { createAppAuth } from '@octokit/auth-app'
import { Octokit } from '@octokit/core'
import { paginateRest } from '@octokit/plugin-paginate-rest'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'
import type { GitHubAuth } from '../inputs.js'
import { installationAccess, runsAccess, type Access } from './access.js'
import { answered, reason } from './errors.js'
import { createInstallationAuth } from './installation-auth.js'
import { isOrganization, owner, type Target } from './targets.js'

/** How many times a rate-limited request is tried again before the run gives up on it. */
const RATE_LIMIT_RETRIES = 4
/** Longest `retry-after` the run waits out; beyond it, failing with a clear message is kinder. */
const MAX_RETRY_AFTER_SECONDS = 300
/** A GitHub request that has not answered by then is abandoned (and retried as a 5xx). */
export const GITHUB_TIMEOUT_MS = 15_000

export const GitHub = Octokit.plugin(retry, throttling, paginateRest)
export type GitHubClient = InstanceType<typeof GitHub>

/** The client that may write `target`'s secrets. */
export type ClientFor = (target: Target) => Promise<GitHubClient>

export interface ClientOptions {
  auth: GitHubAuth
  /** `GITHUB_API_URL`, as the runner sets it (GitHub Enterprise included). */
  baseUrl: string
}

const timeoutFetch: typeof fetch = (input, init) =>
  fetch(input, {
    ...init,
    signal: init?.signal
      ? AbortSignal.any([init.signal, AbortSignal.timeout(GITHUB_TIMEOUT_MS)])
      : AbortSignal.timeout(GITHUB_TIMEOUT_MS)
  })

/** The clients of a run. */
export interface Clients {
  /** The client that may write a target's secrets. */
  forTarget: ClientFor
  /** A client that may read `owner/repo`'s workflow runs, to see whether a lease holder ended. */
  forRuns: (owner: string, repo: string) => Promise<GitHubClient>
}

/** Build the client (token) or the per-account clients (GitHub App) for a run writing `targets`. */
export function createClients(options: ClientOptions, targets: Target[]): Clients {
  const retryOn =
    (kind: string) =>
    (retryAfter: number, request: { method: string; url: string }, _o: unknown, count: number) => {
      const again = count < RATE_LIMIT_RETRIES && retryAfter <= MAX_RETRY_AFTER_SECONDS
      core.warning(
        `GitHub ${kind} rate limit on ${request.method} ${request.url}: ` +
          (again ? `retrying after ${retryAfter} s` : 'giving up')
      )
      return again
    }
  // The plugin's own write limiter spaces request starts a second apart whatever the count;
  // Secrets paces writes itself, only when there are many, so this one must not add a delay.
  const write = new Bottleneck.Group({ maxConcurrent: 1, minTime: 0 })
  const common = {
    baseUrl: options.baseUrl,
    userAgent: 'rotate-iam-key',
    request: { headers: { 'x-github-api-version': '2022-11-28' }, fetch: timeoutFetch },
    throttle: { onRateLimit: retryOn('primary'), onSecondaryRateLimit: retryOn('secondary'), write }
  }
  const { auth } = options
  if ('token' in auth) {
    const client = new GitHub({ ...common, auth: auth.token })
    return { forTarget: () => Promise.resolve(client), forRuns: () => Promise.resolve(client) }
  }

  const app = new GitHub({ ...common, authStrategy: createAppAuth, auth })
  const installations = new Map<string, Promise<GitHubClient>>()
  // One client per token: per account for the targets, per repository for reading runs.
  const installed = (key: string, target: Target, access: Access): Promise<GitHubClient> => {
    let client = installations.get(key.toLowerCase())
    if (!client) {
      const account = owner(target)
      client = findInstallation(app, target).then(
        (installationId) =>
          new GitHub({
            ...common,
            authStrategy: createInstallationAuth,
            auth: { ...auth, installationId, account, ...access }
          })
      )
      installations.set(key.toLowerCase(), client)
    }
    return client
  }
  return {
    forTarget: (target) =>
      installed(owner(target), target, installationAccess(targets, owner(target))),
    forRuns: (o, repo) =>
      installed(`runs:${o}/${repo}`, { kind: 'repository', owner: o, repo }, runsAccess(repo))
  }
}

async function findInstallation(app: GitHubClient, target: Target): Promise<number> {
  try {
    const { data } = isOrganization(target)
      ? await app.request('GET /orgs/{org}/installation', { org: target.org })
      : await app.request('GET /repos/{owner}/{repo}/installation', {
          owner: target.owner,
          repo: target.repo
        })
    return data.id
  } catch (error) {
    const account = owner(target)
    // Only GitHub's answer is quoted: a local error (the JWT, a refused header) may hold a secret.
    throw new Error(
      answered(error) && (error as { status: number }).status === 404
        ? `The GitHub App is not installed on ${account} (or not on that repository): install it there with the permissions in docs/github-setup.md.`
        : `GitHub refused the App while looking up its installation on ${account} (${reason(error)}). Check 'app-id' and 'app-private-key'.`,
      { cause: error }
    )
  }
}
