/**
 * What the rotation asks of the world: the ports are its own. The adapters (src/aws/, src/github/)
 * satisfy them structurally without importing them; the entry (main.ts, fleet.ts) passes the
 * adapters in as `Deps`, and that is where the compiler checks the fit. The plain data that
 * crosses a port (a key as IAM lists it, a target, a workflow run, why runs could not be listed)
 * is defined once, in an SDK-free leaf beside the adapter that reads it (aws/key-data.ts,
 * github/targets.ts, github/inflight-facts.ts), and imported from there.
 */
import type { AccessKey, LastUse, NewKey } from '../aws/key-data.js'
import type { Holder, InFlight, RunsBlocked } from '../github/inflight-facts.js'
import type { Target } from '../github/targets.js'

/** The IAM operations on one user the rotation makes (src/aws/keys.ts: `iamKeys`). */
export interface Keys {
  /** The user's ARN and tags; fails with IAM's NoSuchEntity when the user does not exist. */
  getUser(userName: string): Promise<{ arn: string; tags: Record<string, string> }>
  /** The user's access keys, oldest first. */
  listKeys(userName: string): Promise<AccessKey[]>
  /** Create a key, its secret masked; sent once (an unanswered create is read back, not resent). */
  createKey(userName: string): Promise<NewKey>
  /** Mark a key Inactive; false when IAM has no such key (any more). */
  deactivateKey(userName: string, id: string): Promise<boolean>
  /** Delete a key; one already gone counts as deleted. */
  deleteKey(userName: string, id: string): Promise<void>
  lastUse(id: string): Promise<LastUse>
  /** Write tags on the user (the marks); the same value again changes nothing. */
  tag(userName: string, tags: Record<string, string>): Promise<void>
  /** Remove tags from the user; a tag that is not there changes nothing. */
  untag(userName: string, keys: string[]): Promise<void>
}

/** Returns the ARN the key authenticates as; throws while AWS still refuses the key. */
export type CallerArn = (key: NewKey) => Promise<string>

export interface Clock {
  now(): number
  sleep(ms: number): Promise<void>
}

/**
 * A target read and ready to write (public key, visibility). The rotation reads its target and
 * hands it back to the `Secrets` that prepared it, which alone knows the rest: a handle, so the
 * methods below take it as methods do (the adapter's own, richer `Prepared` fits).
 */
export interface Prepared {
  readonly target: Target
}

/** The secrets side (src/github/secrets.ts). */
export interface Secrets {
  /** Everything needed to write `names` into `target`, read before anything changes. */
  prepare(target: Target, names: string[]): Promise<Prepared>
  /** Seal and write one secret; resolves to the time of GitHub's answer, when it gave one. */
  write(p: Prepared, name: string, value: string): Promise<Date | undefined>
  /** When the secret was last written, as GitHub records it; undefined when it does not exist. */
  updatedAt(p: Prepared, name: string): Promise<Date | undefined>
}

/** A target the rotation wrote, and by when the write had landed. */
export interface Written {
  p: Prepared
  at: Date
}

/** The workflow runs that may still hold a replaced key (src/github/inflight.ts). */
export interface RunsPort {
  /** Before any change: what keeps the token from listing the runs, or undefined. */
  check(targets: Target[], prepared: Promise<Prepared[]>): Promise<RunsBlocked | undefined>
  /** The runs that have not completed and were queued (or started a job) before their target was written. */
  holding(written: Written[]): Promise<InFlight>
  /** Of `runs`, those still running. */
  running(runs: Holder[]): Promise<InFlight>
  /**
   * `holding` is next, as soon as the write under way is done: get ready for its reads side by
   * side (open the connections they need). Only time depends on it.
   */
  ahead?(): void
}
