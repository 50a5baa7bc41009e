/**
 * IAM's request rate, opt-in: IAM throttles a caller that sends too many requests at once with
 * `Throttling: Rate exceeded` (HTTP 400), and says no more about the rate. Here the limit is a
 * number of IAM requests in any one-second window; past it a request is refused before it acts,
 * so a client that retries with backoff gets through and one that hammers does not.
 */
export class RequestRate {
  private readonly times: number[] = []
  /** Requests refused so far. */
  refused = 0

  constructor(private readonly perSecond: () => number) {}

  /** Whether a request arriving now may pass; counts it when it does. */
  admit(now = Date.now()): boolean {
    const limit = this.perSecond()
    if (limit <= 0) return true
    while (this.times.length > 0 && (this.times[0] as number) <= now - 1000) this.times.shift()
    if (this.times.length >= limit) {
      this.refused++
      return false
    }
    this.times.push(now)
    return true
  }
}
