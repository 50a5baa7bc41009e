/** The IAM actions the emulator implements, with AWS's validation, limits and error wording. */
import { authorizeIam, type Principal } from './auth.js'
import { checkString, memberList, required, validationError, type Params } from './query.js'
import { MAX_KEYS_PER_USER, type Account, type AccessKey, type User } from './state.js'
import type { UserView } from './read-lag.js'
import { AwsError, type XmlNode } from './xml.js'

export interface IamContext {
  account: Account
  principal: Principal
  params: Params
  propagationDelayMs: number
  /**
   * Called by a change of a user once it is authorized and valid, right before it acts: throws
   * ConcurrentModification when it overlaps another change of the user (see changes.ts), and
   * remembers the state it replaces for reads that lag (see read-lag.ts).
   */
  claim(user: User): void
  /** The user's keys and tags as a read sees them now (see read-lag.ts). */
  view(user: User): UserView
}

type Action = (ctx: IamContext) => XmlNode | undefined

const NAME = { min: 1, max: 64, pattern: /^[\w+=,.@-]+$/, patternText: '[\\w+=,.@-]+' }
const KEY_ID = { min: 16, max: 128, pattern: /^\w+$/, patternText: '[\\w]+' }
const TAG_KEY = {
  min: 1,
  max: 128,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]+$/u,
  patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+'
}
const TAG_VALUE = {
  max: 256,
  pattern: /^[\p{L}\p{Z}\p{N}_.:/=+\-@]*$/u,
  patternText: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*'
}
const MAX_TAGS = 50

/** UserName defaults to the caller's own user; role sessions have none, so AWS refuses. */
function targetName(ctx: IamContext, nameRequired: boolean): string {
  const name = nameRequired ? required(ctx.params, 'UserName') : ctx.params.get('UserName')
  if (name !== undefined) {
    checkString(name, 'userName', NAME)
    return name
  }
  if (ctx.principal.kind === 'user') return ctx.principal.user.userName
  throw new AwsError(
    400,
    'ValidationError',
    'Must specify userName when calling with non-User credentials'
  )
}

/** Authorize first (as AWS evaluates policy before looking the entity up), then resolve. */
function targetUser(ctx: IamContext, action: string, nameRequired = false): User {
  const name = targetName(ctx, nameRequired)
  const user = ctx.account.users.get(name)
  authorizeIam(ctx.principal, action, name, user?.path)
  if (!user) throw new AwsError(404, 'NoSuchEntity', `The user with name ${name} cannot be found.`)
  return user
}

