/**
 * The benchmark's arithmetic, free of I/O so it can be unit-tested: the lower bound of a
 * rotation's wall time, the minimum set of requests, medians and the diff between the two.
 */

// The action's own pace, imported rather than copied, so the bound follows the action.
import {
  CONCURRENT_USERS,
  PACE_MS,
  PACE_WRITES_ABOVE,
  VERIFY_POLL_MS as POLL_MS,
  writeInterval
} from '../../src/pace.js'
import { READ_CONCURRENCY } from '../../src/github/secrets.js'
import { ACTIVE_STATUSES, RUN_READS_AT_ONCE } from '../../src/github/inflight.js'
export { CONCURRENT_USERS, PACE_MS, PACE_WRITES_ABOVE, POLL_MS }

export interface Scenario {
  name: string
  /** Where the secrets go: repositories' Actions secrets, or one organization's. */
  target: 'repository' | 'organization'
  /** Secret scopes written over the whole run: repositories, or the one organization. */
  scopes: number
  /** Secrets written per scope (access key ID and secret access key). */
  secretsPerScope: number
  /** IAM users rotated; with more than one, they come from a manifest. */
  users: number
  /**
   * An organization secret with visibility `selected`: the repositories it is shared with. The
   * secrets exist and already reach them (a rotation's usual case), so their IDs come from the
   * secrets' selection listings, not one `GET /repos/{owner}/{repo}` each.
   */
  selectedRepositories?: number
  propagationMs: number
  /** Why the scenario does not run, when it cannot. */
  skip?: string
}

/** Every secret write of the run, over all users. */
export const writesOf = (s: Scenario): number => s.scopes * s.secretsPerScope
export const paced = (s: Scenario): boolean => writeInterval(writesOf(s)) > 0

/**
 * The scopes of each user, as the bench's manifest deals them out: scope `r` to user
 * `r mod users` (the "rotates 20 users across 50 repositories" e2e test does the same).
 */
export const scopesPerUser = (s: Scenario): number[] =>
  Array.from(
    { length: s.users },
    (_, u) => Array.from({ length: s.scopes }, (_, r) => r).filter((r) => r % s.users === u).length
  )

/** Repositories whose workflow runs may hold the old key: each one written, or each one reached. */
export const readersOf = (s: Scenario): number =>
  s.target === 'organization' ? (s.selectedRepositories ?? 0) : s.scopes

/**
 * Round trips the reads before the intent add to the chain: the public keys (an organization's
 * selection listings too) and one probe of each reader's runs, READ_CONCURRENCY at a time, beyond
 * the 3 round trips the AWS side takes to reach the intent (OIDC, AssumeRole, plan). With a
 * manifest, the first user's own reads.
 */
export function preflightRounds(s: Scenario): number {
  const scopes = s.users === 1 ? s.scopes : (scopesPerUser(s)[0] ?? 0)
  const readers = s.target === 'organization' ? readersOf(s) : scopes
  // An organization's public key, and each secret's visibility and selection before the write.
  const keys = s.target === 'organization' ? 1 + 2 * s.secretsPerScope : scopes
  return Math.max(0, Math.ceil((keys + readers) / READ_CONCURRENCY) - 3)
}

/**
 * Round trips the drain adds before the old key is deactivated: each reader's runs listed once
 * per active status, RUN_READS_AT_ONCE at a time, the first round beside the published TagUser.
 * With a manifest, the last user's readers.
 */
export function drainRounds(s: Scenario): number {
  const readers = s.users === 1 ? readersOf(s) : (scopesPerUser(s).at(-1) ?? 0)
  return Math.max(0, Math.ceil((readers * ACTIVE_STATUSES.length) / RUN_READS_AT_ONCE) - 1)
}

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
  /** With several users: the other bound, from 4 users at a time, and why it does not bind. */
  note?: string
}

/**
 * The shortest wall time any rotation with the same guarantees could take, from the requests that
 * must happen one after another:
 *
 *   OIDC token → AssumeRoleWithWebIdentity
 *   → (GetUser ‖ ListAccessKeys ‖ GetCallerIdentity, the admin preflight) → TagUser (intent) → CreateAccessKey → [IAM propagation]
 *   → GetCallerIdentity (the one that succeeds) → PUT × writes (serial)
 *   → TagUser (published) → UpdateAccessKey Inactive → (DeleteAccessKey ‖ UntagUser)
 *
 * The GitHub reads (public keys, an organization secret's selected repositories) are off the
 * chain: they depend on nothing AWS returns, and only have to finish before the first PUT.
 * GetAccessKeyLastUsed runs beside verification, and the UntagUser that forgets the old key's mark
 * (and the intent) beside DeleteAccessKey: the state machine survives either landing alone. Each round trip costs `latencyMs` (the emulators
 * add it before every response). A key created when CreateAccessKey arrives is accepted
 * `propagationMs` later; CreateAccessKey's own response already covers `latencyMs` of that, so the
 * chain waits `max(0, propagation − latency)` more. GitHub wants mutating requests one at a time,
 * and when it paces them (more than 10 writes) the next one may only arrive a second after the
 * previous one's response: `(writes − 1) × 1000 ms` on top.
 *
 * Several users (a manifest): the writes of all users share the one serial, paced pipe, so the
 * chain is the first user's steps up to its first PUT, every write, and the last user's steps after
 * its last PUT; the other users' IAM work can overlap the pipe. The action rotates 4 users at a
 * time, which bounds the run from below too (see {@link workerBound}); the larger bound counts.
 *
 * Process start-up and exit are not requests and are not in the bound: they show up as the part
 * of the ratio above 1.
 */
