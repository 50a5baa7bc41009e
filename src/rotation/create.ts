/**
 * CreateAccessKey, sent once. It is the one call whose repetition is not harmless: a second key
 * fills IAM's quota, and a key whose answer was lost has a secret nobody will ever see. So after
 * an uncertain outcome (no answer, a 5xx, a time-out) or a quota refusal the run reads the user
 * back and decides from what IAM shows.
 */
import type { NewKey } from '../aws/key-data.js'
import { formatIntent, INTENT_TAG, parseIntent, type Intent } from './marks.js'
import { isQuota, isUncertain } from '../aws/answers.js'
import { atOrAfter } from './seconds.js'
import { clearedOf } from './facts.js'
import type { Ctx } from './types.js'
import { FactsError } from '../facts-error.js'

/** Creates tried per run: each after reading back that the previous one left nothing behind. */
export const CREATE_ATTEMPTS = 3

/**
 * How another run showed itself: it took the user over while this run created (`quota`: IAM
 * refused this run's key for its two-key limit and lists `others`; `took-over`: its intent
 * replaced this run's, `unseen` the keys this run did not see before), `created` keys at the same
 * time (`beside` this run's own, when the check after the create found them), or retired `old`.
 */
export type Contention =
  | { how: 'quota'; user: string; others: string[] }
  | { how: 'took-over'; user: string; unseen: string[] }
  | { how: 'created'; user: string; keys: string[]; beside?: string }
  | { how: 'old-gone'; user: string; old: string }

/** Another run is rotating the same user at this very moment; src/report/ words how. */
export class Contended extends FactsError<Contention> {
  override name = 'Contended'
  constructor(contention: Contention, options?: ErrorOptions) {
    super(contention, `another run: ${contention.how}`, options)
  }
}

/** The key the run planned to retire is gone: another run's doing, or a stale plan. */
export class OldGone extends Contended {
  override name = 'OldGone'
  constructor(user: string, old: string) {
    super({ how: 'old-gone', user, old })
  }
}

/**
 * The read the run planned from was stale: IAM lists `keys`, created before this run announced
 * itself, that the plan did not see (another run's, or IAM's reads lag its writes by seconds).
 * `oldGone` names the key the run planned to retire when IAM no longer lists it either.
 */
export class Stale extends Error {
  override name = 'Stale'
  constructor(
    readonly user: string,
    readonly keys: { id: string; created: Date }[],
    readonly oldGone?: string
  ) {
    super(`stale: ${user}`)
  }
}

/**
 * IAM did not show what the run needs to go on: its own intent (`intent`, after a create without
 * a definite answer) or its own new `key` (after creating it), within READ_BACK_MS.
 */
export class Unseen extends Error {
  override name = 'Unseen'
  constructor(
    readonly user: string,
    readonly what: { intent: true } | { key: string },
    options?: ErrorOptions
  ) {
    super(`unseen: ${'key' in what ? what.key : 'intent'}`, options)
  }
}

/** CreateAccessKey went `attempts` times without a definite answer; the cause is the last error. */
export class Unanswered extends Error {
  override name = 'Unanswered'
  constructor(
    readonly user: string,
    readonly attempts: number,
    options: ErrorOptions
  ) {
    super(`unanswered: ${attempts}`, options)
  }
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
export async function createKey(ctx: Ctx, intent: Intent): Promise<NewKey> {
  const { keys, progress } = ctx.deps
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
          { how: 'quota', user, others: others.map((k) => k.id) },
          { cause: last }
        )
      throw new Unseen(user, { intent: true }, { cause: last })
    }
    const [info, listed] = seen
    const unknown = listed.filter((k) => !intent.before.includes(k.id))
    if (info.tags[INTENT_TAG] !== mine) {
      throw new Contended({ how: 'took-over', user, unseen: unknown.map((k) => k.id) })
    }
    if (unknown.length > 0 && !lostAnswer) {
      // IAM answered every create of this run: a key it did not create belongs to another run.
      throw new Contended({ how: 'created', user, keys: unknown.map((k) => k.id) })
    }
    for (const k of unknown) {
      // Created by a call whose answer never arrived: nobody ever saw its secret.
      await keys.deleteKey(user, k.id)
      ctx.facts.push({ kind: 'cleared', id: k.id })
      progress({ kind: 'lost-answer', key: k.id })
    }
    if (unknown.length === 0 && isQuota(last)) throw last
    progress({ kind: 'create-again', attempt })
  }
  throw new Unanswered(user, CREATE_ATTEMPTS, { cause: last })
}

/**
 * After a create, the user holds no key this run did not expect: another run that created one at
 * the same time could not have seen ours, so a run that sees a stranger backs off.
 */
export async function checkAlone(
  ctx: Ctx,
  intent: Intent,
  key: NewKey,
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
    throw new Unseen(user, { key: key.id })
  }
  const strangers = listed.filter((k) => k.id !== key.id && !intent.before.includes(k.id))
  const before = strangers.filter((k) => !atOrAfter(k.created, intent.at))
  // Not deleted by this run and not listed: a run that came first retired it.
  const oldGone =
    old && !listed.some((k) => k.id === old.id) && !clearedOf(ctx.facts).includes(old.id)
      ? old.id
      : undefined
  if (before.length > 0) {
    throw new Stale(
      user,
      before.map((k) => ({ id: k.id, created: k.created })),
      oldGone
    )
  }
  if (strangers.length > 0) {
    const keys = strangers.map((k) => k.id)
    throw new Contended({ how: 'created', user, keys, beside: key.id })
  }
  // The key this run is to retire is gone, though the run did not delete it: another run retired
  // it meanwhile, or the listing this run planned from was stale. Either way, not this run's to finish.
  if (oldGone) throw new OldGone(user, oldGone)
}

/** `tag` holds the intent of a run that announced itself after `mine`. */
function newerIntent(tag: string | undefined, mine: Intent): boolean {
  const theirs = tag === undefined ? undefined : parseIntent(tag)
  return theirs !== undefined && theirs.at.getTime() >= mine.at.getTime()
}
