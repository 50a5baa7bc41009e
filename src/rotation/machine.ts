/**
 * The rotation as a state machine. Each state is a type; `step` takes a state to the next one;
 * `onFailure` says, for each state, what a failure there leaves and turns it into the message a
 * person reads. docs/state-machine.md tells the same story, and a test holds its list of states
 * to {@link STATES}.
 */
import type { NewKey } from '../aws/keys.js'
import * as keys from '../aws/keys.js'
import { formatKeyMark, INTENT_TAG, type Intent } from '../aws/marks.js'
import { verifyKey, type Clock } from '../aws/verify.js'
import { RateLimited } from '../github/errors.js'
import type { Prepared } from '../github/secrets.js'
import { describe } from '../github/targets.js'
import { explainAws } from '../messages.js'
import { checkAlone, Contended, createKey } from './create.js'
import { housekeep, makeRoom, type Room } from './housekeeping.js'
import { needsRenewal, newIntent, release, renewed, writeIntent } from './lease.js'
import type { Plan } from './plan.js'
import { waitOut, writeTarget } from './publish.js'
import { retire } from './retire.js'
import { RotationError, type Ctx } from './types.js'

type Rotate = Extract<Plan, { kind: 'rotate' }>
interface Held {
  room: Room
  intent: Intent
  key: NewKey
}

export type State =
  /** Decided; nothing changed yet. */
  | { at: 'planned'; plan: Rotate }
  /** Earlier runs' work finished, room made, the lease taken; no new key yet. */
  | { at: 'leased'; room: Room; intent: Intent }
  /** The new key exists; nobody holds it. */
  | ({ at: 'created' } & Held)
  /** STS accepts the new key as the user; nobody holds it yet. */
  | ({ at: 'verified' } & Held)
  /** Some targets hold the new key (`written`), the others the old one. */
  | ({ at: 'publishing'; written: Prepared[]; pending: Prepared[] } & Held)
  /** Every target holds the new key, and its mark says so. */
  | ({ at: 'published' } & Held)
  /** The old key is retired and the lease cleared: the rotation is complete. */
  | { at: 'retired' }

export type At = State['at']
type Live = Exclude<At, 'retired'>
type Of<S extends At> = Extract<State, { at: S }>

/** Every state, in order: the list docs/state-machine.md must match. */
export const STATES: At[] = [
  'planned',
  'leased',
  'created',
  'verified',
  'publishing',
  'published',
  'retired'
]

/** Raised when the runner asked the action to stop, at a point where stopping is safe. */
export class Cancelled extends Error {
  override name = 'Cancelled'
}

