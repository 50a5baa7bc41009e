/**
 * The old key goes only once no workflow run may still sign with it. GitHub reads repository and
 * organization secrets when a run is queued and environment secrets when a job starts, so a deploy
 * queued before the new key was written holds the old one until it ends. `decideDrain` is the
 * decision (pure); the rest are its effects: listing those runs, waiting for them within a bound,
 * and marking the old key `held` when the run stops waiting.
 */
import { formatKeyMark } from './marks.js'
import type { Written } from './ports.js'
import type { Holder, InFlight, RunsUnknown } from '../github/inflight-facts.js'
import type { InFlightMode } from './job.js'
import { coversPoll, renewedFor, writeIntent } from './lease.js'
import type { Ctx } from './types.js'
import type { KeyState } from './plan.js'
import type { Intent } from './marks.js'

/** The first look again after a second, then less and less often, at most every 15 s. */
export const pollDelay = (polls: number): number => Math.min(15_000, 1000 * 2 ** polls)
/** The longest wait between two looks: what a lease held while waiting must cover. */
export const MAX_POLL_MS = pollDelay(10)

export type DrainDecision =
  /** Nothing may hold the old key (or the run was told not to look): retire it now. */
  | { kind: 'retire' }
  /** 'in-flight-runs: revoke': retire it now; these runs fail when they next use it. */
  | { kind: 'revoke'; runs: Holder[]; why?: RunsUnknown }
  /** Past 'drain-cap-days' since the new key was published: retire it whatever still runs. */
  | { kind: 'capped'; runs: Holder[]; why?: RunsUnknown }
  /** Wait for these runs, within the bound. */
  | { kind: 'wait'; runs: Holder[] }
  /** GitHub could not say which runs hold it: keep it, for a later run that can tell. */
  | { kind: 'keep'; why: RunsUnknown }

/** What to do about the old key, given the runs that may hold it. */
export function decideDrain(
  mode: InFlightMode,
  inFlight: InFlight,
  publishedAt: number,
  now: number,
  capMs: number
): DrainDecision {
  if (mode === 'ignore') return { kind: 'retire' }
  const runs = 'runs' in inFlight ? inFlight.runs : []
  // Whatever still runs goes unlisted when GitHub could not say: the warning says so.
  const why = 'unknown' in inFlight ? { why: inFlight.unknown } : {}
  if (mode === 'revoke') return { kind: 'revoke', runs, ...why }
  if (now - publishedAt >= capMs) return { kind: 'capped', runs, ...why }
  if ('unknown' in inFlight) return { kind: 'keep', why: inFlight.unknown }
  return runs.length === 0 ? { kind: 'retire' } : { kind: 'wait', runs }
}

/** The runs that may hold what `written` replaced; none when the run is told not to look. */
export function listHolding(ctx: Ctx, written: Written[]): Promise<InFlight> {
  const { runs } = ctx.deps
  if (ctx.req.inFlightRuns === 'ignore' || !runs || written.length === 0) {
    return Promise.resolve({ runs: [] })
  }
  return runs.holding(written)
}

/** The last write is going out and the listing follows its answer: the adapter may get ready. */
export function listingNext(ctx: Ctx): void {
  if (ctx.req.inFlightRuns !== 'ignore') ctx.deps.runs?.ahead?.()
}

/** Record, before the key goes anyway, which runs may fail for it. */
export function noteRetiring(ctx: Ctx, d: Extract<DrainDecision, { kind: 'revoke' | 'capped' }>) {
  const fate = d.kind === 'revoke' ? 'revoked' : 'capped'
  ctx.facts.push({ kind: 'inFlight', fate, runs: d.runs, ...(d.why ? { why: d.why } : {}) })
  const how = d.kind === 'revoke' ? 'revoke' : 'capped'
  if (d.why) ctx.deps.progress({ kind: 'retiring-blind', how, why: d.why })
  if (d.runs.length > 0) ctx.deps.progress({ kind: 'retiring-held', how, runs: d.runs })
}

/**
 * Keep the old key Active, marked `held` with the runs that may still sign with it, and forget
 * `alsoForget` (the run's intent) after: one tag change at a time, as IAM asks.
 */
export async function holdOld(
  ctx: Ctx,
  old: KeyState,
  runs: Holder[],
  alsoForget: string[]
): Promise<void> {
  const { keys, clock, identity, progress } = ctx.deps
  const mark = formatKeyMark({
    state: 'held',
    at: new Date(clock.now()),
    ...identity,
    runs: { ids: runs.map((r) => r.id), more: 0 }
  })
  ctx.facts.push({ kind: 'old', id: old.id, created: old.created })
  await keys.tag(ctx.req.userName, { [old.id]: mark })
  await keys.untag(ctx.req.userName, alsoForget)
  progress({ kind: 'kept-active', key: old.id, runs: runs.length })
}

/** Renew the lease when it would not cover the next look and its margin. */
export async function keepLease(ctx: Ctx, intent: Intent): Promise<Intent> {
  if (coversPoll(ctx, intent, MAX_POLL_MS)) return intent
  const next = renewedFor(ctx, intent, MAX_POLL_MS)
  return writeIntent(ctx, next).then(
    () => next,
    (error: unknown) => {
      ctx.deps.progress({ kind: 'renew-failed', error })
      return intent
    }
  )
}

/**
 * Wait, up to `until`, for `runs` to end; a look GitHub cannot answer keeps them as they were.
 * Returns those still running. Ends early when the runner asks the action to stop.
 */
export async function waitForRuns(ctx: Ctx, runs: Holder[], until: number): Promise<Holder[]> {
  const { clock, progress } = ctx.deps
  let left = runs
  for (let polls = 0; left.length > 0 && clock.now() < until && !ctx.deps.cancelled(); polls++) {
    await clock.sleep(Math.min(pollDelay(polls), until - clock.now()))
    if (ctx.deps.cancelled() || !ctx.deps.runs) break
    const now = await ctx.deps.runs.running(left)
    if ('unknown' in now) progress({ kind: 'still-waiting', why: now.unknown })
    else left = now.runs
  }
  return left
}
