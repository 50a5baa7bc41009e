/**
 * The Octokit client every GitHub request goes through: retries for 5xx and network errors
 * (`@octokit/plugin-retry`), both rate-limit kinds absorbed with GitHub's `retry-after`
 * (`@octokit/plugin-throttling`), and mutating requests one at a time.
 */
import * as core from '@actions/core'
import { Octokit } from '@octokit/core'
import { retry } from '@octokit/plugin-retry'
import { throttling } from '@octokit/plugin-throttling'
import Bottleneck from 'bottleneck/light.js'

/** How many times a rate-limited request is tried again before the run gives up on it. */
const RATE_LIMIT_RETRIES = 4
/** Longest `retry-after` the run waits out; beyond it, failing with a clear message is kinder. */
const MAX_RETRY_AFTER_SECONDS = 300

export const GitHub = Octokit.plugin(retry, throttling)
export type GitHubClient = InstanceType<typeof GitHub>

export interface ClientOptions {
  token: string
  /** `GITHUB_API_URL`, as the runner sets it (GitHub Enterprise included). */
  baseUrl: string
  /**
   * Milliseconds between mutating requests. GitHub asks for at least a second between them when
   * a client makes many; a rotation that writes a handful of secrets pays nothing.
   */
  writeIntervalMs: number
}

/** Build the client. Writes always go one at a time; `writeIntervalMs` paces them. */
export function createClient(options: ClientOptions): GitHubClient {
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
  return new GitHub({
    auth: options.token,
    baseUrl: options.baseUrl,
    userAgent: 'rotate-iam-key',
    request: { headers: { 'x-github-api-version': '2022-11-28' } },
    throttle: {
      onRateLimit: retryOn('primary'),
      onSecondaryRateLimit: retryOn('secondary'),
      write: new Bottleneck.Group({ maxConcurrent: 1, minTime: options.writeIntervalMs })
    }
  })
}
