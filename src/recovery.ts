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
  // Both clocks count whole seconds; the previous rotation's writes are days older than the key.
  const since = lost.created.getTime()
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
  const list = (ps: Prepared[]): string =>
    ps.map((p) => describe(p.target)).join(', ') || 'no target'
  const hold = (ps: Prepared[]): string => (ps.length === 1 ? 'holds' : 'hold')
  deps.log.info(
    `${list(holders)} ${hold(holders)} ${lost.id}; ${list(others)} ${hold(others)} ${current.id}`
  )
  if (holders.length <= others.length)
    return { deleted: lost, survivor: current, affected: holders }
  if (others.length > 0) {
    deps.log.warning(
      `More targets hold ${lost.id} than ${current.id}: deleting ${current.id}; ${list(others)} ${others.length === 1 ? 'is' : 'are'} without a working key until the new one is written there (first)`
    )
  }
  return { deleted: current, survivor: lost, affected: others }
}
