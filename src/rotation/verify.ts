/**
 * Proof that a new key works before anyone depends on it: the caller the key authenticates as
 * (STS GetCallerIdentity, through the `CallerArn` port) must be the user. IAM is eventually
 * consistent, so a new key is refused for a few seconds: the rotation polls, bounded in time.
 */
import type { NewKey } from '../aws/key-data.js'
import { VERIFY_POLL_MS } from '../pace.js'
import type { CallerArn, Clock } from './ports.js'
import { FactsError } from '../facts-error.js'

export interface Verified {
  /** Milliseconds from the first attempt to the one that succeeded. */
  afterMs: number
  attempts: number
}

/** Why a key did not verify: the facts, which src/report/rotation-verify.ts says in words. */
export type Unverified =
  /** The key authenticates, as someone else. */
  | { kind: 'other-caller'; key: string; arn: string; expected: string }
  /** STS still refused the key when the time was up: how long, how often, and its last answer. */
  | {
      kind: 'refused'
      key: string
      seconds: number
      attempts: number
      last: { name: string; message: string }
    }

/** Thrown when the key never verified; the caller must not hand that key to anyone. */
export class VerifyError extends FactsError<Unverified> {
  override name = 'VerifyError'
  constructor(unverified: Unverified) {
    super(unverified, unverified.kind)
  }
}

/**
 * Poll `callerArn` about once a second (attempts start `intervalMs` apart, so a slow answer does
 * not add to the wait) until it returns `expectedArn` or `timeoutMs` has passed.
 */
export async function verifyKey(
  key: NewKey,
  expectedArn: string,
  callerArn: CallerArn,
  clock: Clock,
  timeoutMs: number,
  intervalMs = VERIFY_POLL_MS
): Promise<Verified> {
  const start = clock.now()
  let lastError: { name: string; message: string }
  for (let attempts = 1; ; attempts++) {
    const attemptStart = clock.now()
    try {
      const arn = await callerArn(key)
      if (arn === expectedArn) return { afterMs: clock.now() - start, attempts }
      // A key that authenticates as someone else is a fault, not a delay: do not wait it out.
      throw new VerifyError({ kind: 'other-caller', key: key.id, arn, expected: expectedArn })
    } catch (error) {
      if (error instanceof VerifyError) throw error
      const e = error as Error
      lastError = { name: e.name, message: e.message }
    }
    const next = attemptStart + intervalMs
    if (next - start >= timeoutMs) {
      throw new VerifyError({
        kind: 'refused',
        key: key.id,
        seconds: Math.round((clock.now() - start) / 1000),
        attempts,
        last: lastError
      })
    }
    await clock.sleep(Math.max(0, next - clock.now()))
  }
}
