/**
 * The benchmark's arithmetic, free of I/O so it can be unit-tested: the lower bound of a
 * rotation's wall time, the minimum set of requests, medians and the diff between the two.
 */

/** GitHub paces writes a second apart only when a client makes more than this many. */
export const PACE_WRITES_ABOVE = 10
/** The pause GitHub asks for between mutating requests when it paces them. */
export const PACE_MS = 1000
/** The action polls GetCallerIdentity this often while IAM still refuses the new key. */
export const POLL_MS = 1000

export interface Scenario {
  name: string
  /** Secret scopes written (repositories today; an organization or environments later). */
  scopes: number
  /** Secrets written per scope (access key ID and secret access key). */
  secretsPerScope: number
  /** IAM users rotated (1 until the manifest issue lands). */
  users: number
  propagationMs: number
  /** Why the scenario does not run yet, when it cannot. */
  skip?: string
}

export const writesOf = (s: Scenario): number => s.scopes * s.secretsPerScope * s.users
export const paced = (s: Scenario): boolean => writesOf(s) > PACE_WRITES_ABOVE

/** One term of the lower bound, printed so the bound can be checked by hand. */
export interface Term {
  what: string
  ms: number
}

export interface Bound {
  ms: number
  terms: Term[]
  /** Round trips on the critical chain. */
  chain: number
}

/**
 * The shortest wall time any rotation with the same guarantees could take, from the requests that
 * must happen one after another:
 *
 *   OIDC token → AssumeRoleWithWebIdentity → (GetUser ‖ ListAccessKeys) → CreateAccessKey
 *   → [IAM propagation] → GetCallerIdentity (the one that succeeds) → PUT × writes (serial)
 *   → UpdateAccessKey Inactive → DeleteAccessKey
 *
 * The public-key GETs are off the chain: they only have to finish before CreateAccessKey, and can
 * run beside the AWS calls. Each round trip costs `latencyMs` (the emulators add it before every
 * response). A key created when CreateAccessKey arrives is accepted `propagationMs` later;
 * CreateAccessKey's own response already covers `latencyMs` of that, so the chain waits
 * `max(0, propagation − latency)` more. GitHub wants mutating requests one at a time, and when it
 * paces them (more than 10 writes) the next one may only arrive a second after the previous
 * one's response: `(writes − 1) × 1000 ms` on top. Process start-up and exit are not requests and
 * are not in the bound: they show up as the part of the ratio above 1.
 */
export function lowerBound(s: Scenario, latencyMs: number): Bound {
  const writes = writesOf(s)
  // per user: plan, create, verify, writes, deactivate, delete; once: OIDC token, AssumeRole.
  // Users could be rotated side by side except for GitHub's one-write-at-a-time rule, so the
  // chain is one user's AWS steps plus every write.
  const chain = 2 + 1 + 1 + 1 + writes + 2
  const terms: Term[] = [
    {
      what: `${chain} round trips × ${latencyMs} ms (OIDC, AssumeRole, plan, create, verify, ${writes} PUT, deactivate, delete)`,
      ms: chain * latencyMs
    }
  ]
  const wait = Math.max(0, s.propagationMs - latencyMs)
  if (s.propagationMs > 0)
    terms.push({
      what: `propagation ${s.propagationMs} ms − CreateAccessKey's own ${latencyMs} ms`,
      ms: wait
    })
  if (paced(s))
    terms.push({
      what: `pacing (${writes} − 1) × ${PACE_MS} ms between writes`,
      ms: (writes - 1) * PACE_MS
    })
  return { ms: terms.reduce((sum, t) => sum + t.ms, 0), terms, chain }
}

/**
 * The bound split along the chain, to hold each phase of a measured run against: the milestones
 * are request arrivals as the emulators log them. The phases sum to the bound.
 */
