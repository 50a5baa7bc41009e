/**
 * Who holds which of two keys, from GitHub's `updated_at` and the marks: a secret written at or
 * after `since` (the run that created the newer key announced itself then) holds the newer key,
 * since the action writes only keys it created and verified; an older one holds the older key.
 * Never from a key's creation time alone: a key created by a lost answer was never written
 * anywhere, whatever its age.
 */
import type { Prepared } from '../github/secrets.js'
import { describe } from '../github/targets.js'
import { namesOf, type Ctx, type KeyState } from './types.js'

export interface Holders {
  newer: Prepared[]
  /** Targets written before `since`, or not at all. */
  older: Prepared[]
  /** Of `older`, those without the secret: they hold nothing that could break. */
  empty: Prepared[]
}

/** GitHub's timestamps count whole seconds: compare on the second `since` falls in. */
const atOrAfter = (d: Date | undefined, since: Date): boolean =>
  d !== undefined && d.getTime() >= Math.floor(since.getTime() / 1000) * 1000

/**
 * Which targets hold `newer` (written at or after `since`) and which `older`. A target whose key
 * ID was written but not its secret holds a mismatched pair: the ID is no secret, so the older
 * key's ID is put back and the pair works again at once.
 */
export async function holders(
  ctx: Ctx,
  older: KeyState,
  newer: KeyState,
  since: Date
): Promise<Holders> {
  const [idName, secretName] = namesOf(ctx.req)
  const { secrets, log } = ctx.deps
  const holds = await Promise.all(
    ctx.prepared.map(async (p) => {
      const [id, secret] = await Promise.all([
        secrets.updatedAt(p, idName),
        secrets.updatedAt(p, secretName)
      ])
      if (atOrAfter(id, since) && secret !== undefined && !atOrAfter(secret, since)) {
        await secrets.write(p, idName, older.id)
        log.info(`${describe(p.target)}: ${idName} put back to ${older.id}, matching its secret`)
        return 'older'
      }
      return atOrAfter(secret, since) ? 'newer' : secret === undefined ? 'empty' : 'older'
    })
  )
  const where = (h: string): Prepared[] => ctx.prepared.filter((_, i) => holds[i] === h)
  return {
    newer: where('newer'),
    older: [...where('older'), ...where('empty')],
    empty: where('empty')
  }
}

export interface Recovery {
  /** The key deleted to make room: the one fewer targets hold. */
  deleted: KeyState
  /** The key retired after the new one is everywhere. */
  survivor: KeyState
  /** Targets that held the deleted key: written first, and broken until then. */
  affected: Prepared[]
}

/**
 * Decide which of `current` and `lost` to delete so a new key can be created. IAM allows two keys,
 * so when some targets hold each, deleting one leaves its holders without a working key until the
 * new one reaches them: invariant 1's one exception, kept as short as possible.
 */
export async function recover(
  ctx: Ctx,
  current: KeyState,
  lost: KeyState,
  since: Date
): Promise<Recovery> {
  const { newer, older } = await holders(ctx, current, lost, since)
  const list = (ps: Prepared[]): string =>
    ps.map((p) => describe(p.target)).join(', ') || 'no target'
  const hold = (ps: Prepared[]): string => (ps.length === 1 ? 'holds' : 'hold')
  ctx.deps.log.info(
    `${list(newer)} ${hold(newer)} ${lost.id}; ${list(older)} ${hold(older)} ${current.id}`
  )
  if (newer.length <= older.length) return { deleted: lost, survivor: current, affected: newer }
  if (older.length > 0) {
    ctx.deps.log.warning(
      `More targets hold ${lost.id} than ${current.id}: deleting ${current.id}; ${list(older)} ${older.length === 1 ? 'is' : 'are'} without a working key until the new one is written there (first)`
    )
  }
  return { deleted: current, survivor: lost, affected: older }
}
