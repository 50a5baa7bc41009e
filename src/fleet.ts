/**
 * Many users in one run. Users rotate independently: one user's failure neither stops nor rolls
 * back another's. A few rotate at once, so their waits for IAM to accept new keys overlap, while
 * GitHub writes still go one at a time through the shared client.
 */
import * as core from '@actions/core'
import type { Session } from './aws/sessions.js'
import { rotate, RotationError, type Deps, type Log, type Outcome } from './rotation/index.js'
import type { Settings } from './inputs.js'
import type { UserSpec } from './users.js'
import { CONCURRENT_USERS } from './pace.js'

/** One user's result: what happened, and the error a person reads when it failed. */
export interface UserResult {
  outcome: Outcome
  error?: string
  /** The AWS account the user was rotated in, when known: the summary groups users by it. */
  account?: string
}

/** What every user shares; the AWS session is its account's (`session`). */
export type FleetDeps = Omit<Deps, 'log' | 'iam' | 'callerArn' | 'ready' | 'adminKeyId'> & {
  /** The session of the user's account, opened when its first user asks. */
  session: (
    user: UserSpec
  ) => Pick<Session, 'iam' | 'callerArn' | 'ready' | 'account' | 'adminKeyId'>
}

/** The log of one user: grouped when it is the only one, prefixed with its name otherwise. */
export function userLog(user: string, alone: boolean): Log {
  if (alone) return core
  const tag = (m: string): string => `[${user}] ${m}`
  return {
    info: (m) => core.info(tag(m)),
    warning: (m) => core.warning(tag(m)),
    group: (name, fn) => {
      core.info(tag(name))
      return fn()
    }
  }
}

/**
 * Rotate every user; never throws for a user's failure, which is in its result instead. A
 * session that cannot be had (a role that refuses the run) fails the users of its account alone.
 */
export async function rotateAll(
  { session: sessionOf, ...shared }: FleetDeps,
  users: UserSpec[],
  settings: Settings
): Promise<UserResult[]> {
  const results: UserResult[] = new Array<UserResult>(users.length)
  let next = 0
  const worker = async (): Promise<void> => {
    for (let i = next++; i < users.length; i = next++) {
      const user = users[i] as UserSpec
      const log = userLog(user.userName, users.length === 1)
      const session = sessionOf(user)
      try {
        const { userName, targets, secretNames } = user
        // The user's own settings from the manifest win over the inputs'.
        const request = { ...settings, ...user.settings, userName, targets, secretNames }
        const { iam, callerArn, ready } = session
        const adminKeyId = await session.adminKeyId
        const deps: Deps = {
          ...shared,
          iam,
          callerArn,
          ready,
          log,
          ...(adminKeyId ? { adminKeyId } : {})
        }
        results[i] = { outcome: await rotate(deps, request) }
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error)
        const outcome =
          error instanceof RotationError
            ? error.outcome
            : { userName: user.userName, rotated: false, written: [], cleared: [] }
        results[i] = { outcome, error: message }
        if (users.length > 1) core.error(`[${user.userName}] ${message}`)
      }
      const account = await session.account
      if (account) (results[i] as UserResult).account = account
    }
  }
  await Promise.all(Array.from({ length: Math.min(CONCURRENT_USERS, users.length) }, worker))
  return results
}