const step: { [S in Live]: (ctx: Ctx, s: Of<S>) => Promise<State> } = {
  async planned(ctx, { plan }) {
    await housekeep(ctx, plan)
    const room = await makeRoom(ctx, plan)
    stopIfCancelled(ctx, 'before creating a key')
    // Keys deleted since the plan stay in `before`: IDs are never reused, so that is harmless.
    const intent = newIntent(ctx, plan.seen)
    await writeIntent(ctx, intent)
    return { at: 'leased', room, intent }
  },

  async leased(ctx, { room, intent }) {
    const key = await ctx.deps.log.group('Create access key', () => createKey(ctx, intent))
    ctx.outcome.newKeyId = key.id
    ctx.deps.log.info(`Created ${key.id}`)
    return { at: 'created', room, intent, key }
  },

  async created(ctx, { room, intent, key }) {
    const { deps, req, arn } = ctx
    const clock: Clock = {
      now: () => deps.clock.now(),
      sleep: async (ms) => {
        await deps.clock.sleep(ms)
        stopIfCancelled(ctx, 'while verifying')
      }
    }
    // Beside verification, which waits on IAM anyway: no other run created a key, the lease
    // names the new key, and the old key's last use for the summary.
    const mine = { ...intent, created: key.id }
    const [verified, , , lastUse] = await settled([
      deps.log.group('Verify the new key with STS', () =>
        verifyKey(key, arn, deps.callerArn, clock, req.verifyTimeoutMs)
      ),
      checkAlone(ctx, intent, key),
      writeIntent(ctx, mine),
      room.old ? keys.lastUse(deps.iam, room.old.id).catch(() => undefined) : undefined
    ] as const)
    ctx.outcome.verifiedAfterMs = verified.afterMs
    deps.log.info(`Verified after ${verified.afterMs} ms (${verified.attempts} attempt(s))`)
    if (lastUse) lastUses.set(ctx, lastUse)
    return { at: 'verified', room, intent: mine, key }
  },

  verified(ctx, s) {
    stopIfCancelled(ctx, 'before writing any secret')
    return Promise.resolve({ ...s, at: 'publishing', written: [], pending: s.room.order })
  },

  async publishing(ctx, s) {
    const [target, ...pending] = s.pending
    if (!target) {
      await keys.tag(ctx.deps.iam, ctx.req.userName, {
        [s.key.id]: formatKeyMark({
          state: 'published',
          at: new Date(ctx.deps.clock.now()),
          ...ctx.deps.identity,
          targets: ctx.fingerprint
        })
      })
      ctx.outcome.rotated = true
      return { at: 'published', room: s.room, intent: s.intent, key: s.key }
    }
    let intent = s.intent
    const writesLeft = s.pending.length * 2
    if (needsRenewal(ctx, intent, writesLeft)) {
      const next = renewed(ctx, intent, writesLeft)
      // A lease that cannot be renewed still runs until it expires: warn, and try at the next target.
      await writeIntent(ctx, next).then(
        () => (intent = next),
        (e: unknown) => ctx.deps.log.warning(`Renewing the lease failed: ${(e as Error).message}`)
      )
    }
    const name = describe(target.target)
    // A target holding the old pair gets it back when its second write fails; one whose key a
    // recovery deleted has nothing to go back to.
    const affected = ctx.outcome.recovery?.affected.find((a) => a.target === name)
    try {
      await writeTarget(ctx, s.key, target, affected ? undefined : s.room.old?.id)
    } catch (e) {
      if (!(e instanceof RateLimited)) throw e
      // The same state again: this target is written once the wait is over.
      return { ...s, intent: await waitOut(ctx, intent, e, writesLeft) }
    }
    ctx.outcome.written.push(name)
    if (affected && s.room.deletedAt !== undefined)
      affected.windowMs = ctx.deps.clock.now() - s.room.deletedAt
    ctx.deps.log.info(
      `${name}: ${ctx.req.secretNames.accessKeyId}, ${ctx.req.secretNames.secretAccessKey} written`
    )
    return { ...s, intent, written: [...s.written, target], pending }
  },

  async published(ctx, { room }) {
    stopIfCancelled(ctx, 'after the new key reached every target')
    const { old } = room
    if (old) {
      await ctx.deps.log.group(`Retire the old key ${old.id}`, () => retire(ctx, old, [INTENT_TAG]))
      const lastUse = lastUses.get(ctx)
      if (ctx.outcome.old && lastUse) ctx.outcome.old.lastUse = lastUse
    } else await keys.untag(ctx.deps.iam, ctx.req.userName, [INTENT_TAG])
    return { at: 'retired' }
  }
}

/**
 * Like Promise.all, but fails only once every call has settled: a failure must not be handled
 * (the key deleted, the intent cleared) while a sibling call can still land after it.
 */
async function settled<T extends readonly unknown[]>(
  calls: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(calls)
  for (const r of results) if (r.status === 'rejected') throw r.reason
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}

/** The old key's last use, read beside verification, for the summary. */
const lastUses = new WeakMap<Ctx, keys.LastUse>()

function stopIfCancelled(ctx: Ctx, when: string): void {
  if (ctx.deps.cancelled()) throw new Cancelled(`Cancelled ${when}`)
}

/** Why a step failed, in words: AWS errors with their fix, others as they are. */
const why = (e: unknown, doing: string): string =>
  e instanceof Cancelled || e instanceof Contended || !(e as { $metadata?: unknown }).$metadata
    ? (e as Error).message
    : explainAws(e, doing)

const cleared = (ctx: Ctx): string =>
  ctx.outcome.cleared.length ? `; deleted before: ${ctx.outcome.cleared.join(', ')}` : ''

/** Delete the new key nobody holds yet; clear the lease when that worked, release it otherwise. */
async function undo(ctx: Ctx, { intent, key }: Held): Promise<string> {
  const user = ctx.req.userName
  ctx.outcome.newKeyId = undefined
  try {
    await keys.deleteKey(ctx.deps.iam, user, key.id)
  } catch (e) {
    return `Deleting the new key ${key.id} failed too (${(e as Error).message}): the next run deletes it, or delete it with 'aws iam delete-access-key --user-name ${user} --access-key-id ${key.id}'.${await release(ctx, intent)}`
  }
  const clearing = await keys.untag(ctx.deps.iam, user, [INTENT_TAG]).then(
    () => '',
    () => release(ctx, intent)
  )
  return `The new key ${key.id} was deleted again.${clearing}`
}

