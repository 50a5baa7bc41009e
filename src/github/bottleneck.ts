/**
 * Bottleneck, which @octokit/plugin-throttling and @octokit/plugin-retry put in front of every
 * GitHub request (three limiters a read, four a write), yields to the event loop with
 * `setTimeout(0)` several times before each job starts. Node clamps each of those to 1 ms, and a
 * timer fires only in the loop's timers phase: about 12 ms on every request, measured between one
 * answer and the next PUT (24 ms, 12 ms without them; SGrondin/bottleneck#144 reports the same).
 * `setImmediate` yields to the event loop just as well, without the clamp.
 * Delays Bottleneck means (`minTime`, retry waits, expirations) are separate timers and stay as
 * they are.
 *
 * Bottleneck 2.19.5 is its last release (2019) and is pinned; each change applies only where
 * Bottleneck has the method as expected, and leaves Bottleneck as it is otherwise.
 */
import Bottleneck from 'bottleneck/light.js'

type Yielding = { yieldLoop?: (t?: number) => Promise<void>; quick?: true }

/** What `_run` touches of a job: Bottleneck's own Job, whose methods it calls as Bottleneck does. */
interface Job {
  options: { id: string; expiration?: number | null }
  doRun(): void
  doExecute(chained: unknown, clear: () => void, run: unknown, free: unknown): unknown
}
interface Running {
  _run?: (index: string, job: Job, wait: number) => unknown
  _scheduled: Record<string, unknown>
  _limiter: unknown
  _clearGlobalState(index: string): boolean
  _free(index: string, job: Job, ...rest: unknown[]): unknown
  jobStatus(id: string): string | null
}

/**
 * Make Bottleneck's zero-delay yields `setImmediate`s; once, for every limiter of the process.
 * Two places: the datastore's `yieldLoop`, and `_run`, which starts each job that may start now
 * with a `setTimeout(…, 0)` (once per limiter, so three or four times per request).
 */
export function quickenBottleneck(): boolean {
  const store = (new Bottleneck() as unknown as { _store?: object })._store
  const datastore = (store && Object.getPrototypeOf(store)) as Yielding | undefined
  const limiter = Bottleneck.prototype as unknown as Running
  if (typeof datastore?.yieldLoop !== 'function' || typeof limiter._run !== 'function') return false
  if (datastore.quick) return true
  const original = datastore.yieldLoop
  datastore.yieldLoop = function (this: Yielding, t = 0): Promise<void> {
    return t > 0 ? original.call(this, t) : new Promise((resolve) => setImmediate(resolve))
  }
  datastore.quick = true
  quickenRun(limiter, limiter._run)
  return true
}

/**
 * `_run` as Bottleneck 2.19.5 writes it, but a job due now starts on `setImmediate`. A job with a
 * wait or an expiration takes Bottleneck's own path. The one caller that cancels the start timer
 * is `stop({ dropWaitingJobs: true })` (neither plugin nor the action calls it): it drops the job
 * first, so a job that is no longer Bottleneck's when its turn comes does not start.
 */
function quickenRun(limiter: Running, original: NonNullable<Running['_run']>): void {
  limiter._run = function (this: Running, index: string, job: Job, wait: number) {
    if (wait > 0 || job.options.expiration != null) return original.call(this, index, job, wait)
    job.doRun()
    const clearGlobalState = this._clearGlobalState.bind(this, index)
    const run = (this._run ?? original).bind(this, index, job)
    const free = this._free.bind(this, index, job)
    const start = () => {
      if (this.jobStatus(job.options.id) !== null) {
        job.doExecute(this._limiter, clearGlobalState, run, free)
      }
    }
    return (this._scheduled[index] = { timeout: setImmediate(start), expiration: undefined, job })
  }
}
