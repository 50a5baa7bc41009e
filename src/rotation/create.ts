/**
 * CreateAccessKey, sent once. It is the one call whose repetition is not harmless: a second key
 * fills IAM's quota, and a key whose answer was lost has a secret nobody will ever see. So after
 * an uncertain outcome (no answer, a 5xx, a time-out) or a quota refusal the run reads the user
 * back and decides from what IAM shows.
 */
import type * as keys from './ports.js'
import { formatIntent, INTENT_TAG, parseIntent, type Intent } from './marks.js'
import { isQuota, isUncertain } from '../aws/retry.js'
import { explainAws } from '../report/messages.js'
import { atOrAfter } from './seconds.js'
import { clearedOf } from './facts.js'
import type { Ctx } from './types.js'

/** Creates tried per run: each after reading back that the previous one left nothing behind. */
export const CREATE_ATTEMPTS = 3

/** Another run is rotating the same user at this very moment. */
export class Contended extends Error {
  override name = 'Contended'
}

/** The key the run planned to retire is gone: another run's doing, or a stale plan. */
export class OldGone extends Contended {
  override name = 'OldGone'
}

/**
 * The read the run planned from was stale: IAM lists a key, created before this run announced
 * itself, that the plan did not see (IAM's reads lag its writes by seconds).
 */
export class Stale extends Error {
  override name = 'Stale'
}

/**
 * How long the run re-reads IAM until its own last write shows: IAM documents that a change takes
 * time to become visible from every endpoint, and nothing is decided from a read that cannot show it.
 */
export const READ_BACK_MS = 10_000
const READ_BACK_EVERY_MS = 1_000

/** Read with `read` until `shows` holds, at most READ_BACK_MS; undefined when it never did. */
async function readBack<T>(
  ctx: Ctx,
  read: () => Promise<T>,
  shows: (t: T) => boolean
): Promise<T | undefined> {
  const { clock } = ctx.deps
  const until = clock.now() + READ_BACK_MS
  for (;;) {
    const t = await read()
    if (shows(t)) return t
    if (clock.now() >= until || ctx.deps.cancelled()) return undefined
    await clock.sleep(READ_BACK_EVERY_MS)
  }
}

/** Create the new key, reading the user back after any outcome that leaves a doubt. */
export async function createKey(ctx: Ctx, intent: Intent): Promise<keys.NewKey> {
  const { keys, log } = ctx.deps
  const user = ctx.req.userName
  let lostAnswer = false
  let last: unknown
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    try {
      return await keys.createKey(user)
    } catch (error) {
      last = error
      if (!isQuota(error) && !isUncertain(error)) throw error
      lostAnswer ||= isUncertain(error)
    }
    // Every run writes its intent before it creates: an intent of a run that started after this
    // one means another run took the user over. An older one (or none) means IAM does not show
    // this run's own write yet: read again before deciding anything.
    const mine = formatIntent(intent)
    const seen = await readBack(
      ctx,
      () => Promise.all([keys.getUser(user), keys.listKeys(user)]),
      ([info]) => info.tags[INTENT_TAG] === mine || newerIntent(info.tags[INTENT_TAG], intent)
    )
    if (!seen) {
      // Every create of this run was answered (refused for IAM's two keys): a key the run did not
      // see before is another run's, whose intent replaced this one's and may be cleared already.
      const others = lostAnswer
        ? []
        : (await keys.listKeys(user)).filter((k) => !intent.before.includes(k.id))
      if (others.length > 0)
        throw new Contended(
          `another run took over IAM user ${user} while this run was creating a key: IAM refused this run's key for its two-key limit, lists ${others.map((k) => k.id).join(', ')} that this run did not create, and no longer shows this run's intent`,
          { cause: last }
        )
      throw new Error(
        `IAM still does not show this run's intent on ${user} ${READ_BACK_MS / 1000} s after writing it, so the run cannot tell which keys are its own after CreateAccessKey had no definite answer; it stopped there`,
        { cause: last }
      )
    }
    const [info, listed] = seen
    const unknown = listed.filter((k) => !intent.before.includes(k.id))
    if (info.tags[INTENT_TAG] !== mine) {
      throw new Contended(
        `another run took over IAM user ${user} while this run was creating a key${unknown.length ? ` (keys it did not see before: ${unknown.map((k) => k.id).join(', ')})` : ''}`
      )
    }
    if (unknown.length > 0 && !lostAnswer) {
      // IAM answered every create of this run: a key it did not create belongs to another run.
      throw new Contended(
        `another run created ${unknown.map((k) => k.id).join(', ')} for IAM user ${user} at the same time`
      )
    }
    for (const k of unknown) {
      // Created by a call whose answer never arrived: nobody ever saw its secret.
      await keys.deleteKey(user, k.id)
      ctx.facts.push({ kind: 'cleared', id: k.id })
      log.warning(
        `IAM created ${k.id} but its answer was lost, so its secret was never seen: deleted it`
      )
    }
    if (unknown.length === 0 && isQuota(last)) throw last
    log.info(
      `CreateAccessKey had no definite answer (attempt ${attempt}): IAM kept no key; once more`
    )
  }
  throw new Error(
    `${explainAws(last, `creating a new access key for ${user}`)} CreateAccessKey went ${CREATE_ATTEMPTS} times without a definite answer, and each time IAM showed no key it kept.`,
    { cause: last }
  )
}

/**
 * After a create, the user holds no key this run did not expect: another run that created one at
 * the same time could not have seen ours, so a run that sees a stranger backs off.
 */
export async function checkAlone(
  ctx: Ctx,
  intent: Intent,
  key: keys.NewKey,
  old?: { id: string }
): Promise<void> {
  const user = ctx.req.userName
  // A listing that does not show the key this run created proves nothing: read until it does.
  const listed = await readBack(
    ctx,
    () => ctx.deps.keys.listKeys(user),
    (ks) => ks.some((k) => k.id === key.id)
  )
  if (!listed) {
    throw new Error(
      `IAM does not list ${key.id} ${READ_BACK_MS / 1000} s after creating it, so the run cannot tell whether another key appeared beside it`
    )
  }
  const strangers = listed.filter((k) => k.id !== key.id && !intent.before.includes(k.id))
  const before = strangers.filter((k) => !atOrAfter(k.created, intent.at))
  if (before.length > 0) {
    throw new Stale(
      `IAM now lists ${before.map((k) => `${k.id} (created ${k.created.toISOString()})`).join(', ')} for IAM user ${user}, which the listing this run planned from did not show: IAM's reads lag its writes by seconds, so the plan was stale`
    )
  }
  if (strangers.length > 0) {
    throw new Contended(
      `another run created ${strangers.map((k) => k.id).join(', ')} for IAM user ${user} at the same time as this run created ${key.id}`
    )
  }
  // The key this run is to retire is gone, though the run did not delete it: another run retired
  // it meanwhile, or the listing this run planned from was stale. Either way, not this run's to finish.
  if (old && !listed.some((k) => k.id === old.id) && !clearedOf(ctx.facts).includes(old.id)) {
    throw new OldGone(
      `IAM no longer lists ${old.id}, the key this run planned to retire, for IAM user ${user}: another run retired it meanwhile, or the listing this run planned from was stale (IAM's reads lag its writes by seconds)`
    )
  }
}

/** `tag` holds the intent of a run that announced itself after `mine`. */
function newerIntent(tag: string | undefined, mine: Intent): boolean {
  const theirs = tag === undefined ? undefined : parseIntent(tag)
  return theirs !== undefined && theirs.at.getTime() >= mine.at.getTime()
}