const AGAIN =
  'Run the workflow again (a re-run of this job takes over at once); if it keeps failing, check the AWS and GitHub status pages.'

const onFailure: { [S in Live]: (ctx: Ctx, s: Of<S>, e: unknown) => Promise<string> } = {
  planned(ctx, _s, e) {
    const done = cleared(ctx)
    return Promise.resolve(
      `${why(e, 'finishing earlier runs and making room for a new key')}\nNo key was created${done}. ${AGAIN}`
    )
  },

  async leased(ctx, { room, intent }, e) {
    // Another run owns the intent now: leave it alone.
    const lease = e instanceof Contended ? '' : await release(ctx, intent)
    return `${why(e, `creating a new access key for ${ctx.req.userName}`)}\nNo new key was kept and no target was changed${cleared(ctx)}; ${room.old?.id ?? 'no other key'} still works.${lease} ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async created(ctx, s, e) {
    const undone = e instanceof Contended ? await deleteOnly(ctx, s.key) : await undo(ctx, s)
    return `${e instanceof Cancelled ? e.message : `Verification failed: ${why(e, 'verifying the new key')}`}\n${undone} No target was changed${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${e instanceof Contended ? CONTENDED : AGAIN}`
  },

  async verified(ctx, s, e) {
    return `${why(e, 'starting to write secrets')}\n${await undo(ctx, s)} No target was changed${cleared(ctx)}. ${AGAIN}`
  },

  async publishing(ctx, s, e) {
    const message = why(e, 'writing secrets')
    const recovering = s.room.deletedAt !== undefined
    if (s.written.length === 0 && !recovering) {
      return `Writing secrets failed: ${message}\n${await undo(ctx, s)} No target holds it${cleared(ctx)}; ${s.room.old?.id ?? 'no other key'} still works. ${AGAIN}`
    }
    const lease = await release(ctx, s.intent)
    if (s.pending.length === 0) {
      return `${why(e, `recording that ${s.key.id} reached every target`)}\nEvery target holds the new key ${s.key.id} and both keys stay Active, so every deploy keeps working; only the mark saying so failed.${lease} Run the workflow again: the next run finds every target holding ${s.key.id} and completes the rotation.`
    }
    const written = s.written.map((p) => describe(p.target))
    const pending = s.pending.map((p) => describe(p.target))
    const holds = (n: number): string => (n === 1 ? 'holds' : 'hold')
    return `${message}\nBoth access keys stay Active so every deploy keeps working: ${written.join(', ') || 'no target'} now ${holds(written.length)} the new key ${s.key.id}; ${pending.join(', ')} still ${holds(pending.length)} the old key${s.room.old ? ` ${s.room.old.id}` : ''}.${lease} Fix the cause above and run the workflow again: the next run finds ${s.key.id} unfinished, checks which targets hold it, and completes the rotation.`
  },

  async published(ctx, s, e) {
    const lease = await release(ctx, s.intent)
    const what =
      e instanceof Cancelled
        ? `${e.message}; ${s.room.old?.id ?? 'no old key'} was not retired yet`
        : `${why(e, `retiring the old key ${s.room.old?.id ?? ''}`)}\nThe new key ${s.key.id} is verified and in every target; only the old key's clean-up failed`
    return `${what}.${lease} Run the workflow again: it finishes the clean-up.`
  }
}

const CONTENDED =
  "Another run is rotating this user: let it finish, and give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping."

/** A run that lost a race deletes only its own key: the intent belongs to the other run now. */
async function deleteOnly(ctx: Ctx, key: NewKey): Promise<string> {
  ctx.outcome.newKeyId = undefined
  return keys.deleteKey(ctx.deps.iam, ctx.req.userName, key.id).then(
    () => `This run deleted its own new key ${key.id} and left the user to the other run.`,
    (e: unknown) =>
      `Deleting this run's new key ${key.id} failed (${(e as Error).message}): the next run finds and deletes it.`
  )
}

/** Drive the machine from `planned` to `retired`; a failure becomes a RotationError. */
export async function drive(ctx: Ctx, plan: Rotate): Promise<void> {
  let s: State = { at: 'planned', plan }
  while (s.at !== 'retired') {
    const at: State = s
    try {
      s = await (step[at.at] as (ctx: Ctx, s: State) => Promise<State>)(ctx, at)
    } catch (e) {
      const fail = onFailure[at.at] as (ctx: Ctx, s: State, e: unknown) => Promise<string>
      throw new RotationError(await fail(ctx, at, e), ctx.outcome)
    }
  }
}
