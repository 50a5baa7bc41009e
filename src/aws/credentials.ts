/**
 * The admin credentials the rotation works with: a role assumed with GitHub's OIDC token, or
 * whatever the AWS SDK's default chain finds in the environment.
 */
import * as core from '@actions/core'
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { memoize } from '@smithy/property-provider'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import type { Inputs } from '../inputs/inputs.js'
import { CredentialsError, roleRefused } from '../report/messages.js'
import { oidcToken } from './oidc-token.js'
import { clientConfig } from './config.js'
import { presented } from './oidc-subject.js'

type Role = NonNullable<Inputs['role']>

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
      throw new CredentialsError(
        `Could not get GitHub's OIDC token (${(error as Error).message}). Give the job 'permissions: id-token: write', or leave 'role-to-assume' empty to use credentials from the environment.`,
        { cause: error }
      )
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
        throw new Error('STS returned no credentials')
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
      throw new CredentialsError(
        roleRefused({
          role: role.arn,
          audience: role.audience,
          durationSeconds: role.durationSeconds,
          error: { name: e.name, message: e.message, status: e.$metadata?.httpStatusCode },
          presented: presented(token)
        }),
        { cause: error }
      )
    } finally {
      sts.destroy()
    }
  }
  return memoize(
    assume,
    (c) => c.expiration !== undefined && c.expiration.getTime() - Date.now() < REFRESH_BEFORE_MS,
    (c) => c.expiration !== undefined
  )
}