export function idealPhases(s: Scenario, latencyMs: number): Term[] {
  const writes = writesOf(s)
  const pace = paced(s) ? PACE_MS : 0
  return [
    { what: 'start-up (spawn → OIDC token request)', ms: 0 },
    { what: 'credentials and plan (→ CreateAccessKey)', ms: 3 * latencyMs },
    {
      what: 'propagation (→ GetCallerIdentity that succeeds)',
      ms: Math.max(latencyMs, s.propagationMs)
    },
    { what: 'verified (→ first PUT)', ms: latencyMs },
    { what: `writes (first → last of ${writes} PUT)`, ms: (writes - 1) * (latencyMs + pace) },
    { what: 'retire (→ DeleteAccessKey)', ms: 2 * latencyMs },
    { what: 'exit (→ process exit)', ms: latencyMs }
  ]
}

/**
 * GetCallerIdentity attempts a 1 s poll needs: the first goes out when CreateAccessKey's response
 * arrives (`latencyMs` after the key was created), then one a second until the key is accepted.
 */
export function neededAttempts(propagationMs: number, latencyMs: number): number {
  return 1 + Math.max(0, Math.ceil((propagationMs - latencyMs) / POLL_MS))
}

/** Route names as the emulators log them. */
export const ROUTES = {
  token: 'oidc GET /idtoken',
  assume: 'aws sts:AssumeRoleWithWebIdentity',
  getUser: 'aws iam:GetUser',
  listKeys: 'aws iam:ListAccessKeys',
  create: 'aws iam:CreateAccessKey',
  verify: 'aws sts:GetCallerIdentity',
  deactivate: 'aws iam:UpdateAccessKey',
  delete: 'aws iam:DeleteAccessKey',
  publicKey: 'github GET /repos/{owner}/{repo}/actions/secrets/public-key',
  put: 'github PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'
} as const

/**
 * The requests a rotation cannot do without, by route. GetUser is kept: it gives the user's exact
 * ARN (path included) that GetCallerIdentity must name, and it runs beside ListAccessKeys, so it
 * costs a request but no time. UpdateAccessKey is kept: deactivating before deleting is a promise
 * of the action, not an optimisation target.
 */
export function minimumRequests(s: Scenario, latencyMs: number): Map<string, number> {
  const u = s.users
  return new Map<string, number>([
    [ROUTES.token, 1],
    [ROUTES.assume, 1],
    [ROUTES.getUser, u],
    [ROUTES.listKeys, u],
    [ROUTES.create, u],
    [ROUTES.verify, u * neededAttempts(s.propagationMs, latencyMs)],
    [ROUTES.deactivate, u],
    [ROUTES.delete, u],
    [ROUTES.publicKey, s.scopes],
    [ROUTES.put, writesOf(s)]
  ])
}

export interface RequestDiff {
  route: string
  /** Positive: requests beyond the minimum; negative: fewer than expected. */
  extra: number
  /** Status codes of this route's requests, e.g. `201×100 403×12`. */
  statuses: string
}

/** Compare what the emulators logged with the minimum, route by route. */
export function diffRequests(
  logged: { route: string; status: number }[],
  minimum: Map<string, number>
): RequestDiff[] {
  const byRoute = new Map<string, number[]>()
  for (const e of logged) byRoute.set(e.route, [...(byRoute.get(e.route) ?? []), e.status])
  const routes = new Set([...minimum.keys(), ...byRoute.keys()])
  const diffs: RequestDiff[] = []
  for (const route of routes) {
    const statuses = byRoute.get(route) ?? []
    const extra = statuses.length - (minimum.get(route) ?? 0)
    if (extra !== 0) diffs.push({ route, extra, statuses: countStatuses(statuses) })
  }
  return diffs.sort((a, b) => b.extra - a.extra || a.route.localeCompare(b.route))
}

function countStatuses(statuses: number[]): string {
  const counts = new Map<number, number>()
  for (const s of statuses) counts.set(s, (counts.get(s) ?? 0) + 1)
  return [...counts.entries()]
    .sort(([a], [b]) => a - b)
    .map(([s, n]) => `${s}×${n}`)
    .join(' ')
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}

/** The run whose wall time is the median (the lower middle one for an even count). */
export function medianRun<T extends { wallMs: number }>(runs: T[]): T {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs)
  const run = sorted[Math.floor((sorted.length - 1) / 2)]
  if (!run) throw new Error('no runs')
  return run
}