export function lowerBound(s: Scenario, latencyMs: number): Bound {
  const writes = writesOf(s)
  const L = latencyMs
  // OIDC, AssumeRole, plan, create, verify, writes, deactivate, delete: the rotation itself.
  const core = 2 + 1 + 1 + 1 + writes + 2
  // The recovery bookkeeping, one round trip each, each ordered against its neighbours.
  const bookkeeping: Term[] = [
    { what: 'TagUser intent, before CreateAccessKey', ms: L },
    { what: 'TagUser published, after the last PUT, before the old key is retired', ms: L }
  ]
  const terms: Term[] = [
    {
      what: `${core} round trips × ${L} ms (OIDC, AssumeRole, plan, create, verify, ${writes} PUT, deactivate, delete)`,
      ms: core * L
    },
    ...bookkeeping
  ]
  const preflight = preflightRounds(s)
  if (preflight > 0)
    terms.push({
      what: `${preflight} round trips × ${L} ms of reads before the intent (${READ_CONCURRENCY} at a time)`,
      ms: preflight * L
    })
  const drain = drainRounds(s)
  if (drain > 0)
    terms.push({
      what: `${drain} round trips × ${L} ms listing the runs that may hold the old key (${RUN_READS_AT_ONCE} at a time)`,
      ms: drain * L
    })
  if (s.propagationMs > 0)
    terms.push({
      what: `propagation ${s.propagationMs} ms − CreateAccessKey's own ${L} ms`,
      ms: Math.max(0, s.propagationMs - L)
    })
  if (paced(s))
    terms.push({
      what: `pacing (${writes} − 1) × ${PACE_MS} ms between writes`,
      ms: (writes - 1) * PACE_MS
    })
  const chain = core + bookkeeping.length + preflight + drain
  const pipe = terms.reduce((sum, t) => sum + t.ms, 0)
  if (s.users === 1) return { ms: pipe, terms, chain }

  const workers = workerBound(s, L)
  if (workers > pipe)
    terms.push({ what: `${CONCURRENT_USERS} users at a time (see the note)`, ms: workers - pipe })
  const note = `${CONCURRENT_USERS} users at a time: each user holds a slot for at least 7 round trips + max(latency, propagation) + (its writes − 1) × (latency + pacing); over ${s.users} users that is at least ${Math.round(workers)} ms (2 round trips of credentials + the busier of: the longest user, the sum over ${CONCURRENT_USERS} slots), ${workers > pipe ? 'above' : 'below'} the write pipe's ${pipe} ms`
  return { ms: Math.max(pipe, workers), terms, chain, note }
}

/**
 * The bound from rotating {@link CONCURRENT_USERS} users at a time: after the shared credentials
 * (OIDC, AssumeRole), each user occupies a slot from its plan to its untag response:
 * plan, intent, CreateAccessKey → verify (at least one latency, at least the propagation),
 * verify's response, its writes (first to last PUT, paced like everyone's), the last PUT's
 * response, and 3 round trips of retiring (published, deactivate, delete ‖ untag). The run lasts at least as long as the longest user, and
 * as long as all users' slot time spread evenly over the slots.
 */
export function workerBound(s: Scenario, latencyMs: number): number {
  const L = latencyMs
  const step = L + writeInterval(writesOf(s))
  const perUser = scopesPerUser(s).map(
    (scopes) =>
      7 * L + Math.max(L, s.propagationMs) + Math.max(0, scopes * s.secretsPerScope - 1) * step
  )
  const longest = Math.max(...perUser)
  const spread = perUser.reduce((a, b) => a + b, 0) / Math.min(CONCURRENT_USERS, s.users)
  return 2 * L + Math.max(longest, spread)
}

/**
 * The bound split along the chain, to hold each phase of a measured run against: the milestones
 * are request arrivals as the emulators log them (with several users: the first user's first
 * milestones, the last PUT and the last request of all). The phases sum to the bound whenever the
 * write pipe is what bounds the run.
 */
