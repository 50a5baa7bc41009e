/**
 * The key-state policy: given the user's keys, which one is retired by this rotation and which
 * leftover is cleared first to make room. Pure, so every case is a table row in its test.
 */
import type { AccessKey } from './aws/keys.js'

export interface KeyPlan {
  /** The key the new one replaces; absent on first issuance. */
  old?: AccessKey
  /** An Inactive key from an earlier rotation, deleted before creating the new key (IAM allows two). */
  leftover?: AccessKey
}

/** Thrown when the user holds two Active keys: which one deploys use cannot be known. */
export class TwoActiveKeysError extends Error {
  override name = 'TwoActiveKeysError'
  constructor(readonly keys: [AccessKey, AccessKey]) {
    super(`two Active access keys: ${keys[0].id} and ${keys[1].id}`)
  }
}

/** Decide what to do with the user's current keys (oldest first). */
export function planKeys(keys: AccessKey[]): KeyPlan {
  const [first, second, ...more] = keys
  if (more.length > 0) throw new Error(`IAM listed ${keys.length} keys; it allows at most two`)
  if (!first) return {}
  if (!second) return { old: first }
  const active = keys.filter((k) => k.status === 'Active')
  if (active.length === 2) throw new TwoActiveKeysError([first, second])
  // One Active: it is what deploys use, the Inactive one is an earlier rotation's leftover.
  // Both Inactive: nothing works with either; keep the newer as "old" so it is retired last.
  const old = active[0] ?? second
  const leftover = old === first ? second : first
  return { old, leftover }
}
