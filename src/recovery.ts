/**
 * Recovering from a killed run: its new key exists, but its secret is lost, and some targets may
 * already hold it. Which ones, GitHub's `updated_at` tells: a secret written after the key was
 * created holds it, since the action writes only keys it created and verified.
 */
import type { Prepared } from './github/secrets.js'
import { describe } from './github/targets.js'
import type { KeyState } from './plan.js'
import type { Deps } from './rotation.js'

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
  deps: Pick<Deps, 'secrets' | 'log'>,
  names: string[],
  prepared: Prepared[],
  current: KeyState,
  lost: KeyState
): Promise<Recovery> {
  const [idName = '', secretName = ''] = names
  const since = lost.created.getTime() - 1000
  const holds = await Promise.all(
    prepared.map(async (p) => {
      const [id, secret] = await Promise.all([
        deps.secrets.updatedAt(p, idName),
        deps.secrets.updatedAt(p, secretName)
      ])
      const after = (d: Date | undefined): boolean => d !== undefined && d.getTime() >= since
      if (after(id) && !after(secret)) {
        // Killed between the two writes: the lost key's ID beside the current key's secret. The
        // ID is no secret, so put the current one back and the pair works again at once.
        await deps.secrets.write(p, idName, current.id)
        deps.log.info(
          `${describe(p.target)}: ${idName} put back to ${current.id}, matching its secret`
        )
        return false
      }
      return after(secret)
    })
  )
  const holders = prepared.filter((_, i) => holds[i])
  const others = prepared.filter((_, i) => !holds[i])
  deps.log.info(
    holders.length === 0
      ? `No target holds ${lost.id}: deleting it breaks nothing`
      : `${holders.map((p) => describe(p.target)).join(', ')} hold ${lost.id}; ${others.map((p) => describe(p.target)).join(', ') || 'no target'} hold ${current.id}`
  )
  if (holders.length <= others.length)
    return { deleted: lost, survivor: current, affected: holders }
  deps.log.warning(
    `More targets hold ${lost.id} than ${current.id}: deleting ${current.id}; ${others.map((p) => describe(p.target)).join(', ')} are without a working key until the new one is written there (first)`
  )
  return { deleted: current, survivor: lost, affected: others }
}
