/**
 * The states of the rotation, as types: what holds in each. A leaf, so the steps (machine.ts) and
 * what a failure in each leaves (failures.ts) both name them without importing each other.
 */
import type { NewKey } from '../aws/keys.js'
import type { Intent } from '../aws/marks.js'
import type { Prepared } from '../github/secrets.js'
import type { Room } from './housekeeping.js'
import type { Plan } from './plan.js'

export type Rotate = Extract<Plan, { kind: 'rotate' }>
export interface Held {
  room: Room
  intent: Intent
  key: NewKey
}

export type State =
  /** Decided; nothing changed yet. */
  | { at: 'planned'; plan: Rotate }
  /** Earlier runs' work finished, room made, the lease taken; no new key yet. */
  | { at: 'leased'; room: Room; intent: Intent }
  /** The new key exists; nobody holds it. */
  | ({ at: 'created' } & Held)
  /** STS accepts the new key as the user; nobody holds it yet. */
  | ({ at: 'verified' } & Held)
  /** Some targets hold the new key (`written`), the others the old one. */
  | ({ at: 'publishing'; written: Prepared[]; pending: Prepared[] } & Held)
  /** Every target holds the new key, and its mark says so. */
  | ({ at: 'published' } & Held)
  /** The old key is retired and the lease cleared: the rotation is complete. */
  | { at: 'retired' }

export type At = State['at']
export type Live = Exclude<At, 'retired'>
export type Of<S extends At> = Extract<State, { at: S }>

/** Every state, in order: the list docs/state-machine.md must match. */
export const STATES: At[] = [
  'planned',
  'leased',
  'created',
  'verified',
  'publishing',
  'published',
  'retired'
]

/** Raised when the runner asked the action to stop, at a point where stopping is safe. */
export class Cancelled extends Error {
  override name = 'Cancelled'
}
