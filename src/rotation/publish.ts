/** Writing the new key into one target: the key ID, then the secret, back to back. */
import type { NewKey } from '../aws/keys.js'
import type { Prepared } from '../github/secrets.js'
import { describe } from '../github/targets.js'
import { namesOf, type Ctx } from './types.js'

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
    if (!oldId) throw e
    const repair = await secrets.write(target, idName, oldId).then(
      () => `${name}'s ${idName} was put back to ${oldId}, matching its secret again.`,
      (r: unknown) =>
        `Putting ${name}'s ${idName} back to ${oldId} failed too (${(r as Error).message}): it holds a mismatched pair until the next run.`
    )
    throw new Error(`${(e as Error).message}\n${repair}`, { cause: e })
  }
}
