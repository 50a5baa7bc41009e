/**
 * GitHub's budget for writes, checked before any change. GitHub's secondary rate limits allow one
 * identity 80 content-creating requests a minute and 500 an hour, and ask for a second between
 * mutating requests when there are many. Every secret write is one, and a run writes two secrets
 * per target: a fleet of 1,000 repositories needs 2,000 writes, over three hours of waiting.
 *
 * A run must not span hours. While it publishes a user's key it holds that user's lease, and
 * until every target holds the new key both keys stay Active: every hour spent waiting out
 * GitHub's budget is an hour two live keys exist and nothing else may rotate the user. A run that
 * would need more than one hour's budget is refused before anything changes, with what would help
 * (src/report/budget.ts says it).
 */
import { owner, type Target } from './github/targets.js'
import type { GitHubAuth } from './inputs/github-auth.js'

/** GitHub: no more than 80 content-creating requests per minute… */
export const WRITES_PER_MINUTE = 80
/** …and no more than 500 per hour, for one user, App installation or token. */
export const WRITES_PER_HOUR = 500
/** GitHub: wait at least one second between mutating requests when making many. */
export const SECONDS_BETWEEN_WRITES = 1
/** The key ID and the secret access key: two secrets per target. */
export const WRITES_PER_TARGET = 2

/** The limits a schedule of writes keeps; GitHub's by default, others for tests. */
export interface WriteLimits {
  perMinute: number
  perHour: number
  spacingSeconds: number
  /** How long GitHub's "minute" and "hour" last: 60 and 3,600 s, or less on a test's faster clock. */
  minuteSeconds?: number
  hourSeconds?: number
}

export const GITHUB_WRITE_LIMITS: WriteLimits = {
  perMinute: WRITES_PER_MINUTE,
  perHour: WRITES_PER_HOUR,
  spacingSeconds: SECONDS_BETWEEN_WRITES
}

/** Who writes: the token, or the GitHub App's installation on an account (lower case). */
export type Identity = { identity: 'token' } | { identity: 'app'; account: string }

/** One GitHub identity's share of a run. */
export interface IdentityWrites {
  identity: Identity
  writes: number
  /** The least time the writes take: when the last one may start, the first starting at 0. */
  leastSeconds: number
}

/** The writes that do not fit one hour's budget, and the limits they were held to. */
export interface OverBudget {
  over: IdentityWrites[]
  limits: WriteLimits
}

export type BudgetVerdict =
  | { fits: true; identities: IdentityWrites[] }
  | { fits: false; identities: IdentityWrites[]; refusal: OverBudget }

/**
 * The earliest the `writes`-th write may start, in seconds after the first, when every write
 * keeps the spacing and no 60 s or 3,600 s window holds more than its budget (GitHub counts in
 * rolling windows; the run's own reads and other clients of the identity only add to this).
 */
export function leastSeconds(writes: number, limits: WriteLimits = GITHUB_WRITE_LIMITS): number {
  const starts: number[] = []
  for (let i = 0; i < writes; i++) {
    const after = (n: number, seconds: number): number =>
      i >= n ? (starts[i - n] ?? 0) + seconds : 0
    starts.push(
      Math.max(
        i > 0 ? (starts[i - 1] ?? 0) + limits.spacingSeconds : 0,
        after(limits.perMinute, limits.minuteSeconds ?? 60),
        after(limits.perHour, limits.hourSeconds ?? 3600)
      )
    )
  }
  return starts.at(-1) ?? 0
}

/**
 * Writes per GitHub identity, and whether each fits one hour's budget. A token is one identity;
 * a GitHub App writes with one installation token per account that owns targets, and each
 * installation has a budget of its own. The count is of the writes a run plans: a key ID put back
 * after a failed write only adds to it, which is one more reason not to plan up to the limit.
 */
export function budget(
  users: { targets: Target[] }[],
  auth: 'token' | 'app',
  limits: WriteLimits = GITHUB_WRITE_LIMITS
): BudgetVerdict {
  const writes = new Map<string, { identity: Identity; writes: number }>()
  for (const target of users.flatMap((u) => u.targets)) {
    // Accounts are compared as GitHub compares logins, case-insensitively.
    const identity: Identity =
      auth === 'token'
        ? { identity: 'token' }
        : { identity: 'app', account: owner(target).toLowerCase() }
    const key = identity.identity === 'app' ? `app:${identity.account}` : 'token'
    const was = writes.get(key) ?? { identity, writes: 0 }
    writes.set(key, { identity, writes: was.writes + WRITES_PER_TARGET })
  }
  const identities = [...writes.values()].map(({ identity, writes: n }) => ({
    identity,
    writes: n,
    leastSeconds: leastSeconds(n, limits)
  }))
  const over = identities.filter((i) => i.writes > limits.perHour)
  return over.length === 0
    ? { fits: true, identities }
    : { fits: false, identities, refusal: { over, limits } }
}

/**
 * The run's budget, taken user by user as each is found due: a user whose writes would take the
 * run past one hour's budget is refused before any change of its own, and the next run, with a
 * fresh budget, finds it still due. Users rotate a few at a time, so the order is first come.
 */
export class WriteBudget {
  private readonly taken: { targets: Target[] }[] = []

  constructor(
    private readonly auth: GitHubAuth,
    private readonly limits: WriteLimits = GITHUB_WRITE_LIMITS
  ) {}

  /** Take `targets`' writes from the budget; the refusal when they do not fit. */
  take(targets: Target[]): OverBudget | undefined {
    const verdict = budget(
      [...this.taken, { targets }],
      'token' in this.auth ? 'token' : 'app',
      this.limits
    )
    if (!verdict.fits) return verdict.refusal
    this.taken.push({ targets })
    return undefined
  }
}
