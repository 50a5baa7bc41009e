/** Errors a person reads: what happened, and the next step. */
import type { AccessKey, LastUse } from '../aws/key-data.js'
import { MAX_USER_TAGS, TAGS_NEEDED, type Intent } from '../rotation/marks.js'
import { DAY_MS } from '../rotation/day.js'
import { EmptyAnswer } from '../aws/empty-answer.js'
import { VerifyError } from '../rotation/verify.js'
import { emptyAnswer } from './aws-empty.js'
import { unverified } from './rotation-verify.js'
import { credentialsFailure, credentialsWords } from './credentials.js'

/** How many times the SDK sent the call: its retry middleware records it on the error. */
const attempts = (e: { $metadata?: { attempts?: number } }): number => e.$metadata?.attempts ?? 1

const NO_SUCH_USER =
  "Check 'iam-user-name': the user must exist in the account the credentials belong to."
const CREDENTIALS_REFUSED = [
  "The admin credentials were refused: set 'role-to-assume',",
  'or configure valid credentials before this step.'
].join(' ')
const NO_CREDENTIALS = [
  "No AWS credentials were found: set 'role-to-assume' (with 'permissions: id-token: write'),",
  'or configure credentials before this step.'
].join(' ')
const TAGS_FULL = [
  `IAM allows ${MAX_USER_TAGS} tags per user and the action needs ${TAGS_NEEDED} of them:`,
  "remove tags the user no longer needs ('aws iam untag-user'), then run again."
].join(' ')
const KEYS_FULL = [
  'IAM allows two access keys per user and this one has two: another rotation may be running for it.',
  "Give the rotation workflows one 'concurrency:' group, and run again."
].join(' ')
const CONCURRENT_NEXT = 'IAM refused this one without acting. Run the workflow again.'

/** Explain an AWS SDK error raised while `doing`, with the fix for the common causes. */
export function explainAws(error: unknown, doing: string, readingUser = false): string {
  // The admin credentials failed, not the call: their words say why and what to change.
  const credentials = credentialsFailure(error)
  if (credentials) return credentialsWords(credentials)
  const e = error as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } }
  const what = `AWS failed while ${doing} (${e.name}: ${said(e)})`
  switch (e.name) {
    case 'NoSuchEntityException':
    case 'NoSuchEntity':
      return `${what}. ${NO_SUCH_USER}`
    case 'AccessDenied':
    case 'AccessDeniedException':
      return `${what}. ${accessDenied(e.message, readingUser)}`
    case 'InvalidClientTokenId':
    case 'SignatureDoesNotMatch':
    case 'ExpiredToken':
    case 'UnrecognizedClientException':
      return `${what}. ${CREDENTIALS_REFUSED}`
    case 'CredentialsProviderError':
      return `${what}. ${NO_CREDENTIALS}`
    case 'LimitExceeded':
    case 'LimitExceededException':
      return /TagsPerUser/i.test(e.message) ? `${what}. ${TAGS_FULL}` : `${what}. ${KEYS_FULL}`
    case 'ConcurrentModification':
    case 'ConcurrentModificationException': {
      const n = attempts(e)
      const still = n > 1 ? `, still after ${n} attempts` : ''
      return `${what}. Another change to the IAM user was in progress${still}; ${CONCURRENT_NEXT}`
    }
    default:
      // Only what the SDK did: it does not retry a client error, nor a create without an answer.
      return attempts(e) > 1
        ? `${what}. The AWS SDK tried ${attempts(e)} times and gave up; run the workflow again later.`
        : `${what}. Run the workflow again later.`
  }
}

/** The error's own account: the AWS adapter's facts in words, any other error's message. */
const said = (e: Error): string =>
  e instanceof EmptyAnswer
    ? emptyAnswer(e.facts)
    : e instanceof VerifyError
      ? unverified(e.facts)
      : e.message

/**
 * Why IAM said AccessDenied about a user, and what to check. Under the documented policy the role
 * may manage only users on one path, and IAM then answers AccessDenied (not NoSuchEntity) for a
 * user off that path or one that does not exist: a typo in the name looks like a policy problem.
 * The account and partition come from IAM's own message, which names the caller's ARN.
 */
function accessDenied(message: string, readingUser: boolean): string {
  const [, partition = 'aws', account] =
    /arn:(aws[\w-]*):(?:iam|sts)::(\d{12}):/.exec(message) ?? []
  const where = account ? ` in account ${account}` : ''
  // Once the user was read, it exists on a path the role reaches: the policy lacks the action.
  if (!readingUser) {
    return [
      `IAM denied the admin credentials${where} this action on a user they could read.`,
      'Allow the admin role the IAM actions in docs/aws-setup.md on this user, then run the workflow again.'
    ].join(' ')
  }
  const path = `arn:${partition}:iam::${account ?? 'ACCOUNT'}:user/deploy/*`
  return [
    `IAM denied the admin credentials${where}.`,
    `Under the permission policy of docs/aws-setup.md they manage only users on one path ('${path}'),`,
    'and IAM answers AccessDenied, not NoSuchEntity, for a user off that path or one that does not exist.',
    "Check 'iam-user-name' (the user's name alone, without its path) and that the user exists on that path",
    "in that account ('aws iam get-user --user-name NAME' shows its Path);",
    'otherwise allow the admin role the IAM actions of docs/aws-setup.md on this user.'
  ].join(' ')
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
  const deactivate = `aws iam update-access-key --user-name ${user} --access-key-id ID --status Inactive`
  return [
    [
      `IAM user ${user} has two Active access keys, so IAM has no room for a new one`,
      'and the action cannot tell which one deploys use:'
    ].join(' '),
    ...lines,
    [
      'Nothing was changed. Find the key no deploy uses (the last-use dates help),',
      `deactivate it ('${deactivate}'), check deploys still work, then run the workflow again:`,
      'it deletes the Inactive key and rotates the other.'
    ].join(' ')
  ].join('\n')
}

