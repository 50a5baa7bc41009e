/**
 * The run's lease on the user, kept in the intent tag: taken before CreateAccessKey, renewed while
 * the run publishes, released when it fails (so the next run takes over at once) and cleared when
 * it ends well. A run killed outright cannot release it: it expires, a re-run of the same workflow
 * run takes over at once, and GitHub can say that the run has ended.
 */
import { formatIntent, INTENT_TAG, type Intent } from './marks.js'
import type { Lease } from './aftermath.js'
import type { Ctx } from './types.js'

/** Slack on top of the planned work: IAM's tag write, retries, a slow runner. */
export const LEASE_MARGIN_MS = 120_000

/** What the writes still to make need: each at its usual pace, and the next one at its worst. */
const writesMs = (ctx: Ctx, writesLeft: number): number =>
  writesLeft * ctx.deps.msPerWrite + (writesLeft > 0 ? (ctx.deps.writeWorstMs ?? 0) : 0)

/** How long the run needs the user for: verification, then every write still to make. */
export function leaseMs(ctx: Ctx, writesLeft: number): number {
  return ctx.req.verifyTimeoutMs + writesMs(ctx, writesLeft) + LEASE_MARGIN_MS
}

/** Write the intent; the lease runs from now for the work still planned. */
export async function writeIntent(ctx: Ctx, intent: Intent): Promise<void> {
  await ctx.deps.keys.tag(ctx.req.userName, { [INTENT_TAG]: formatIntent(intent) })
}

/** A fresh intent for this run: the keys it sees now, and a lease for all its work. */
export function newIntent(ctx: Ctx, before: string[], rewrite: boolean): Intent {
  const now = ctx.deps.clock.now()
  return {
    at: new Date(now),
    lease: new Date(now + leaseMs(ctx, ctx.prepared.length * 2)),
    before,
    ...(rewrite ? { rewrite } : {}),
    ...ctx.deps.identity
  }
}

/** Renew when less than the remaining work (and half the margin) is left on the lease. */
export function needsRenewal(ctx: Ctx, intent: Intent, writesLeft: number): boolean {
  const left = intent.lease.getTime() - ctx.deps.clock.now()
  return left < writesMs(ctx, writesLeft) + LEASE_MARGIN_MS / 2
}

/**
 * Whether the lease still covers the next write at its worst: a run whose renewal failed stops
 * at a target boundary rather than write on after another run may have taken the user over.
 */
export function coversNextWrite(ctx: Ctx, intent: Intent): boolean {
  const left = intent.lease.getTime() - ctx.deps.clock.now()
  return left >= ctx.deps.msPerWrite * 2 + (ctx.deps.writeWorstMs ?? 0) + LEASE_MARGIN_MS / 4
}

/** The intent with its lease extended over `writesLeft` writes from now. */
export function renewed(ctx: Ctx, intent: Intent, writesLeft: number): Intent {
  const lease = ctx.deps.clock.now() + writesMs(ctx, writesLeft) + LEASE_MARGIN_MS
  return { ...intent, lease: new Date(lease) }
}

/**
 * Release the lease and keep the intent: the next run, whatever its workflow run, takes over at
 * once and still knows which key this run created. `stuck` when even that failed.
 */
export async function release(ctx: Ctx, intent: Intent): Promise<Lease> {
  const released = { ...intent, lease: new Date(ctx.deps.clock.now()), released: true }
  return writeIntent(ctx, released).then(
    (): Lease => ({ lease: 'released', ...(intent.rewrite ? { rewrite: true as const } : {}) }),
    (releaseError: unknown): Lease => ({ lease: 'stuck', releaseError, until: intent.lease })
  )
}

/** Whether the lease covers a wait of `waitMs` and half the margin, from now. */
export function coversPoll(ctx: Ctx, intent: Intent, waitMs: number): boolean {
  return intent.lease.getTime() - ctx.deps.clock.now() >= waitMs + LEASE_MARGIN_MS / 2
}

/** The intent with its lease extended over a wait of `waitMs` from now. */
export function renewedFor(ctx: Ctx, intent: Intent, waitMs: number): Intent {
  return { ...intent, lease: new Date(ctx.deps.clock.now() + waitMs + LEASE_MARGIN_MS) }
}
