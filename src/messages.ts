/** Errors a person reads: what happened, and the next step. */
import type { AccessKey, LastUse } from './aws/keys.js'
import type { KeyState } from './plan.js'

const DAY_MS = 86_400_000

/** Explain an AWS SDK error raised while `doing`, with the fix for the common causes. */
export function explainAws(error: unknown, doing: string): string {
  const e = error as Error & { $metadata?: { httpStatusCode?: number } }
  const what = `AWS failed while ${doing} (${e.name}: ${e.message})`
  switch (e.name) {
    case 'NoSuchEntityException':
    case 'NoSuchEntity':
      return `${what}. Check 'iam-user-name': the user must exist in the account the credentials belong to.`
    case 'AccessDenied':
    case 'AccessDeniedException':
      return `${what}. Allow the admin role the IAM actions in docs/aws-setup.md on this user.`
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'UnrecognizedClientException':
      return `${what}. The admin credentials were refused: set 'role-to-assume', or configure valid credentials before this step.`
    case 'CredentialsProviderError':
      return `${what}. No AWS credentials were found: set 'role-to-assume' (with 'permissions: id-token: write'), or configure credentials before this step.`
    case 'LimitExceeded':
    case 'LimitExceededException':
      return `${what}. The user already has two keys: another rotation may be running for it. Use a workflow 'concurrency:' group and run again.`
    default:
      return `${what}. The AWS SDK retried and gave up; run the workflow again later.`
  }
}

const age = (d: Date, now: number): string => `${Math.floor((now - d.getTime()) / DAY_MS)} days old`
const use = (u: LastUse | undefined): string =>
  !u
    ? 'last use unknown'
    : u.date
      ? `last used ${u.date.toISOString()}${u.service ? ` (${u.service})` : ''}`
      : 'never used'

/** Why a user with two Active keys is not rotated, and how to unblock it. */
export function twoActiveKeys(
  user: string,
  keys: AccessKey[],
  uses: (LastUse | undefined)[],
  now: number
): string {
  const lines = keys.map((k, i) => `  - ${k.id}: Active, ${age(k.created, now)}, ${use(uses[i])}`)
  return [
    `IAM user ${user} has two Active access keys, so IAM has no room for a new one and the action cannot tell which one deploys use:`,
    ...lines,
    `Nothing was changed. Find the key no deploy uses (the last-use dates help), deactivate it ('aws iam update-access-key --user-name ${user} --access-key-id ID --status Inactive'), check deploys still work, then run the workflow again: it deletes the Inactive key and rotates the other.`
  ].join('\n')
}

/** Why a user is left alone while another run rotates it. */
export function busy(user: string, key: KeyState): string {
  const run = key.mark?.run ? `run ${key.mark.run}` : 'another run'
  return `IAM user ${user} is being rotated by ${run}: it created ${key.id} at ${key.mark?.at.toISOString()} and has not finished. Nothing was changed. Let that run finish; give the rotation workflow a 'concurrency:' group so runs queue instead of overlapping. If that run was killed, the next run after the in-flight window recovers on its own.`
}
