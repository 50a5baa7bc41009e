/** Writing the new key into one target: the key ID, then the secret, back to back. */
import type { NewKey } from '../aws/keys.js'
import type { Intent } from '../aws/marks.js'
import { RateLimited } from '../github/errors.js'
import type { Prepared } from '../github/secrets.js'
import { describe } from '../github/targets.js'
import { renewed, writeIntent } from './lease.js'
import { namesOf, type Ctx } from './types.js'

/**
 * The longest a run waits for GitHub's rate limits in all: below the six hours a GitHub-hosted job
 * may run, so the run ends itself, with the lease released, instead of being killed holding it.
 */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * 3_600_000

/**
 * Write `key` into `target`. When the second write fails, the first is put back to `oldId`
 * (the ID is no secret), so the target holds a matching pair again; the error says whether that
 * worked. `oldId` is undefined when the target's old pair is not one to restore.
 */
export async function writeTarget(
  ctx: Ctx,
  key: NewKey,
  target: Prepared,
  oldId: string | undefined
): Promise<void> {
  const [idName, secretName] = namesOf(ctx.req)
  const { secrets } = ctx.deps
  // ID first, then secret: the ID is the half that can be put back; between the two writes the
  // target holds a mismatched pair for one round trip.
  await secrets.write(target, idName, key.id)
  try {
    await secrets.write(target, secretName, key.secret)
  } catch (e) {
    const name = describe(target.target)
    // Waited out and written again by the caller: putting the ID back would meet the same limit.
    if (e instanceof RateLimited) {
      throw new RateLimited(
        `${e.message} (${name}'s ${idName} already holds the new key ID: a mismatched pair until its secret is written)`,
        e.waitMs
      )
    }
    if (!oldId) throw e
    const repair = await secrets.write(target, idName, oldId).then(
      () => `${name}'s ${idName} was put back to ${oldId}, matching its secret again.`,
      (r: unknown) =>
        `Putting ${name}'s ${idName} back to ${oldId} failed too (${(r as Error).message}): it holds a mismatched pair until the next run.`
    )
    throw new Error(`${(e as Error).message}\n${repair}`, { cause: e })
  }
}

/**
 * Wait as long as GitHub asks after a rate limit, the lease renewed over the wait and the writes
 * still to make: once a key is part-published, giving up would leave two keys live for nothing.
 * Returns the renewed intent; rethrows when the run has waited as long as it may.
 */
export async function waitOut(
  ctx: Ctx,
  intent: Intent,
  limited: RateLimited,
  writesLeft: number
): Promise<Intent> {
  const { deps, outcome } = ctx
  const waited = outcome.rateLimitWaitMs ?? 0
  if (waited + limited.waitMs > MAX_RATE_LIMIT_WAIT_MS) throw limited
  const next = renewed(ctx, { ...intent }, writesLeft)
  const lease = { ...next, lease: new Date(next.lease.getTime() + limited.waitMs) }
  const kept = await writeIntent(ctx, lease).then(
    () => lease,
    (e: unknown) => {
      deps.log.warning(`Renewing the lease before waiting failed: ${(e as Error).message}`)
      return intent
    }
  )
  deps.log.warning(
    `GitHub answered a secret write with a rate limit. Waiting ${Math.ceil(limited.waitMs / 1000)} s as GitHub asks, the lease kept over the wait, then writing again (${writesLeft} write(s) left).`
  )
  await deps.clock.sleep(limited.waitMs)
  outcome.rateLimitWaitMs = waited + limited.waitMs
  return kept
}
