/**
 * GitHub reads, paced: a few in flight at once per kind of work, and, across every kind, no more
 * than {@link READS_PER_MINUTE} started in a minute. GitHub asks integrations to make requests
 * serially, counts concurrent requests and points per minute per endpoint against its secondary
 * limits, and Octokit's own limiter lets 10 through at a time.
 */
import pLimit from 'p-limit'

/**
 * Reads started per minute at most. GitHub's secondary limits count REST points per minute (900:
 * a GET is 1, a write 5); a run paced at a write a second spends 300 on writes, so its reads keep
 * to the other 600, however many users and targets a fleet has.
 */
export const READS_PER_MINUTE = 600

/**
 * How many reads (public keys, visibilities, repository IDs, secret dates) are in flight at once,
 * across every user and client. GitHub asks integrations to make requests serially, counts
 * concurrent requests and points per minute per endpoint against its secondary limits, and
 * Octokit's own limiter lets 10 through at a time: a fleet of 40 targets would otherwise ask for
 * 40 public keys in one burst. A few at a time keeps the reads fast and clear of those limits.
 */
export const READ_CONCURRENCY = 4

export interface ReadClock {
  now: () => number
  sleep: (ms: number) => Promise<void>
}

/** The per-minute window every read of a run shares (public keys, secret dates, workflow runs). */
export class ReadWindow {
  /** When the reads of the last minute started, oldest first (at most READS_PER_MINUTE). */
  private starts: number[] = []
  constructor(private readonly clock: ReadClock) {}

  /** Resolves when one more read may start within the minute's budget, and counts it. */
  async take(): Promise<void> {
    const { now, sleep } = this.clock
    for (;;) {
      this.starts = this.starts.filter((t) => t > now() - 60_000)
      if (this.starts.length < READS_PER_MINUTE) break
      await sleep((this.starts[0] as number) + 60_000 - now())
    }
    this.starts.push(now())
  }
}

/** Reads of one kind: at most `concurrency` in flight, each within the shared window. */
export function pacedReads(
  window: ReadWindow,
  concurrency: number
): <T>(request: () => Promise<T>) => Promise<T> {
  const limit = pLimit(concurrency)
  return (request) =>
    limit(async () => {
      await window.take()
      return request()
    })
}