const STILL_RUNNING =
  'while GitHub says the run is still in progress (it may still be writing secrets)'

/** Why a user is left alone while another run holds its lease. */
export function busy(user: string, intent: Intent, now: number): string {
  const run = intent.run ? `run ${intent.run.id} (attempt ${intent.run.attempt})` : 'another run'
  const from = intent.workflow ? ` of ${intent.workflow}` : ''
  const until =
    intent.lease.getTime() <= now
      ? `whose lease ran out at ${intent.lease.toISOString()} ${STILL_RUNNING}`
      : `holds it until ${intent.lease.toISOString()}`
  return [
    `IAM user ${user} is being rotated by ${run}${from}, which started at ${intent.at.toISOString()} and ${until}.`,
    'Nothing was changed. Let that run finish;',
    "give the rotation workflows one 'concurrency:' group so runs queue instead of overlapping.",
    'If that run was killed, re-running it takes over at once; any other run takes over when its lease ends.'
  ].join(' ')
}

/**
 * Why a run does not touch a user another repository's workflow rotates. What a person usually
 * wants is that rotation: run the workflow that published the key. Moving the user is the other way.
 */
export function otherOwner(user: string, key: string, theirs: string, ours: string): string {
  return [
    `IAM user ${user}'s key ${key} was published by workflow ${theirs}; this is ${ours}.`,
    "Rotating it from here would retire a key that workflow's targets hold, so nothing was changed.",
    `To rotate ${user}, run ${theirs}: by hand if it has a 'workflow_dispatch' trigger${dispatchCommand(theirs)}.`,
    `Or, to rotate ${user} from here instead, rotate each IAM user from one workflow only:`,
    `list every target of ${user} in one of the two and remove it from the other,`,
    'or give each workflow its own IAM user.'
  ].join(' ')
}

/**
 * The command that runs a workflow by hand, for a workflow as marks name it (`owner/repo/file.yml`);
 * nothing for a long name a mark shortened (it holds a `+` and a hash), whose file is not known.
 */
function dispatchCommand(workflow: string): string {
  const [owner, repo, ...file] = workflow.split('/')
  return file.length > 0 && !workflow.includes('+')
    ? ` ('gh workflow run ${file.join('/')} --repo ${owner}/${repo}')`
    : ''
}

/** Why a run stops when the user has no room for the action's marks. */
export function tagQuota(user: string, own: number): string {
  const free = MAX_USER_TAGS - own
  const list = `aws iam list-user-tags --user-name ${user}`
  return [
    `IAM user ${user} has ${own} tags of its own; IAM allows ${MAX_USER_TAGS} per user`,
    `and the action needs ${TAGS_NEEDED} for its marks (it has ${Math.max(free, 0)}). Nothing was changed.`,
    `Remove ${TAGS_NEEDED - free} tag(s) the user no longer needs ('${list}', then 'aws iam untag-user'),`,
    'and run again.'
  ].join(' ')
}

/**
 * Why a due rotation does not go ahead: IAM's second key is held by something the action does not
 * account for (a person's own key) or a person re-activated the old one.
 */
export function strangerKey(
  user: string,
  current: AccessKey,
  stranger: AccessKey,
  uses: (LastUse | undefined)[],
  now: number,
  reactivatedUntil?: Date
): string {
  const line = (k: AccessKey, i: number, what: string): string =>
    `  - ${k.id}: Active, created ${k.created.toISOString()} (${age(k.created, now)}), ${use(uses[i])}; ${what}`
  const why = reactivatedUntil
    ? [
        'the action deactivated it and a person turned it back on;',
        `it stays until its grace period ends on ${reactivatedUntil.toISOString().slice(0, 10)}`
      ].join(' ')
    : [
        'the action did not create it and its records do not name it:',
        'it may be a key a person made by hand, or one a consumer outside GitHub uses'
      ].join(' ')
  const deactivate = `aws iam update-access-key --user-name ${user} --access-key-id ${stranger.id} --status Inactive`
  return [
    [
      `IAM user ${user} is due for rotation, but both of its access keys are Active and IAM allows two,`,
      'so there is no room for a new one:'
    ].join(' '),
    line(current, 0, 'the key the action published to the targets'),
    line(stranger, 1, why),
    [
      'Nothing was changed: the action never retires a key it cannot account for.',
      `If no one uses ${stranger.id}, deactivate it ('${deactivate}'), check nothing broke, and run again:`,
      'the rotation deletes the Inactive key to make room.',
      `If ${stranger.id} is the key every target should hold now (a rotation by hand),`,
      `deactivate ${current.id} instead once no target holds it.`
    ].join(' ')
  ].join('\n')
}
