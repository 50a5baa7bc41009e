/**
 * What a failed GitHub request may say in a message. GitHub's answers (status and message) are
 * safe to show; the text of a local error is not: Node's fetch quotes a header it refuses whole,
 * `Authorization: token …` included, so a token with a line break would land in the log, the job
 * summary and the `results` output.
 */
import { FactsError } from '../facts-error.js'
import type { Target } from './targets.js'

/** A request error as Octokit raises it: a `response` only when GitHub answered. */
interface RequestFailure {
  status?: number
  response?: unknown
  message?: string
  name?: string
  code?: unknown
  cause?: unknown
}

/** Whether GitHub answered the request (with an error status), as opposed to a local failure. */
export function answered(error: unknown): boolean {
  const e = error as RequestFailure | undefined
  return typeof e?.status === 'number' && e.response !== undefined
}

/** The causes of a local error, outermost first. */
function chain(error: unknown): RequestFailure[] {
  const found: RequestFailure[] = []
  for (let e = error as RequestFailure | undefined; e && found.length < 8;) {
    found.push(e)
    e = typeof e.cause === 'object' ? (e.cause as RequestFailure) : undefined
  }
  return found
}

/**
 * Whether a failed request certainly changed nothing: GitHub answered with a 4xx (a refusal:
 * permission, archived repository, validation) and did not act. No answer, a time-out or a 5xx
 * may have come after GitHub acted: the write may have landed, now or a little later.
 */
export function refusedForGood(error: unknown): boolean {
  const answer = chain(error).find(answered)
  return answer !== undefined && (answer.status as number) < 500
}

/** Whether a request failed because Node refused a header value, as for a token with a line break. */
export function isHeaderError(error: unknown): boolean {
  return chain(error).some((e) => /header/i.test(String(e.message ?? '')))
}

/**
 * Why a request failed, as facts that never quote a credential: GitHub's status and message when
 * it answered; for a local failure only what kind it was (a refused header, a timeout, a system
 * error code such as ECONNREFUSED), never its text. src/report/github-reason.ts says it.
 */
export type Reason =
  | { kind: 'answered'; status: number; message: string }
  | { kind: 'header' }
  | { kind: 'timeout' }
  | { kind: 'unanswered'; code?: string }

export function reason(error: unknown): Reason {
  const e = error as RequestFailure | undefined
  if (answered(error))
    return { kind: 'answered', status: e?.status as number, message: e?.message ?? '' }
  if (isHeaderError(error)) return { kind: 'header' }
  const causes = chain(error)
  if (causes.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError'))
    return { kind: 'timeout' }
  const code = causes.map((c) => c.code).find((c) => typeof c === 'string' && /^[A-Z_\d]+$/.test(c))
  return code ? { kind: 'unanswered', code: code as string } : { kind: 'unanswered' }
}

/** What a request was doing, as a code: src/report/github-doing.ts says it. */
export type Doing =
  | { doing: 'write'; secret: string }
  | { doing: 'updated'; secret: string }
  | { doing: 'public-key' }
  | { doing: 'visibility'; secret: string }
  | { doing: 'repository'; repository: string }
  | { doing: 'run'; run: string; repository: string }
  | { doing: 'runs' }
  | { doing: 'installation'; account: string }
  | { doing: 'mint'; account: string }

/** A request's step: what it was doing, and for which target when it was one. */
export interface Step {
  doing: Doing
  target?: Target
}

/** Why GitHub did not mint an installation token: the App lacks what was asked, or more. */
export interface MintFailure {
  account: string
  /** GitHub's status when it answered. */
  status?: number
  reason: Reason
  /** Repository names the token was limited to; undefined: every repository. */
  repositories?: string[]
  permissions: Record<string, string>
}

/** No installation token was minted: its facts say what was asked and what GitHub answered. */
export class AuthError extends FactsError<MintFailure> {
  override name = 'AuthError'
  constructor(mint: MintFailure, options?: ErrorOptions) {
    super(mint, 'unminted', options)
  }
}

/** What was rate-limited, for messages. */
export interface RateLimit {
  step: Step
  reason: Reason
  /** Steps the limit was met inside, innermost first (minting a token while writing a secret). */
  within?: Step[]
}

/** GitHub refused for a rate limit; `waitMs` is how long it asks to wait (retry-after or the reset). */
export class RateLimited extends Error {
  override name = 'RateLimited'
  constructor(
    readonly limit: RateLimit,
    readonly waitMs: number
  ) {
    super('rate limited')
  }
}

/** The least wait after a rate limit, whatever GitHub's headers say. */
export const MIN_RATE_LIMIT_WAIT_MS = 1_000

/** What GitHub's answer carries that tells a rate limit from a refusal. */
interface Answer {
  status: number
  message?: string
  response?: { headers?: Record<string, unknown>; data?: unknown }
}

const header = (e: Answer, name: string): string | undefined => {
  const value = e.response?.headers?.[name]
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined
}

/**
 * How long GitHub asks to wait when `error` is its rate-limit answer, in ms; undefined for any
 * other failure. A 429 is always a rate limit; a 403 is one only when `x-ratelimit-remaining` is
 * 0 (primary) or its message names a rate limit (secondary), since a 403 otherwise means a
 * missing permission. The wait is `retry-after`, else until `x-ratelimit-reset`, else a minute,
 * as GitHub's docs say to wait when neither is given; never less than a second
 * ({@link MIN_RATE_LIMIT_WAIT_MS}), so a `retry-after: 0` or a reset already past never turns into
 * a request sent straight back.
 */
export function rateLimitWait(error: unknown, now = Date.now()): number | undefined {
  if (!answered(error)) return undefined
  const e = error as Answer
  if (e.status !== 403 && e.status !== 429) return undefined
  const body = (e.response?.data as { message?: unknown } | undefined)?.message
  const said = `${typeof body === 'string' ? body : ''} ${e.message ?? ''}`
  const exhausted = header(e, 'x-ratelimit-remaining') === '0'
  if (e.status === 403 && !exhausted && !/rate limit/i.test(said)) return undefined
  const after = Number(header(e, 'retry-after'))
  if (header(e, 'retry-after') !== undefined && Number.isFinite(after) && after >= 0)
    return Math.max(MIN_RATE_LIMIT_WAIT_MS, after * 1000)
  const reset = Number(header(e, 'x-ratelimit-reset'))
  if (exhausted && Number.isFinite(reset) && reset > 0)
    return Math.max(MIN_RATE_LIMIT_WAIT_MS, reset * 1000 - now)
  return 60_000
}

/** The {@link RateLimited} for a rate-limit answer to `step`; undefined when `error` is not one. */
export function rateLimited(error: unknown, step: Step, now = Date.now()): RateLimited | undefined {
  const waitMs = rateLimitWait(error, now)
  if (waitMs === undefined) return undefined
  const limited = new RateLimited({ step, reason: reason(error) }, waitMs)
  limited.cause = error
  return limited
}
