/**
 * IAM's eventual consistency for reads (opt-in): the IAM User Guide warns that a change is not
 * always immediately visible, because IAM's data is replicated. With a lag, ListAccessKeys,
 * GetUser and ListUserTags answer from the user's keys and tags as they were `lagMs` ago.
 *
 * Before every change of a user through the API, the state it replaces is remembered with the
 * change's time; a read answers from the state before the earliest change made less than `lagMs`
 * ago, or from the current state when there is none. State set up by the test helpers (seeded
 * keys, backdating) is not a change: it is visible at once. Writes always act on the current
 * state (the key limit counts a key no read shows yet); the emulator's own inspection helpers
 * show the truth. With no lag nothing is remembered, so turning it on later lags only the changes
 * made from then on.
 */
import type { AccessKey, User } from './state.js'

/** What the lagging reads show of a user. */
export interface UserView {
  keys: AccessKey[]
  tags: Array<{ Key: string; Value: string }>
}

interface Before extends UserView {
  /** When the change that replaced this state was made (ms since epoch). */
  at: number
}

const copy = (user: User): UserView => ({
  keys: user.keys.map((k) => ({ ...k })),
  tags: user.tags.map((t) => ({ ...t }))
})

export class ReadLag {
  private readonly history = new Map<string, Before[]>()

  constructor(private readonly lagMs: () => number) {}

  /** Called right before a change of `user` acts. */
  changing(user: User, now = Date.now()): void {
    const lag = this.lagMs()
    if (lag <= 0) return
    const kept = (this.history.get(user.arn) ?? []).filter((b) => b.at > now - lag)
    this.history.set(user.arn, [...kept, { at: now, ...copy(user) }])
  }

  /** The user as a read sees it now. */
  view(user: User, now = Date.now()): UserView {
    const lag = this.lagMs()
    if (lag > 0) {
      const pending = (this.history.get(user.arn) ?? []).find((b) => b.at > now - lag)
      if (pending) return { keys: pending.keys, tags: pending.tags }
    }
    return { keys: user.keys, tags: user.tags }
  }
}
