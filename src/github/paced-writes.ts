/**
 * GitHub asks integrations to send mutating requests one at a time, and a second apart when there
 * are many: the secrets' writes and the failure issues' writes share this one way of pacing them.
 */
import pLimit from 'p-limit'

/** How writes are paced: GitHub asks for them one at a time, and a second apart when there are many. */
export interface Pacing {
  /** Pause between the end of one write and the start of the next; 0 for none. */
  writeIntervalMs: number
  sleep: (ms: number) => Promise<void>
  now: () => number
}

/** Sends each write given to it after the one before has ended and the pause has passed. */
export type PacedWrites = <T>(send: () => Promise<T>) => Promise<T>

export function pacedWrites({ writeIntervalMs, sleep, now }: Pacing): PacedWrites {
  // p-limit, not Bottleneck: Bottleneck yields to timers several times before each job starts
  // (about 4 ms a job, measured), on every request of the chain; a queue needs none of that.
  const queue = pLimit(1)
  let lastWriteEnd = -Infinity
  return (send) =>
    queue(async () => {
      // Measured from the end of the last write: "a second between requests", not between starts.
      const wait = lastWriteEnd + writeIntervalMs - now()
      if (wait > 0) await sleep(wait)
      try {
        return await send()
      } finally {
        lastWriteEnd = now()
      }
    })
}