function userKey(ctx: IamContext, user: User): AccessKey {
  const id = required(ctx.params, 'AccessKeyId')
  checkString(id, 'accessKeyId', KEY_ID)
  const key = user.keys.find((k) => k.accessKeyId === id)
  if (!key) throw new AwsError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`)
  return key
}

const keyMetadata = (k: AccessKey): XmlNode => ({
  UserName: k.userName,
  AccessKeyId: k.accessKeyId,
  Status: k.status,
  CreateDate: k.createDate
})

const tagList = (view: UserView): XmlNode[] =>
  view.tags.map((t) => ({ Key: t.Key, Value: t.Value }))

/** ListUsers' page size: AWS's default, and the most one page may hold. */
export const LIST_USERS_DEFAULT = 100
export const LIST_USERS_MAX = 1000
const PATH_PREFIX = {
  min: 1,
  max: 512,
  pattern: /^\/.*$/,
  patternText: '\\u002F[\\u0021-\\u007F]*'
}

/** A page marker is opaque to clients; here it is the name the next page starts after. */
const encodeMarker = (userName: string): string => Buffer.from(userName).toString('base64')
const decodeMarker = (marker: string): string => Buffer.from(marker, 'base64').toString()

export const IAM_ACTIONS: Record<string, Action> = {
  ListUsers(ctx) {
    const prefix = ctx.params.get('PathPrefix') ?? '/'
    checkString(prefix, 'pathPrefix', PATH_PREFIX)
    const rawMax = ctx.params.get('MaxItems')
    const max = rawMax === undefined ? LIST_USERS_DEFAULT : Number(rawMax)
    if (!Number.isInteger(max) || max < 1 || max > LIST_USERS_MAX)
      throw validationError(
        rawMax ?? '',
        'maxItems',
        `Member must have value ${max < 1 ? 'greater than or equal to 1' : `less than or equal to ${LIST_USERS_MAX}`}`
      )
    // The listing's resource is the path prefix: a policy scoped to /deploy/* lists only there.
    authorizeIam(ctx.principal, 'ListUsers', `${prefix}*`, prefix)
    const marker = ctx.params.get('Marker')
    const after = marker === undefined ? undefined : decodeMarker(marker)
    const all = [...ctx.account.users.values()]
      .filter((u) => u.path.startsWith(prefix))
      .sort((a, b) => (a.userName < b.userName ? -1 : a.userName > b.userName ? 1 : 0))
    const start = after === undefined ? 0 : all.findIndex((u) => u.userName > after)
    const page = start < 0 ? [] : all.slice(start, start + max)
    const truncated = start >= 0 && start + max < all.length
    return {
      Users: page.map((u) => ({
        Path: u.path,
        UserName: u.userName,
        UserId: u.userId,
        Arn: u.arn,
        CreateDate: u.createDate
      })),
      IsTruncated: truncated,
      Marker: truncated ? encodeMarker((page[page.length - 1] as User).userName) : undefined
    }
  },

  ListAccessKeys(ctx) {
    const user = targetUser(ctx, 'ListAccessKeys')
    return { AccessKeyMetadata: ctx.view(user).keys.map(keyMetadata), IsTruncated: false }
  },

  CreateAccessKey(ctx) {
    const user = targetUser(ctx, 'CreateAccessKey')
    if (user.keys.length >= MAX_KEYS_PER_USER)
      throw new AwsError(
        409,
        'LimitExceeded',
        `Cannot exceed quota for AccessKeysPerUser: ${MAX_KEYS_PER_USER}`
      )
    ctx.claim(user)
    const now = Date.now()
    const key = ctx.account.addKey(user, {
      createDate: new Date(now),
      usableFrom: now + ctx.propagationDelayMs
    })
    ctx.account.issued.push(key)
    return {
      AccessKey: {
        UserName: key.userName,
        AccessKeyId: key.accessKeyId,
        Status: key.status,
        SecretAccessKey: key.secretAccessKey,
        CreateDate: key.createDate
      }
    }
  },

  UpdateAccessKey(ctx) {
    const user = targetUser(ctx, 'UpdateAccessKey')
    const key = userKey(ctx, user)
    const status = required(ctx.params, 'Status')
    if (status !== 'Active' && status !== 'Inactive')
      throw validationError(
        status,
        'status',
        'Member must satisfy enum value set: [Active, Inactive, Expired]'
      )
    ctx.claim(user)
    key.status = status
    return undefined
  },

  DeleteAccessKey(ctx) {
    const user = targetUser(ctx, 'DeleteAccessKey')
    const key = userKey(ctx, user)
    ctx.claim(user)
    user.keys = user.keys.filter((k) => k !== key)
    return undefined
  },

  GetAccessKeyLastUsed(ctx) {
    const id = required(ctx.params, 'AccessKeyId')
    checkString(id, 'accessKeyId', KEY_ID)
    const found = ctx.account.findKey(id)
    authorizeIam(
      ctx.principal,
      'GetAccessKeyLastUsed',
      found?.user.userName ?? id,
      found?.user.path
    )
    if (!found)
      throw new AwsError(404, 'NoSuchEntity', `The Access Key with id ${id} cannot be found.`)
    const used = found.key.lastUsed
    // Never used: no date, and 'N/A' for service and region, as the API reference documents.
    // Element order follows the reference's sample response.
    return {
      AccessKeyLastUsed: used
        ? { Region: used.region, LastUsedDate: used.date, ServiceName: used.serviceName }
        : { Region: 'N/A', ServiceName: 'N/A' },
      UserName: found.user.userName
    }
  },

  GetUser(ctx) {
    const user = targetUser(ctx, 'GetUser')
    const view = ctx.view(user)
    return {
      User: {
        Path: user.path,
        UserName: user.userName,
        UserId: user.userId,
        Arn: user.arn,
        CreateDate: user.createDate,
        Tags: view.tags.length > 0 ? tagList(view) : undefined
      }
    }
  },

  TagUser(ctx) {
    const tags = memberList(ctx.params, 'Tags').map((m) => ({
      Key: m.get('Key') ?? '',
      Value: m.get('Value') ?? ''
    }))
    if (tags.length > MAX_TAGS)
      throw validationError(
        JSON.stringify(tags),
        'tags',
        `Member must have length less than or equal to ${MAX_TAGS}`
      )
    for (const tag of tags) {
      checkString(tag.Key, 'tags.X.member.key', TAG_KEY)
      checkString(tag.Value, 'tags.X.member.value', TAG_VALUE)
    }
    const lower = tags.map((t) => t.Key.toLowerCase())
    if (new Set(lower).size !== lower.length)
      throw new AwsError(
        400,
        'InvalidInput',
        'Duplicate tag keys found. Please note that Tag keys are case insensitive.'
      )
    const user = targetUser(ctx, 'TagUser', true)
    // IAM tag keys are case-insensitive: a tag whose key differs only in case is replaced.
    const kept = user.tags.filter((t) => !lower.includes(t.Key.toLowerCase()))
    if (kept.length + tags.length > MAX_TAGS)
      throw new AwsError(409, 'LimitExceeded', `Cannot exceed quota for TagsPerUser: ${MAX_TAGS}`)
    ctx.claim(user)
    user.tags = [...kept, ...tags]
    return undefined
  },

  UntagUser(ctx) {
    const keys = memberList(ctx.params, 'TagKeys').map((m) => m.get('') ?? '')
    if (keys.length > MAX_TAGS)
      throw validationError(
        JSON.stringify(keys),
        'tagKeys',
        `Member must have length less than or equal to ${MAX_TAGS}`
      )
    for (const key of keys) checkString(key, 'tagKeys', TAG_KEY)
    const user = targetUser(ctx, 'UntagUser', true)
    const lower = keys.map((k) => k.toLowerCase())
    ctx.claim(user)
    user.tags = user.tags.filter((t) => !lower.includes(t.Key.toLowerCase()))
    return undefined
  },

  ListUserTags(ctx) {
    const user = targetUser(ctx, 'ListUserTags', true)
    return { Tags: tagList(ctx.view(user)), IsTruncated: false }
  }
}
