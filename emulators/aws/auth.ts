/**
 * Authentication (who signed this request, and may that credential be used now?) and the
 * coarse authorization model: admin principals may call IAM, anyone authenticated may call
 * GetCallerIdentity.
 */
import type { Request } from '../shared/server.js'
import { checkClock, parseAuthorization, signatureMatches, SIGNATURE_MISMATCH } from './sigv4.js'
import type { Account, Accounts, AccessKey, Session, User } from './state.js'
import { AwsError } from './xml.js'

/** Who signed a request, and the account the credential belongs to (what the request acts in). */
export type Principal = { account: Account } & (
  | { kind: 'user'; user: User; key: AccessKey; arn: string }
  | { kind: 'session'; session: Session; arn: string }
)

export const INVALID_TOKEN = new AwsError(
  403,
  'InvalidClientTokenId',
  'The security token included in the request is invalid.'
)

/**
 * Verify the request's SigV4 signature and resolve its principal. `onKeyId` learns the access
 * key ID as soon as it is known, so the request log names the caller even when auth fails.
 */
export async function authenticate(
  req: Request,
  accounts: Accounts,
  onKeyId: (id: string) => void
): Promise<Principal> {
  const auth = parseAuthorization(req)
  onKeyId(auth.accessKeyId)
  checkClock(auth)
  const now = Date.now()
  // An unknown key ID belongs to no account: the same refusal as a key deleted.
  const account = accounts.ofKey(auth.accessKeyId)
  if (!account) throw INVALID_TOKEN
  let principal: Principal
  let secret: string
  if (auth.accessKeyId.startsWith('ASIA')) {
    const session = account.sessions.get(auth.accessKeyId)
    const token = req.headers['x-amz-security-token']
    if (!session || token !== session.sessionToken) throw INVALID_TOKEN
    if (session.expiration.getTime() <= now)
      throw new AwsError(
        403,
        'ExpiredToken',
        'The security token included in the request is expired'
      )
    principal = { account, kind: 'session', session, arn: account.sessionIdentity(session).arn }
    secret = session.secretAccessKey
  } else {
    const found = account.findKey(auth.accessKeyId)
    // Deleted, never-existing, disabled and not-yet-propagated keys all look the same to AWS.
    if (!found || found.key.status !== 'Active' || found.key.usableFrom > now) throw INVALID_TOKEN
    principal = { account, kind: 'user', user: found.user, key: found.key, arn: found.user.arn }
    secret = found.key.secretAccessKey
  }
  if (!(await signatureMatches(req, auth, secret))) throw SIGNATURE_MISMATCH
  if (principal.kind === 'user')
    principal.key.lastUsed = { date: new Date(now), serviceName: auth.service, region: auth.region }
  return principal
}

/** May `principal` call `iam:<action>` on `targetUser`? Refusal uses AWS's implicit-deny wording. */
export function authorizeIam(
  principal: Principal,
  action: string,
  targetUser: string,
  /**
   * The target's path, when it exists. IAM matches a policy's Resource against the user's ARN,
   * which holds its path; a user that does not exist has no path to match, so a path-scoped
   * policy denies it: AccessDenied, not NoSuchEntity.
   */
  targetPath?: string
): void {
  let admin: boolean
  if (principal.kind === 'session') {
    const { role } = principal.session
    admin =
      role.admin &&
      (role.usersPath === undefined ||
        (targetPath !== undefined && targetPath.startsWith(role.usersPath)))
  } else {
    const { user } = principal
    admin = user.policy === 'admin' || (user.policy === 'self' && user.userName === targetUser)
  }
  if (admin) return
  throw new AwsError(
    403,
    'AccessDenied',
    `User: ${principal.arn} is not authorized to perform: iam:${action} on resource: user ${targetUser} because no identity-based policy allows the iam:${action} action`
  )
}
