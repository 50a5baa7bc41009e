/** Writing the new key into one target: the key ID, then the secret, back to back. */
import type { NewKey } from '../aws/key-data.js'
import { formatKeyMark, type Holding, type Intent } from './marks.js'
import { RateLimited, refusedForGood } from '../github/errors.js'
import type { Prepared } from './ports.js'
import { describe } from '../github/targets.js'
import { renewed, writeIntent } from './lease.js'
import { atOrAfter } from './seconds.js'
import { rateLimitWaitOf } from './facts.js'
import { Cancelled } from './states.js'
import type { Miss } from './aftermath.js'
import { namesOf, type Ctx } from './types.js'

/**
 * The longest a run waits for GitHub's rate limits in all: below the six hours a GitHub-hosted job
 * may run, so the run ends itself, with the lease released, instead of being killed holding it.
 */
export const MAX_RATE_LIMIT_WAIT_MS = 5 * 3_600_000

/**
 * What one target holds after its writes: confirmed, refused for good, or in doubt. `at`: by when
 * both writes had landed, on GitHub's clock when its answers said (a run queued later reads the
 * new key), else on the run's clock once GitHub's record showed them.
 */
export type Reached = { holds: 'new'; at: Date } | { holds: 'refused' | 'doubt'; why: Miss }

/**
 * A rate limit met between a target's two writes: its key ID (secret `name`) may already hold the
 * new key's, a mixed pair until its secret is written. Waited out like the limit it carries.
 */
export class Midway extends Error {
  override name = 'Midway'
  constructor(
    readonly limited: RateLimited,
    readonly target: string,
    readonly secret: string
  ) {
    super(`midway: ${target}`, { cause: limited })
  }
}

type Sent = { at: Date | undefined } | { refused: boolean; error: unknown }
const ok = (s: Sent): s is { at: Date | undefined } => 'at' in s

/**
 * Write `key` into `target`, ID first, then the secret, and say what the target holds. A write
 * whose outcome is unknown (no answer, a 5xx on every retry) may have landed: the run completes
 * the target forward (writing again is harmless) and asks GitHub's record whether it did; it
 * never puts anything back blind. Only when GitHub refused the secret for good (so the target
 * still holds its old secret) is the old key ID (`oldId`, no secret) put back beside it.
 * A rate limit is thrown as it came: the caller waits and writes the whole target again.
 */
export async function writeTarget(
  ctx: Ctx,
  key: NewKey,
  target: Prepared,
  oldId: string | undefined
): Promise<Reached> {
  const [idName, secretName] = namesOf(ctx.req)
  const { secrets, clock } = ctx.deps
  const name = describe(target.target)
  const started = clock.now()
  const send = (secret: string, value: string): Promise<Sent> =>
    secrets.write(target, secret, value).then(
      (at): Sent => ({ at }),
      (error: unknown) => {
        if (error instanceof RateLimited) throw error
        return { refused: refusedForGood(error), error }
      }
    )
  // GitHub's record of the secret shows a write at or after this one started: it landed.
  const landed = (secret: string): Promise<boolean> =>
    secrets.updatedAt(target, secret).then(
      (d) => atOrAfter(d, started),
      () => false
    )
  // ID first: the ID is the half that can be put back; between the two writes the target holds
  // a mixed pair for one round trip.
  const id = await send(idName, key.id)
  if (!ok(id) && id.refused) return { holds: 'refused', why: { miss: 'refused', error: id.error } }
  let secret: Sent
  try {
    secret = await send(secretName, key.secret)
  } catch (e) {
    // Waited out and written again by the caller: putting the ID back would meet the same limit.
    throw new Midway(e as RateLimited, name, idName)
  }
  if (!ok(secret) && secret.refused) {
    // The secret is certainly the old one: the old ID beside it makes a working pair again.
    const { error } = secret
    if (!oldId) return { holds: 'doubt', why: { miss: 'no-old', error, target: name } }
    const back = await send(idName, oldId)
    if (ok(back)) {
      ctx.deps.progress({ kind: 'id-put-back', target: name, name: idName, key: oldId })
      return { holds: 'refused', why: { miss: 'refused', error } }
    }
    const again = (back as { error: unknown }).error
    return { holds: 'doubt', why: { miss: 'not-back', error, name: idName, key: oldId, again } }
  }
  const [idLanded, secretLanded] = await Promise.all([
    ok(id) || landed(idName),
    ok(secret) || landed(secretName)
  ])
  if (idLanded && secretLanded) {
    // GitHub's own clock when both answers carried it; else the run's, now that both landed.
    const dates = [id, secret].map((x) => (ok(x) ? x.at?.getTime() : undefined))
    const at = dates.every((d): d is number => d !== undefined)
      ? new Date(Math.max(...dates))
      : new Date(clock.now())
    return { holds: 'new', at }
  }
  const unknown = [id, secret].find((x): x is Exclude<Sent, { at: Date | undefined }> => !ok(x))
  const unseen = !idLanded && !secretLanded ? {} : { unseen: idLanded ? secretName : idName }
  return { holds: 'doubt', why: { miss: 'unseen', error: unknown?.error, ...unseen } }
}

/**
 * The mark that says where `key` was published, over the key it replaces: for every target
 * (written when the last one is), or, with `holders`, what each target holds after a
 * publication that did not reach them all (`at`: when the run announced itself).
 */
export function publishedMark(
  ctx: Ctx,
  key: NewKey,
  old: { id: string } | undefined,
  at: Date,
  holders?: Holding[]
): Record<string, string> {
  return {
    [key.id]: formatKeyMark({
      state: 'published',
      at,
      ...ctx.deps.identity,
      targets: ctx.fingerprint,
      ...(old ? { over: old.id } : {}),
      ...(holders ? { holders } : {})
    })
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
  thrown: RateLimited | Midway,
  writesLeft: number
): Promise<Intent> {
  const { deps, facts } = ctx
  const limited = thrown instanceof Midway ? thrown.limited : thrown
  const waited = rateLimitWaitOf(facts) ?? 0
  if (waited + limited.waitMs > MAX_RATE_LIMIT_WAIT_MS) throw thrown
  const next = renewed(ctx, { ...intent }, writesLeft)
  const lease = { ...next, lease: new Date(next.lease.getTime() + limited.waitMs) }
  const kept = await writeIntent(ctx, lease).then(
    () => lease,
    (error: unknown) => {
      deps.progress({ kind: 'renew-failed', error, waiting: true })
      return intent
    }
  )
  deps.progress({ kind: 'rate-limited', waitMs: limited.waitMs, writesLeft })
  const from = deps.clock.now()
  await deps.clock.sleep(limited.waitMs)
  facts.push({ kind: 'rateLimitWait', ms: deps.clock.now() - from })
  // A wait ends when the runner asks the action to stop: the lease is released at once (failures.ts).
  if (deps.cancelled()) throw new Cancelled({ at: 'rate-limit' })
  return kept
}
