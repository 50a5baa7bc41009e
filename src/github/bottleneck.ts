/**
 * Bottleneck, which @octokit/plugin-throttling and @octokit/plugin-retry put in front of every
 * GitHub request (four limiters a request), yields to the event loop with `setTimeout(0)` several
 * times before each job starts. Node clamps each of those to 1 ms: about 12 ms on every request,
 * measured between one answer and the next PUT (24 ms, 12 ms without them; SGrondin/bottleneck#144
 * reports the same). `setImmediate` yields to the event loop just as well, without the clamp.
 * Delays Bottleneck means (`minTime`, retry waits) are separate timers and stay as they are.
 *
 * Bottleneck 2.19.5 is its last release (2019) and is pinned; the change applies only where its
 * datastore has the method as expected, and leaves Bottleneck as it is otherwise.
 */
import Bottleneck from 'bottleneck/light.js'

type Yielding = { yieldLoop?: (t?: number) => Promise<void>; quick?: true }

/** Make Bottleneck's zero-delay yields `setImmediate`s; once, for every limiter of the process. */
export function quickenBottleneck(): boolean {
  const store = (new Bottleneck() as unknown as { _store?: object })._store
  const datastore = (store && Object.getPrototypeOf(store)) as Yielding | undefined
  if (typeof datastore?.yieldLoop !== 'function') return false
  if (datastore.quick) return true
  const original = datastore.yieldLoop
  datastore.yieldLoop = function (this: Yielding, t = 0): Promise<void> {
    return t > 0 ? original.call(this, t) : new Promise((resolve) => setImmediate(resolve))
  }
  datastore.quick = true
  return true
}
