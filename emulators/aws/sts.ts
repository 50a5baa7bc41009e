/** The STS actions: GetCallerIdentity and (unsigned) AssumeRoleWithWebIdentity against an OIDC issuer. */
import { createRemoteJWKSet, decodeJwt, jwtVerify, type JWTPayload } from 'jose'
import type { Principal } from './auth.js'
import { checkString, required, validationError, type Params } from './query.js'
import {
  globMatches,
  newId,
  newSecret,
  newSessionToken,
  type Account,
  type Accounts,
  type OidcTrust
} from './state.js'
import { AwsError, type XmlNode } from './xml.js'

export type { OidcTrust } from './state.js'

/** The caller's own account answers, as AWS's does. */
export function getCallerIdentity(principal: Principal): XmlNode {
  const { account } = principal
  const userId =
    principal.kind === 'user'
      ? principal.user.userId
      : account.sessionIdentity(principal.session).userId
  return { Arn: principal.arn, UserId: userId, Account: account.accountId }
}

const invalidToken = (message: string) => new AwsError(400, 'InvalidIdentityToken', message)
const NOT_AUTHORIZED = new AwsError(
  403,
  'AccessDenied',
  'Not authorized to perform sts:AssumeRoleWithWebIdentity'
)

/**
 * Verifies web identity tokens for every account of one emulator, each against its own OIDC
 * provider registration; a JWKS is fetched once per URL and cached by jose.
 */
export class WebIdentity {
  private readonly jwks = new Map<string, ReturnType<typeof createRemoteJWKSet>>()

  constructor(private readonly accounts: Accounts) {}

  async assume(params: Params): Promise<XmlNode> {
    const roleArn = required(params, 'RoleArn')
    checkString(roleArn, 'roleArn', { min: 20, max: 2048 })
    const sessionName = required(params, 'RoleSessionName')
    checkString(sessionName, 'roleSessionName', {
      min: 2,
      max: 64,
      pattern: /^[\w+=,.@-]*$/,
      patternText: '[\\w+=,.@-]*'
    })
    const token = required(params, 'WebIdentityToken')
    checkString(token, 'webIdentityToken', { min: 4, max: 20000 })
    const duration = this.duration(params.get('DurationSeconds'))

    let unverified: JWTPayload
    try {
      unverified = decodeJwt(token)
    } catch {
      throw invalidToken(
        'The ID Token provided is not a valid JWT. (You may see this error if you sent an Access Token)'
      )
    }
    const { account, roleName } = this.parseArn(roleArn)
    // The provider is looked up in the role's account: a registration elsewhere does not count.
    const oidc = account?.oidc
    if (account && (!oidc || unverified.iss !== oidc.issuer))
      throw invalidToken(
        `No OpenIDConnect provider found in your account for ${unverified.iss ?? ''}`
      )
    const role = account?.roles.get(roleName)
    // An unknown role (or account) is indistinguishable from an untrusting one.
    if (!account || !oidc || !role || role.arn !== roleArn) throw NOT_AUTHORIZED
    const payload = await this.verify(token, oidc)
    const audiences = typeof payload.aud === 'string' ? [payload.aud] : (payload.aud ?? [])
    if (!audiences.includes(role.audience)) throw invalidToken('Incorrect token audience')
    if (typeof payload.sub !== 'string' || !globMatches(role.subject, payload.sub))
      throw NOT_AUTHORIZED
    if (duration > role.maxSessionDuration)
      throw new AwsError(
        400,
        'ValidationError',
        'The requested DurationSeconds exceeds the MaxSessionDuration set for this role.'
      )

    const session = {
      accessKeyId: newId('ASIA'),
      secretAccessKey: newSecret(),
      sessionToken: newSessionToken(),
      role,
      sessionName,
      expiration: new Date(Date.now() + duration * 1000)
    }
    account.sessions.set(session.accessKeyId, session)
    const identity = account.sessionIdentity(session)
    // Element order follows the API reference's sample response.
    return {
      SubjectFromWebIdentityToken: payload.sub,
      Audience: role.audience,
      AssumedRoleUser: { Arn: identity.arn, AssumedRoleId: identity.userId },
      Credentials: {
        SessionToken: session.sessionToken,
        SecretAccessKey: session.secretAccessKey,
        Expiration: session.expiration,
        AccessKeyId: session.accessKeyId
      },
      Provider: `arn:aws:iam::${account.accountId}:oidc-provider/${oidc.issuer.replace(/^https:\/\//, '')}`
    }
  }

  private duration(raw: string | undefined): number {
    if (raw === undefined) return 3600
    const n = Number(raw)
    if (!Number.isInteger(n))
      throw validationError(raw, 'durationSeconds', 'Member must be an integer')
    if (n < 900)
      throw validationError(
        raw,
        'durationSeconds',
        'Member must have value greater than or equal to 900'
      )
    if (n > 43200)
      throw validationError(
        raw,
        'durationSeconds',
        'Member must have value less than or equal to 43200'
      )
    return n
  }

  /** The account the role ARN names (undefined: no such account) and the role's name. */
  private parseArn(roleArn: string): { account?: Account; roleName: string } {
    const m = /^arn:aws:iam::(\d{12}):role\/(?:[\w+=,.@/-]*\/)?([\w+=,.@-]+)$/.exec(roleArn)
    if (!m) throw new AwsError(400, 'ValidationError', 'Request ARN is invalid')
    return { account: this.accounts.get(m[1] ?? ''), roleName: m[2] ?? '' }
  }

  private async verify(token: string, oidc: OidcTrust): Promise<JWTPayload> {
    let jwks = this.jwks.get(oidc.jwksUrl)
    if (!jwks) {
      jwks = createRemoteJWKSet(new URL(oidc.jwksUrl), { timeoutDuration: 5000 })
      this.jwks.set(oidc.jwksUrl, jwks)
    }
    try {
      const { payload } = await jwtVerify(token, jwks, { algorithms: ['RS256'] })
      return payload
    } catch (error) {
      const code = (error as { code?: string }).code ?? ''
      if (code === 'ERR_JWT_EXPIRED') {
        const exp = decodeJwt(token).exp ?? 0
        throw new AwsError(
          400,
          'ExpiredTokenException',
          // AWS's wording, including the missing space before the expiry.
          `Token expired: current date/time ${Math.floor(Date.now() / 1000)} must be before the expiration date/time${exp}`
        )
      }
      if (['ERR_JWKS_TIMEOUT', 'ERR_JWKS_INVALID', 'ERR_JOSE_GENERIC', ''].includes(code))
        throw new AwsError(
          400,
          'IDPCommunicationError',
          "Couldn't retrieve verification key from your identity provider,  please reference AssumeRoleWithWebIdentity documentation for requirements"
        )
      throw invalidToken(
        'The web identity token that was passed could not be validated by AWS. Get a new identity token from the identity provider and then retry the request.'
      )
    }
  }
}
