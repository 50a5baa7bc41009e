/**
 * CreateAccessKey, sent once. It is the one call whose repetition is not harmless: a second key
 * fills IAM's quota, and a key whose answer was lost has a secret nobody will ever see. So after
 * an uncertain outcome (no answer, a 5xx, a time-out) or a quota refusal the run reads the user
 * back and decides from what IAM shows.
 */
import * as keys from '../aws/keys.js'
import { formatIntent, INTENT_TAG, type Intent } from '../aws/marks.js'
import { isQuota, isUncertain } from '../aws/retry.js'
import { explainAws } from '../messages.js'
import type { Ctx } from './types.js'

/** Creates tried per run: each after reading back that the previous one left nothing behind. */
export const CREATE_ATTEMPTS = 3

/** Another run is rotating the same user at this very moment. */
export class Contended extends Error {
  override name = 'Contended'
}

/** Create the new key, reading the user back after any outcome that leaves a doubt. */
export async function createKey(ctx: Ctx, intent: Intent): Promise<keys.NewKey> {
  const { iam, log } = ctx.deps
  const user = ctx.req.userName
  let lostAnswer = false
  let last: unknown
  for (let attempt = 1; attempt <= CREATE_ATTEMPTS; attempt++) {
    try {
      return await keys.createKey(iam, user)
    } catch (error) {
      last = error
      if (!isQuota(error) && !isUncertain(error)) throw error
      lostAnswer ||= isUncertain(error)
    }
    const [info, listed] = await Promise.all([keys.getUser(iam, user), keys.listKeys(iam, user)])
    const unknown = listed.filter((k) => !intent.before.includes(k.id))
    // Every run writes its intent before it creates: an intent that is no longer ours means
    // another run started on this user after this one.
    if (info.tags[INTENT_TAG] !== formatIntent(intent)) {
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
      await keys.deleteKey(iam, user, k.id)
      ctx.outcome.cleared.push(k.id)
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
export async function checkAlone(ctx: Ctx, intent: Intent, key: keys.NewKey): Promise<void> {
  const listed = await keys.listKeys(ctx.deps.iam, ctx.req.userName)
  const strangers = listed.filter((k) => k.id !== key.id && !intent.before.includes(k.id))
  if (strangers.length > 0) {
    throw new Contended(
      `another run created ${strangers.map((k) => k.id).join(', ')} for IAM user ${ctx.req.userName} at the same time as this run created ${key.id}`
    )
  }
}
