/**
 * The types every part of the rotation shares. Near a leaf: it imports only the marks, the job,
 * the ports, the plan and the progress events, so no step imports back from the machine that
 * drives it.
 */
import type { Fact } from './facts.js'
import type { Decided, Progress, Section } from './progress.js'
import type { Reason } from './plan.js'
import type { Target } from '../github/targets.js'
import type { OverBudget } from '../budget.js'
import type { Identity, Intent } from './marks.js'
import type { CallerArn, Clock, Keys, Prepared, RunsPort, Secrets } from './ports.js'
import type { LastUse } from '../aws/key-data.js'
import type { Holder, RunsUnknown } from '../github/inflight-facts.js'
import type { Request } from './job.js'

/** Everything the rotation touches, passed in so tests control it. */
export interface Deps {
  /** The IAM operations on the user's keys and marks. */
  keys: Keys
  secrets: Secrets
  callerArn: CallerArn
  clock: Clock
  /** How the rotation goes, as facts: the entry words them (src/report/progress.ts). */
  progress: (event: Progress) => void
  /** Run `fn` as one section of the log, titled by the entry's words for `section`. */
  group: <T>(section: Section, fn: () => Promise<T>) => Promise<T>
  /** Who this run is (GITHUB_RUN_ID, GITHUB_RUN_ATTEMPT, the workflow), recorded in every mark. */
  identity: Identity
  /** How long one secret write may take, pauses included: sizes the lease. */
  msPerWrite: number
  /**
   * The longest one secret write can take at worst (inline rate-limit waits, retries, time-outs):
   * the lease always covers the next write's worst case.
   */
  writeWorstMs?: number
  /** Whether the run that holds a lease has ended, when GitHub can tell (undefined: cannot). */
  runEnded?: (intent: Intent) => Promise<boolean | undefined>
  /** Workflow runs that may hold a replaced key; absent: the run cannot list them. */
  runs?: RunsPort
  /** Take a user's secret writes from GitHub's hourly budget; the refusal when they do not fit. */
  takeWrites?: (targets: Target[]) => OverBudget | undefined
  /** The access key ID the action itself signs IAM calls with, when known. */
  adminKeyId?: string
  /** True once the runner asked the action to stop (SIGINT, SIGTERM). */
  cancelled: () => boolean
  /** Settles when the admin credentials are proven; nothing changes before. */
  ready: Promise<void>
}

/** What the run did, for outputs and the summary. Key IDs only: never a secret. */
export interface Outcome {
  userName: string
  rotated: boolean
  /** What the plan decided: `rotate` (due, forced, or a key to replace) or `idle` (not due). */
  decision?: 'rotate' | 'idle'
  /** Why the plan decided so: a reason to rotate, or why the user is not due. */
  reason?: Reason
  /**
   * The day the user is next due by its max-age-days: its Active key's creation plus that many
   * days, the new key's once one is published. None with max-age-days 0 (every run rotates).
   */
  nextDue?: Date
  newKeyId?: string
  old?: {
    id: string
    created: Date
    fate: 'deleted' | 'deactivated' | 'kept'
    /** With a grace period: the first day a run deletes it. */
    deleteAfter?: string
    lastUse?: LastUse
  }
  /** Keys deleted before rotating: leftovers, keys past their grace period, a lost key. */
  cleared: string[]
  /**
   * What this run finished for a run that ended early: the key it replaced, retired, or kept
   * Active because workflow runs may still sign with it.
   */
  finished?: { retired: string } | { kept: string }
  written: string[]
  verifiedAfterMs?: number
  /** How long the run waited for GitHub's rate limits while publishing. */
  rateLimitWaitMs?: number
  /** A lost key was recovered; `affected` targets held a deleted key for `windowMs`. */
  recovery?: { lostKey: string; deleted: string; affected: { target: string; windowMs?: number }[] }
  /** The key was published by this workflow to another list of targets. */
  targetsChanged?: boolean
  /** The current key was published by another workflow of the same repository. */
  otherWorkflow?: string
  /** A second Active key the action's records do not account for: left alone. */
  stranger?: { id: string; created: Date; lastUse?: LastUse }
  /** An old key a person re-activated after the action deactivated it: kept until `until`. */
  reactivated?: { id: string; until: string }
  /** Targets that do not hold the new key after this run, by what they hold instead. */
  holders?: { refused: string[]; doubt: string[]; old: string[] }
  /**
   * Workflow runs that may have held the old key: `waited` (they ended while this run waited, then
   * it retired the key), `held` (still running when it stopped waiting: the old key stays Active),
   * `revoked` (retired at once, as asked: these runs fail when they next use it), `capped` (retired
   * past 'drain-cap-days' with these still running), `unknown` (GitHub could not say: kept).
   */
  inFlight?: {
    fate: 'waited' | 'held' | 'revoked' | 'capped' | 'unknown'
    runs: Holder[]
    waitedMs?: number
    why?: RunsUnknown
  }
  /** With dry-run: the plan the run would carry out, for the request it was given. */
  plan?: { plan: Decided; req: Request }
}

/** What every step receives: the dependencies, the request, and what the run found and did. */
export interface Ctx {
  deps: Deps
  req: Request
  /** What the steps learned so far, appended as it holds; drive() folds it into the outcome. */
  facts: Fact[]
  /** The user's ARN: what the new key must authenticate as. */
  arn: string
  /** Every target, read and ready to write (public keys, visibilities). */
  prepared: Prepared[]
  /** The targets and secret names as the published mark records them. */
  fingerprint: string
}

/** The two secret names, ID first. */
export const namesOf = (req: Request): [string, string] => [
  req.secretNames.accessKeyId,
  req.secretNames.secretAccessKey
]
