/**
 * What a failure in each state left, as facts: the cause, what was undone, where the lease
 * stands, which target holds which key. failures.ts gathers them; src/report/failure.ts says them.
 * A sentence can then only say what a fact here says. A leaf: the steps and the report import it.
 */
import type { Holder } from '../github/inflight-facts.js'
import { FactsError } from '../facts-error.js'

/** The failure, kept as a value, and what kind of failure it is (for the words and the advice). */
export interface Cause {
  error: unknown
  kind:
    | 'still-held'
    | 'contended'
    | 'old-gone'
    | 'stale'
    | 'cancelled'
    | 'not-everywhere'
    | 'stopped'
    | 'other'
}

/** Another run took the user over: this run leaves it alone. */
export const contended = (c: Cause): boolean => c.kind === 'contended' || c.kind === 'old-gone'

/**
 * Where the run's lease stands: `cleared` (the intent removed), `released` (kept, expired now;
 * `rewrite` when it asks the next run to rewrite every target), `stuck` (releasing failed too: it
 * runs until `until`), `yielded` (another run owns the intent; `ownCleared` when IAM still showed
 * this run's own and it was removed).
 */
export type Lease =
  | { lease: 'cleared' }
  | { lease: 'released'; rewrite?: true }
  | { lease: 'stuck'; releaseError: unknown; until: Date }
  | { lease: 'yielded'; ownCleared?: true }

/** The new key nobody holds: deleted again, or still there because the delete failed. */
export type Undone = ({ newKey: 'deleted' } | { newKey: 'kept'; error: unknown }) & Lease

/**
 * Why the new key did not certainly reach a target, with GitHub's answer (`error`; none when it
 * gave none): `refused` for good; the secret refused and the target had no old key to go back
 * to (`no-old`); putting the old key ID (secret `name`, `key`) back failed too (`not-back`, with
 * `again` its answer); GitHub's record does not show the writes yet (`unseen`: the write of that
 * secret, or, none named, either write); or the run `stopped` while writing it.
 */
export type Miss =
  | { miss: 'refused'; error: unknown }
  | { miss: 'no-old'; error: unknown; target: string }
  | { miss: 'not-back'; error: unknown; name: string; key: string; again: unknown }
  | { miss: 'unseen'; error: unknown; unseen?: string }
  | { miss: 'stopped' }

/** A target by its name, and why the new key did not certainly reach it. */
export interface Missed {
  target: string
  why: Miss
}

/** What a publication that did not reach every target left. */
export type Publication =
  /** No target holds or may hold the new key (each refused before anything landed): undone. */
  | { left: 'undone'; undone: Undone }
  /** Every target holds the new key; only the published mark failed. */
  | { left: 'everywhere'; lease: Lease }
  /** Some targets hold it: both keys stay, and the new key's mark says who holds which. */
  | { left: 'both'; recorded: true | { error: unknown }; lease: Lease }

/** The old key as its retirement left it, for what the next run does about it. */
export interface OldFate {
  id: string
  fate: 'deleted' | 'deactivated' | 'kept'
}

interface Base {
  user: string
  cause: Cause
  /** Keys deleted before the failure: leftovers, keys past their grace period, a lost key. */
  cleared: string[]
}

/** The key a rotation would retire; none when the user had no other key. */
interface Keys {
  key: string
  old?: string
}

export type Aftermath =
  | ({ at: 'planned' } & Base)
  | ({ at: 'leased'; old?: string; lease: Lease } & Base)
  | ({ at: 'created'; undone: Undone } & Keys & Base)
  | ({ at: 'verified'; undone: Undone } & Keys & Base)
  | ({
      at: 'publishing'
      /** Every target was tried: what failed was recording it. */
      tried: boolean
      written: string[]
      refused: Missed[]
      doubt: Missed[]
      /** Targets never written: they hold the old key. */
      holdOld: string[]
      publication: Publication
    } & Keys &
      Base)
  | ({
      at: 'published'
      lease: Lease
      retiring?: OldFate
      /** Whether the next rotation deletes an Inactive old key to make room. */
      deletesInactive: boolean
    } & Keys &
      Base)
  | ({ at: 'draining'; lease: Lease; runs: Holder[]; waitedMs: number } & Keys & Base)

/** A failure of the machine, with what it left; rotate() turns it into a RotationError. */
export class Failed extends FactsError<Aftermath> {
  override name = 'Failed'
  constructor(aftermath: Aftermath) {
    super(aftermath, `failed: ${aftermath.at}`)
  }
}
