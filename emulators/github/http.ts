/**
 * GitHub's response conventions: JSON with `charset=utf-8`, a request id, rate-limit headers and
 * the `{message, documentation_url, status}` error shape (status is a string on api.github.com).
 */
import { randomBytes } from 'node:crypto'
import type { Reply } from '../shared/server.js'

/** GitHub's answer to a write to an archived repository (403). */
export const ARCHIVED = 'Repository was archived so is read-only.'

/** API versions api.github.com accepts in `X-GitHub-Api-Version`. */
export const API_VERSIONS = ['2022-11-28', '2026-03-10']

/** The version GitHub serves a request that names none. */
export const DEFAULT_API_VERSION = '2022-11-28'

/** GitHub-like request id, e.g. `C6E2:3A5F0B:1B0F7E4:1C2D3A1:66A0B1C2`. */
export const requestId = (): string => {
  const hex = randomBytes(16).toString('hex').toUpperCase()
  return [
    hex.slice(0, 4),
    hex.slice(4, 10),
    hex.slice(10, 17),
    hex.slice(17, 24),
    hex.slice(24, 32)
  ].join(':')
}

/** Per-token primary rate limit (5,000 requests an hour for authenticated requests). */
export class PrimaryRateLimit {
  private readonly used = new Map<string, number>()
  private readonly reset = Math.floor(Date.now() / 1000) + 3600

  headers(principal: string, authenticated: boolean): Record<string, string> {
    const limit = authenticated ? 5000 : 60
    const used = (this.used.get(principal) ?? 0) + 1
    this.used.set(principal, used)
    return {
      'x-ratelimit-limit': String(limit),
      'x-ratelimit-remaining': String(Math.max(0, limit - used)),
      'x-ratelimit-reset': String(this.reset),
      'x-ratelimit-used': String(used),
      'x-ratelimit-resource': 'core'
    }
  }
}

export function json(status: number, body: unknown, headers: Record<string, string> = {}): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body)
  }
}

export function noContent(headers: Record<string, string> = {}): Reply {
  return { status: 204, headers }
}

export function error(
  status: number,
  message: string,
  documentationUrl = 'https://docs.github.com/rest',
  headers: Record<string, string> = {}
): Reply {
  return json(
    status,
    { message, documentation_url: documentationUrl, status: String(status) },
    headers
  )
}

/**
 * GitHub's guidance for content creation: mutating requests one at a time and at least a second
 * apart. When enabled, a PUT/POST/PATCH/DELETE that arrives while another is in flight, or sooner
 * than `minIntervalMs` after the previous one finished, gets the secondary-rate-limit 403.
 */
export class SecondaryRateLimit {
  /** When each principal's last accepted mutating request finishes (ms since epoch). */
  private readonly lastEnd = new Map<string, number>()

  constructor(
    private readonly minIntervalMs: number,
    private readonly latencyMs: () => number
  ) {}

  /** Returns the retry-after seconds when the request must be refused, else records it. */
  check(principal: string, method: string): number | undefined {
    if (!['PUT', 'POST', 'PATCH', 'DELETE'].includes(method)) return undefined
    const now = Date.now()
    const earliest = (this.lastEnd.get(principal) ?? -Infinity) + this.minIntervalMs
    if (now < earliest) return Math.max(1, Math.ceil((earliest - now) / 1000))
    // the shared server adds its latency after the handler, so the request stays in flight until then
    this.lastEnd.set(principal, now + this.latencyMs())
    return undefined
  }
}

/** The "same rules on a shorter clock": GitHub's content-creation limits, configurable. */
export interface SecondaryLimits {
  /** Content-creating requests (POST, PUT, PATCH, DELETE) a credential may make per minute; GitHub's is 80. */
  perMinute?: number
  /** The same, per hour; GitHub's is 500. */
  perHour?: number
  /** How many times faster the clock runs: 60 makes a "minute" last one second. Default 1. */
  timeScale?: number
  /** GitHub answers a secondary limit with 403 or 429; default 403. */
  status?: 403 | 429
}

const MUTATING = ['PUT', 'POST', 'PATCH', 'DELETE']

/**
 * GitHub's limits on content creation: no more than `perMinute` content-creating requests a
 * minute and `perHour` an hour, per credential, in sliding windows. A refused request is not
 * counted. The answer says when the oldest counted request leaves the full window.
 */
export class ContentLimits {
  /** When each credential's accepted content-creating requests arrived, oldest first. */
  private readonly sent = new Map<string, number[]>()
  private readonly windows: { ms: number; limit: number }[]

  constructor(readonly options: SecondaryLimits) {
    const scale = options.timeScale ?? 1
    this.windows = [
      { ms: 60_000 / scale, limit: options.perMinute ?? 80 },
      { ms: 3_600_000 / scale, limit: options.perHour ?? 500 }
    ]
  }

  /** How long (ms) `principal` must wait when this request is refused; else records it. */
  check(principal: string, method: string, now = Date.now()): number | undefined {
    if (!MUTATING.includes(method)) return undefined
    const longest = Math.max(...this.windows.map((w) => w.ms))
    const times = (this.sent.get(principal) ?? []).filter((t) => t > now - longest)
    let wait = 0
    for (const { ms, limit } of this.windows) {
      const inWindow = times.filter((t) => t > now - ms)
      if (inWindow.length >= limit)
        wait = Math.max(wait, (inWindow[inWindow.length - limit] ?? now) + ms - now)
    }
    if (wait > 0) {
      this.sent.set(principal, times)
      return wait
    }
    this.sent.set(principal, [...times, now])
    return undefined
  }
}

/** GitHub's answer to a request over a secondary limit: `retry-after` and, optionally, the reset. */
export function secondaryRateLimited(
  retryAfter: number,
  id: string,
  options: { status?: 403 | 429; reset?: number } = {}
): Reply {
  return error(
    options.status ?? 403,
    `You have exceeded a secondary rate limit. Please wait a few minutes before you try again. If you reach out to GitHub Support for help, please include the request ID ${id}.`,
    'https://docs.github.com/rest/using-the-rest-api/rate-limits-for-the-rest-api#about-secondary-rate-limits',
    {
      'retry-after': String(retryAfter),
      ...(options.reset === undefined ? {} : { 'x-ratelimit-reset': String(options.reset) })
    }
  )
}
