/**
 * What a failed GitHub request may say in a message. GitHub's answers (status and message) are
 * safe to show; the text of a local error is not: Node's fetch quotes a header it refuses whole,
 * `Authorization: token …` included, so a token with a line break would land in the log, the job
 * summary and the `results` output.
 */

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

/** Whether a request failed because Node refused a header value, as for a token with a line break. */
export function isHeaderError(error: unknown): boolean {
  return chain(error).some((e) => /header/i.test(String(e.message ?? '')))
}

/**
 * Why a request failed, in words that never quote a credential: GitHub's status and message when
 * it answered; for a local failure only what kind it was (a refused header, a timeout, a system
 * error code such as ECONNREFUSED), never its text.
 */
export function reason(error: unknown): string {
  const e = error as RequestFailure | undefined
  if (answered(error)) return `${e?.status}: ${e?.message ?? ''}`
  if (isHeaderError(error)) return 'not sent: a credential holds a character HTTP headers refuse'
  const causes = chain(error)
  if (causes.some((c) => c.name === 'TimeoutError' || c.name === 'AbortError'))
    return 'no response: timed out'
  const code = causes.map((c) => c.code).find((c) => typeof c === 'string' && /^[A-Z_\d]+$/.test(c))
  return code ? `no response: ${code as string}` : 'no response'
}

/** A failure to authenticate whose message already says what failed and what to change. */
export class AuthError extends Error {
  override name = 'AuthError'
}

/** GitHub refused for a rate limit; `waitMs` is how long it asks to wait (retry-after or the reset). */
export class RateLimited extends Error {
  override name = 'RateLimited'
  constructor(
    message: string,
    readonly waitMs: number
  ) {
    super(message)
  }
}
