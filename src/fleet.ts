/**
 * Many users in one run. Users rotate independently: one user's failure neither stops nor rolls
 * back another's. A few rotate at once, so their waits for IAM to accept new keys overlap, while
 * GitHub writes still go one at a time through the shared client.
 */
import * as core from '@actions/core'
import pLimit from 'p-limit'
import { iamKeys } from './aws/keys.js'
import type { Session } from './sessions.js'
import {
  rotate,
  RotationError,
  type Deps,
  type Log,
  type Outcome,
  type Words
} from './rotation/index.js'
import type { Settings } from './rotation/job.js'
import type { UserSpec } from './inputs/users.js'
import { CONCURRENT_USERS } from './pace.js'
import { errorWords } from './report/error.js'
import { reasonWords } from './report/reason.js'
import { describePlan } from './report/dry-run.js'
import { runsUnknownWords } from './report/github-runs.js'
import { missedWords } from './report/github-missed.js'

/** The report's words for the facts the rotation logs and records as it goes. */
const WORDS: Words = {
  reason: reasonWords,
  dryRun: describePlan,
  runsUnknown: runsUnknownWords,
  missed: missedWords
}

/** One user's result: what happened, and the error a person reads when it failed. */
export interface UserResult {
  outcome: Outcome
  error?: string
  /** The AWS account the user was rotated in, when known: the summary groups users by it. */
  account?: string
}

/** What every user shares; the AWS session is its account's (`session`). */
export type FleetDeps = Omit<Deps, 'log' | 'keys' | 'callerArn' | 'ready' | 'adminKeyId'> & {
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
  const alone = users.length === 1
  const one = async (user: UserSpec): Promise<UserResult> => {
    const log = userLog(user.userName, alone)
    const session = sessionOf(user)
    let result: UserResult
    try {
      const { userName, targets, secretNames } = user
      // The user's own settings from the manifest win over the inputs'.
      const request = { ...settings, ...user.settings, userName, targets, secretNames }
      const { iam, callerArn, ready } = session
      const adminKeyId = await session.adminKeyId
      const deps: Deps = {
        ...shared,
        keys: iamKeys(iam),
        callerArn,
        ready,
        log,
        ...(adminKeyId ? { adminKeyId } : {})
      }
      result = { outcome: await rotate(deps, request, WORDS) }
    } catch (error) {
      // Words at the edge: the rotation says why it stopped as facts, the report says it.
      const message = errorWords(error)
      const outcome =
        error instanceof RotationError
          ? error.outcome
          : { userName: user.userName, rotated: false, written: [], cleared: [] }
      result = { outcome, error: message }
      if (!alone) core.error(`[${user.userName}] ${message}`)
    }
    const account = await session.account
    if (account) result.account = account
    return result
  }
  // A few at a time, in the manifest's order: a user starts (and opens its account's session)
  // when one before it has ended.
  const limit = pLimit(CONCURRENT_USERS)
  return Promise.all(users.map((user) => limit(() => one(user))))
}
