/**
 * The admin credentials the rotation works with: a role assumed with GitHub's OIDC token, or
 * whatever the AWS SDK's default chain finds in the environment.
 */
import * as core from '@actions/core'
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { memoize } from '@smithy/property-provider'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import { oidcToken } from './oidc-token.js'
import { clientConfig } from './config.js'
import { EmptyAnswer, type Missing } from './empty-answer.js'
import { presented, type Presented } from './oidc-subject.js'

/** A role to assume with GitHub's OIDC token, and how (the entry passes the inputs' role). */
export interface Role {
  arn: string
  audience: string
  sessionName: string
  durationSeconds: number
}

/**
 * The admin credentials could not be had (no OIDC token, or STS refused the role): the run
 * failed before any call of its own was sent, whichever call asked for them first. The adapter
 * throws one of its subclasses, which carry the facts; report/credentials.ts words them.
 */
export class CredentialsError extends Error {
  override name = 'CredentialsError'
}

/** GitHub's OIDC token could not be had: why is the cause (the token service's error). */
export class NoOidcToken extends CredentialsError {
  constructor(options: ErrorOptions) {
    super('oidc-token', options)
  }
}

/** What STS said when it refused the role, and what the job's token carried (never the token). */
export interface Refusal {
  role: string
  /** The `aud` the job asked GitHub for. */
  audience: string
  durationSeconds: number
  error: { name: string; message: string; status?: number; missing?: Missing }
  /** The token's `sub` and `aud`; undefined when it could not be read. */
  presented?: Presented
}

/**
 * STS refused to let the job assume the role: the facts, which report/credentials.ts turns into
 * the fix for each of STS's answers. The message is a label alone.
 */
export class RoleRefused extends CredentialsError {
  constructor(
    readonly refusal: Refusal,
    options?: ErrorOptions
  ) {
    super('role-refused', options)
  }
}

/** Renew the session when less than this is left, so no call is signed with expiring credentials. */
const REFRESH_BEFORE_MS = 60_000

/**
 * A provider that fetches a fresh OIDC token and assumes `role` with it, once: concurrent first
 * calls share one session. It assumes the role again when the session nears expiry, so a long
 * run gets new credentials on its own. `firstToken`, when given, is the token requested at
 * start-up (`startOidcToken`): the first session uses it, later ones fetch their own.
 */
export function assumeRoleWithOidc(
  role: Role,
  region: string,
  firstToken?: Promise<string>,
  getIdToken: (audience: string) => Promise<string> = core.getIDToken
): AwsCredentialIdentityProvider {
  let early = firstToken
  const assume = async (): Promise<AwsCredentialIdentity> => {
    let token: string
    try {
      // getIDToken masks the token itself.
      token = await (early ?? oidcToken(role.audience, getIdToken))
    } catch (error) {
      early = undefined // a failed early request is not repeated: the next session asks anew
      throw new NoOidcToken({ cause: error })
    }
    early = undefined // a token is good for one session: a renewal fetches a fresh one
    // The web-identity call is unsigned, so this client needs no credentials of its own.
    const sts = new STSClient(clientConfig(region))
    try {
      const { Credentials: c } = await sts.send(
        new AssumeRoleWithWebIdentityCommand({
          RoleArn: role.arn,
          RoleSessionName: role.sessionName,
          WebIdentityToken: token,
          DurationSeconds: role.durationSeconds
        })
      )
      if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
        throw new EmptyAnswer({ kind: 'sts-credentials' })
      }
      core.setSecret(c.SecretAccessKey)
      core.setSecret(c.SessionToken)
      return {
        accessKeyId: c.AccessKeyId,
        secretAccessKey: c.SecretAccessKey,
        sessionToken: c.SessionToken,
        expiration: c.Expiration
      }
    } catch (error) {
      const e = error as Error & { $metadata?: { httpStatusCode?: number } }
      throw new RoleRefused(
        {
          role: role.arn,
          audience: role.audience,
          durationSeconds: role.durationSeconds,
          error: {
            name: e.name,
            message: e.message,
            status: e.$metadata?.httpStatusCode,
            ...(e instanceof EmptyAnswer ? { missing: e.facts } : {})
          },
          presented: presented(token)
        },
        { cause: error }
      )
    }
  }
  return memoize(
    assume,
    (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS,
    (c) => c.expiration !== undefined
  )
}
