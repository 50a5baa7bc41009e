/**
 * Who holds which of two keys. From the record the run that wrote the targets left on its key
 * (`holders` in its mark) where that record is sure; where it is not (a write whose outcome was
 * unknown, or a run killed before it could record anything), from GitHub's record of each
 * secret: a secret written at or after `since` (when that run announced itself) was written by
 * that run, since the action writes only keys it created and verified. Never from a key's
 * creation time alone: a key created by a lost answer was never written anywhere, whatever its age.
 */
import type { Holding } from './marks.js'
import type { Prepared } from './ports.js'
import { describe } from '../github/targets.js'
import { atOrAfter } from './seconds.js'
import { namesOf, type Ctx } from './types.js'
import type { KeyState } from './plan.js'
import { FactsError } from '../facts-error.js'

/**
 * Why a key would be taken from a target that holds it: `unretired` (`key`, beside `over` that an
 * earlier run published, may still be held by `holding`, written before `over` existed) or
 * `refused` (`refused` turned the `lost` key down for good and hold `current`; `newer` hold `lost`).
 */
export type Held =
  | { held: 'unretired'; user: string; key: string; over: string; holding: string[] }
  | { held: 'refused'; lost: string; current: string; refused: string[]; newer: string[] }

/** Refused: a key would be taken from a target that holds it. Nothing was changed by the refusal. */
export class StillHeld extends FactsError<Held> {
  override name = 'StillHeld'
  constructor(held: Held) {
    super(held, `still held: ${held.held}`)
  }
}

export interface Holders {
  newer: Prepared[]
  /** Targets that hold the older key, or nothing (`empty`): written before `since`, or not at all. */
  older: Prepared[]
  /** Of `older`, those without the secret: they hold nothing that could break. */
  empty: Prepared[]
  /** Of `older`, those that refused the newer key for good: the older key is all they have. */
  refused: Prepared[]
}

type Hold = 'newer' | 'older' | 'empty' | 'refused'

/**
 * Which targets hold `newer` and which `older`. `record` is what the run that wrote `newer`
 * recorded per target (in the request's target order), when it recorded it for this very list.
 * A target the record leaves in doubt is read from GitHub, and a mixed pair repaired: only the
 * key ID was written (its secret is older): the older ID is put back; only the secret was
 * written: the newer ID is written beside it. The ID is no secret, so either works at once.
 */
export async function holders(
  ctx: Ctx,
  older: KeyState,
  newer: KeyState,
  since: Date,
  record?: Holding[]
): Promise<Holders> {
  const [idName, secretName] = namesOf(ctx.req)
  const { secrets, progress } = ctx.deps
  const sure = record && record.length === ctx.prepared.length ? record : undefined
  const holds = await Promise.all(
    ctx.prepared.map(async (p, i): Promise<Hold> => {
      const recorded = sure?.[i]
      if (recorded === 'new') return 'newer'
      if (recorded === 'refused') return 'refused'
      if (recorded === 'old') return 'older'
      const [id, secret] = await Promise.all([
        secrets.updatedAt(p, idName),
        secrets.updatedAt(p, secretName)
      ])
      const [idNew, secretNew] = [atOrAfter(id, since), atOrAfter(secret, since)]
      if (idNew && secret !== undefined && !secretNew) {
        await secrets.write(p, idName, older.id)
        progress({ kind: 'id-put-back', target: describe(p.target), name: idName, key: older.id })
        return 'older'
      }
      if (secretNew && !idNew) {
        await secrets.write(p, idName, newer.id)
        progress({ kind: 'id-set', target: describe(p.target), name: idName, key: newer.id })
        return 'newer'
      }
      return secretNew ? 'newer' : secret === undefined ? 'empty' : 'older'
    })
  )
  const where = (...h: Hold[]): Prepared[] => ctx.prepared.filter((_, i) => h.includes(holds[i]!))
  return {
    newer: where('newer'),
    older: where('older', 'empty', 'refused'),
    empty: where('empty'),
    refused: where('refused')
  }
}

/**
 * Whether a target that refused the lost key takes writes now: its secret is still the one it
 * held before that run (nobody wrote it since), so the current key's ID beside it is the pair it
 * holds already; writing that ID again changes nothing a deploy reads, and proves the target
 * writable. A target someone wrote since is left alone, and stays refused.
 */
async function writableAgain(
  ctx: Ctx,
  p: Prepared,
  current: KeyState,
  since: Date
): Promise<boolean> {
  const [idName, secretName] = namesOf(ctx.req)
  const { secrets, progress } = ctx.deps
  const secret = await secrets.updatedAt(p, secretName).catch(() => undefined)
  if (secret === undefined || atOrAfter(secret, since)) return false
  return secrets.write(p, idName, current.id).then(
    () => {
      progress({
        kind: 'writable-again',
        target: describe(p.target),
        name: idName,
        key: current.id
      })
      return true
    },
    () => false
  )
}

export interface Recovery {
  /** The key deleted to make room. */
  deleted: KeyState
  /** The key retired after the new one is everywhere. */
  survivor: KeyState
  /** Targets that held the deleted key: written first, and broken until then. */
  affected: Prepared[]
}

const names = (ps: Prepared[]): string[] => ps.map((p) => describe(p.target))

/**
 * Decide which of `current` and `lost` to delete so a new key can be created (IAM allows two).
 * A key no target holds goes first, with no window. When both are held, the lost key goes: its
 * holders were written by the run that created it, so they are proven writable and get the new
 * key first (invariant 1's one exception, kept as short as possible); the current key's holders
 * may not be. A target that refused the lost key for good holds only the current key, and the
 * run cannot give it another: unless a person says go (`force`), nothing is deleted.
 */
export async function recover(
  ctx: Ctx,
  current: KeyState,
  lost: KeyState,
  since: Date,
  record?: Holding[]
): Promise<Recovery> {
  const h = await holders(ctx, current, lost, since, record)
  // A target that refused for good may take writes again (unarchived, the token's access fixed).
  const again = await Promise.all(h.refused.map((p) => writableAgain(ctx, p, current, since)))
  h.refused = h.refused.filter((_, i) => !again[i])
  const olderHeld = h.older.filter((p) => !h.empty.includes(p))
  ctx.deps.progress({
    kind: 'holders',
    newer: names(h.newer),
    lost: lost.id,
    older: names(olderHeld),
    current: current.id
  })
  if (h.newer.length === 0) return { deleted: lost, survivor: current, affected: [] }
  if (olderHeld.length === 0) return { deleted: current, survivor: lost, affected: [] }
  if (h.refused.length > 0 && !ctx.req.force) {
    throw new StillHeld({
      held: 'refused',
      lost: lost.id,
      current: current.id,
      refused: names(h.refused),
      newer: names(h.newer)
    })
  }
  ctx.deps.progress({
    kind: 'both-held',
    lost: lost.id,
    newer: names(h.newer),
    current: current.id
  })
  return { deleted: lost, survivor: current, affected: h.newer }
}
