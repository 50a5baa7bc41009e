/**
 * How a rotation goes, as it goes: the events a step reports (`Deps.progress`) and the sections
 * that group them (`Deps.group`), as facts. The entry words them (src/report/progress.ts) into the
 * lines a runner's log shows; a warning is one a person should look at. It imports only the plan,
 * the job, the ports, the facts and the aftermath, so every step may import it.
 */
import type { Holder, RunsUnknown } from '../github/inflight-facts.js'
import type { Plan, Reason } from './plan.js'
import type { Request } from './job.js'
import type { Miss } from './aftermath.js'

/** A plan the run carries out (or, in a dry run, would). */
export type Decided = Extract<Plan, { kind: 'idle' | 'rotate' }>

/** A part of one user's run, grouped under its title in the log. */
export type Section =
  /** Reading the user and its keys, and deciding. */
  | { section: 'plan'; user: string }
  /** Reading each target's public key. */
  | { section: 'read-targets'; count: number }
  | { section: 'create' }
  | { section: 'verify' }
  /** Retiring the key this run replaced. */
  | { section: 'retire-old'; key: string }
  /** Retiring a key an earlier run replaced. */
  | { section: 'retire-replaced'; key: string }
  /** Recovering a key whose secret an ended run lost. */
  | { section: 'recover'; key: string }

/** What happened, as it happened: a line of the log each (a dry run: a line per step it would take). */
export type Progress =
  // Reading and deciding.
  /** A key as IAM lists it, with the action's mark on it, if any. */
  | { kind: 'key'; id: string; status: string; created: Date; mark?: string }
  /** The run holding the lease has ended, as GitHub says: this run takes it over. */
  | { kind: 'taking-over'; run?: string }
  /** An old key a person re-activated after the action deactivated it: kept until `until`. */
  | { kind: 'reactivated'; key: string; until: Date }
  /** An Active key beside `beside` (the current key) that the action's records do not name. */
  | { kind: 'stranger'; key: string; beside?: string }
  | { kind: 'decided'; decision: 'rotate' | 'idle'; reason: Reason }
  | { kind: 'targets-changed' }
  /** What a dry run would do. */
  | { kind: 'dry-run'; plan: Decided; req: Request }
  /** Forgetting an earlier run's intent failed. */
  | { kind: 'forget-failed'; error: unknown }
  // Making room and finishing what earlier runs left.
  /** A key past its grace period deleted; `since`: when it was deactivated. */
  | { kind: 'expired'; key: string; since?: Date }
  /** A deactivated key deleted before its grace period ends, to make room. */
  | { kind: 'deleting-early'; key: string }
  /** Which targets hold the `lost` key (`newer`) and which the `current` one (`older`). */
  | { kind: 'holders'; newer: string[]; lost: string; older: string[]; current: string }
  /** Both keys are held: `lost` goes, its holders `newer` wait for the new key, written first. */
  | { kind: 'both-held'; lost: string; newer: string[]; current: string }
  /** A target's key ID (secret `name`) put back to `key`, or set to it, to match its secret. */
  | { kind: 'id-put-back' | 'id-set'; target: string; name: string; key: string }
  /** A target that refused a key takes writes again: its key ID (`name`) rewritten as `key`. */
  | { kind: 'writable-again'; target: string; name: string; key: string }
  // Creating and verifying.
  /** IAM created `key` but its answer was lost: deleted, its secret never seen. */
  | { kind: 'lost-answer'; key: string }
  /** CreateAccessKey had no definite answer and IAM kept no key: once more. */
  | { kind: 'create-again'; attempt: number }
  | { kind: 'created'; key: string }
  | { kind: 'verified'; afterMs: number; attempts: number }
  // Publishing.
  /** Renewing the lease failed (`waiting`: before a rate limit's wait); it runs on until it expires. */
  | { kind: 'renew-failed'; error: unknown; waiting?: true }
  /** GitHub answered a secret write with a rate limit: waiting `waitMs`. */
  | { kind: 'rate-limited'; waitMs: number; writesLeft: number }
  /** A target the new key did not certainly reach, and why. */
  | { kind: 'missed'; target: string; why: Miss }
  /** Both secrets (`names`) written to `target`. */
  | { kind: 'written'; target: string; names: [string, string] }
  // The old key.
  /** Waiting (up to `upToMs`, when bounded here) for `runs` that may still sign with `key`. */
  | { kind: 'waiting'; key: string; runs: Holder[]; upToMs?: number }
  /** GitHub cannot say which workflow runs hold `key`: it is kept. */
  | { kind: 'cannot-tell'; key: string; why: RunsUnknown }
  /** A look at the runs GitHub could not answer: still waiting. */
  | { kind: 'still-waiting'; why: RunsUnknown }
  /** The wait ended with `runs` still running. */
  | { kind: 'stopped-waiting'; key: string; runs: Holder[] }
  | { kind: 'runs-ended'; key: string }
  /** Retiring the old key anyway (`revoke`, or `capped` past 'drain-cap-days'), blind: `why`. */
  | { kind: 'retiring-blind'; how: 'revoke' | 'capped'; why: RunsUnknown }
  /** Retiring the old key anyway with `runs` that may still sign with it. */
  | { kind: 'retiring-held'; how: 'revoke' | 'capped'; runs: Holder[] }
  /** The old key stays Active, for `runs` workflow runs: a later run retires it. */
  | { kind: 'kept-active'; key: string; runs: number }
  /** The old key stays Inactive until `day`, when a run deletes it. */
  | { kind: 'inactive-until'; key: string; day: string }
  | { kind: 'retired'; key: string; fate: 'deactivated' | 'deleted' }
  /** The key to retire no longer exists; `other` is Active beside the new key, unplanned. */
  | { kind: 'old-gone'; key: string; other?: string }

/** The events a person should look at; every other one is for the record. */
const WARNING: { [K in Progress['kind']]: boolean } = {
  key: false,
  'taking-over': false,
  reactivated: false,
  stranger: true,
  decided: false,
  'targets-changed': false,
  'dry-run': false,
  'forget-failed': true,
  expired: false,
  'deleting-early': true,
  holders: false,
  'both-held': true,
  'id-put-back': false,
  'id-set': false,
  'writable-again': false,
  'lost-answer': true,
  'create-again': false,
  created: false,
  verified: false,
  'renew-failed': true,
  'rate-limited': true,
  missed: true,
  written: false,
  waiting: false,
  'cannot-tell': true,
  'still-waiting': true,
  'stopped-waiting': false,
  'runs-ended': false,
  'retiring-blind': true,
  'retiring-held': true,
  'kept-active': false,
  'inactive-until': false,
  retired: false,
  'old-gone': true
}

/** How loud an event is: a warning, or a line for the record. */
export const levelOf = (e: Progress): 'info' | 'warning' => (WARNING[e.kind] ? 'warning' : 'info')