export function idealPhases(s: Scenario, latencyMs: number): Term[] {
  const writes = writesOf(s)
  const L = latencyMs
  const pace = writeInterval(writes)
  return [
    { what: 'start-up (spawn → OIDC token request)', ms: 0 },
    {
      what: 'credentials, plan ‖ preflight, intent (→ CreateAccessKey)',
      ms: (4 + preflightRounds(s)) * L
    },
    {
      what: 'propagation (→ GetCallerIdentity that succeeds)',
      ms: Math.max(L, s.propagationMs)
    },
    { what: 'verified (→ first PUT)', ms: L },
    { what: `writes (first → last of ${writes} PUT)`, ms: (writes - 1) * (L + pace) },
    {
      what: 'published ‖ runs, deactivate, delete ‖ untag (→ last request)',
      ms: (3 + drainRounds(s)) * L
    },
    { what: 'exit (→ process exit)', ms: L }
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
  callerIdentity: 'aws sts:GetCallerIdentity',
  getUser: 'aws iam:GetUser',
  listKeys: 'aws iam:ListAccessKeys',
  tag: 'aws iam:TagUser',
  create: 'aws iam:CreateAccessKey',
  lastUsed: 'aws iam:GetAccessKeyLastUsed',
  deactivate: 'aws iam:UpdateAccessKey',
  delete: 'aws iam:DeleteAccessKey',
  untag: 'aws iam:UntagUser',
  publicKey: 'github GET /repos/{owner}/{repo}/actions/secrets/public-key',
  put: 'github PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
  orgPublicKey: 'github GET /orgs/{org}/actions/secrets/public-key',
  orgPut: 'github PUT /orgs/{org}/actions/secrets/{secret_name}',
  repository: 'github GET /repos/{owner}/{repo}',
  orgSecret: 'github GET /orgs/{org}/actions/secrets/{secret_name}',
  selection: 'github GET /orgs/{org}/actions/secrets/{secret_name}/repositories',
  runs: 'github GET /repos/{owner}/{repo}/actions/runs'
} as const

/**
 * The requests a rotation cannot do without, by route. GetUser is kept: it gives the user's exact
 * ARN (path included) that GetCallerIdentity must name, and the marks (tags) the plan reads; it
 * runs beside ListAccessKeys, so it costs a request but no time. UpdateAccessKey is kept:
 * deactivating before deleting is a promise of the action, not an optimisation target. The admin
 * preflight, the intent and published TagUser and the UntagUser are what make a failed or killed
 * run recoverable (docs/state-machine.md), so they are needed too. GetAccessKeyLastUsed (the old
 * key's last use, for the summary) runs beside verification: a request, no time. So do the
 * second ListAccessKeys (no other run created a key at the same moment) and the TagUser that
 * names the new key in the lease: requests the state machine needs, no time. The workflow runs of
 * every repository that reads a target are listed too: one probe before any change (the token
 * may list them: 'Actions: Read'), and one listing per active status once the new key is
 * published (who still holds the old one; docs/state-machine.md, the drain).
 */
export function minimumRequests(s: Scenario, latencyMs: number): Map<string, number> {
  const u = s.users
  const org = s.target === 'organization'
  const min = new Map<string, number>([
    [ROUTES.token, 1],
    [ROUTES.assume, 1],
    [ROUTES.callerIdentity, 1 + u * neededAttempts(s.propagationMs, latencyMs)],
    [ROUTES.getUser, u],
    [ROUTES.listKeys, 2 * u],
    [ROUTES.tag, 3 * u],
    [ROUTES.create, u],
    [ROUTES.lastUsed, u],
    [ROUTES.deactivate, u],
    [ROUTES.delete, u],
    [ROUTES.untag, u],
    [org ? ROUTES.orgPublicKey : ROUTES.publicKey, s.scopes],
    [org ? ROUTES.orgPut : ROUTES.put, writesOf(s)]
  ])
  // A configured selection: who each secret reached before the write (its visibility, its
  // selection), whose runs may hold the old key; the selection gives the repositories' IDs too.
  if (org) min.set(ROUTES.orgSecret, s.secretsPerScope)
  if (org) min.set(ROUTES.selection, s.secretsPerScope)
  // Each reader's runs: one probe before any change, one listing per active status after.
  min.set(ROUTES.runs, readersOf(s) * (1 + ACTIVE_STATUSES.length))
  return min
}

/** The write pipe: gaps between consecutive PUT arrivals against the ideal (latency + pacing). */
export interface WriteGaps {
  /** Ideal gap between PUT arrivals: latency, plus the pacing when there is pacing. */
  idealMs: number
  medianMs: number
  /** Gaps more than 100 ms over the ideal, and the time they add up to beyond the ideal. */
  long: number
  longMs: number
  /** Everything beyond the ideal over all gaps. */
  overMs: number
}

/** Gaps between consecutive PUT arrivals (ms after spawn), held against `idealMs`. */
export function writeGaps(arrivals: number[], idealMs: number): WriteGaps {
  const gaps = arrivals.slice(1).map((at, i) => at - (arrivals[i] as number))
  const long = gaps.filter((g) => g > idealMs + 100)
  return {
    idealMs,
    medianMs: median(gaps),
    long: long.length,
    longMs: long.reduce((sum, g) => sum + g - idealMs, 0),
    overMs: gaps.reduce((sum, g) => sum + g - idealMs, 0)
  }
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
