/** Retiring a key: deactivate it, then delete it now or leave it, marked, for a later run. */
import { formatKeyMark } from './marks.js'
import { settled } from '../settled.js'
import type { Ctx } from './types.js'
import type { KeyState } from './plan.js'
import { DAY_MS } from './day.js'

/**
 * Deactivate `old`, then delete it (and forget its mark) or mark it deactivated for its grace
 * period. `alsoForget` are tags removed in the same call (the run's intent, when it ends here);
 * `fresh` is the key this run created, if any. Each change is recorded as it lands, so a failure
 * midway leaves the key's fate so far.
 */
export async function retire(
  ctx: Ctx,
  old: KeyState,
  alsoForget: string[] = [],
  fresh?: string
): Promise<void> {
  const { keys, progress, clock } = ctx.deps
  const { req, facts } = ctx
  facts.push({ kind: 'old', id: old.id, created: old.created })
  // Deactivate before delete: a deactivated key can be re-enabled if a consumer breaks.
  if (old.status === 'Active' && !(await keys.deactivateKey(req.userName, old.id))) {
    // Gone already: the read the run planned from may have been stale. Read again, and name any
    // other key it did not plan for instead of calling the rotation clean.
    await noticeUnplanned(ctx, old, fresh)
  }
  let fate: 'deactivated' | 'deleted' = 'deactivated'
  facts.push({ kind: 'deactivated', id: old.id })
  if (req.deleteOldKey && req.gracePeriodDays === 0) {
    // The delete and the removal of the key's mark (and the intent) side by side: a round trip
    // off every run. Either may land without the other and the next run copes: marks of a
    // deleted key are stale marks it clears, and an Inactive key without a mark is a leftover
    // the next rotation deletes to make room. Neither state can break a target: every target
    // already holds the new key.
    await settled([
      keys.deleteKey(req.userName, old.id).then(() => {
        fate = 'deleted'
        facts.push({ kind: 'deleted', id: old.id })
      }),
      keys.untag(req.userName, [old.id, ...alsoForget])
    ])
  } else {
    const mark = formatKeyMark({
      state: 'deactivated',
      at: new Date(clock.now()),
      ...ctx.deps.identity
    })
    // One after the other: IAM refuses two tag changes of one user at once (ConcurrentModification).
    await keys.tag(req.userName, { [old.id]: mark })
    await keys.untag(req.userName, alsoForget)
    if (req.deleteOldKey) {
      const when = new Date(clock.now() + req.gracePeriodDays * DAY_MS).toISOString().slice(0, 10)
      facts.push({ kind: 'deleteAfter', id: old.id, day: when })
      progress({ kind: 'inactive-until', key: old.id, day: when })
    }
  }
  progress({ kind: 'retired', key: old.id, fate })
}

/** Delete a key that nobody holds, with its mark. */
export async function remove(ctx: Ctx, id: string): Promise<void> {
  await ctx.deps.keys.deleteKey(ctx.req.userName, id)
  await ctx.deps.keys.untag(ctx.req.userName, [id])
}

/**
 * After the key to retire turned out gone: a fresh listing, and any Active key besides the new
 * one reported as a key the run did not account for (left alone, as every stranger is).
 */
async function noticeUnplanned(ctx: Ctx, old: KeyState, fresh?: string): Promise<void> {
  const { keys, progress } = ctx.deps
  const listed = await keys.listKeys(ctx.req.userName).catch(() => [])
  const other = listed.find((k) => k.id !== fresh && k.status === 'Active')
  progress({ kind: 'old-gone', key: old.id, ...(other ? { other: other.id } : {}) })
  if (other) ctx.facts.push({ kind: 'stranger', id: other.id, created: other.created })
}
