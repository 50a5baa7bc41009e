/**
 * The admin credentials the rotation works with: a role assumed with GitHub's OIDC token, or
 * whatever the AWS SDK's default chain finds in the environment.
 */
import * as core from '@actions/core'
import { AssumeRoleWithWebIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { memoize } from '@smithy/property-provider'
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@smithy/types'
import type { Inputs } from '../inputs.js'
import { clientConfig } from './config.js'

type Role = NonNullable<Inputs['role']>

/** Renew the session when less than this is left, so no call is signed with expiring credentials. */
const REFRESH_BEFORE_MS = 60_000
/** Tries and per-try time limit for the OIDC token: the runner's token service can blip or hang. */
const TOKEN_ATTEMPTS = 4
const TOKEN_TIMEOUT_MS = 10_000

/**
 * GitHub's OIDC token, tried again on 429, 5xx, network errors and time-outs. `@actions/core`
 * retries only 502-504 and never times out, and the token service can be throttled or hang.
 */
export async function oidcToken(
  audience: string,
  getIdToken: (audience: string) => Promise<string>,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((r) => setTimeout(r, ms))
): Promise<string> {
  for (let attempt = 1; ; attempt++) {
    let timer: NodeJS.Timeout | undefined
    try {
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error(`no answer within ${TOKEN_TIMEOUT_MS / 1000} s`)),
          TOKEN_TIMEOUT_MS
        )
      })
      return await Promise.race([getIdToken(audience), timeout])
    } catch (error) {
      const message = (error as Error).message
      const code = Number(/Error Code : (\d+)/.exec(message)?.[1] ?? 0)
      const transient =
        code === 0 ? !/ACTIONS_ID_TOKEN_REQUEST/.test(message) : code === 429 || code >= 500
      if (!transient || attempt >= TOKEN_ATTEMPTS) throw error
      await sleep(1000 * 2 ** (attempt - 1))
    } finally {
      clearTimeout(timer)
    }
  }
}

/**
 * A provider that fetches a fresh OIDC token and assumes `role` with it, once: concurrent first
 * calls share one session. It assumes the role again when the session nears expiry, so a long
 * run gets new credentials on its own.
 */
export function assumeRoleWithOidc(
  role: Role,
  region: string,
  getIdToken: (audience: string) => Promise<string> = core.getIDToken
): AwsCredentialIdentityProvider {
  const assume = async (): Promise<AwsCredentialIdentity> => {
    let token: string
    try {
      // getIDToken masks the token itself.
      token = await oidcToken(role.audience, getIdToken)
    } catch (error) {
      throw new Error(
        `Could not get GitHub's OIDC token (${(error as Error).message}). Give the job 'permissions: id-token: write', or leave 'role-to-assume' empty to use credentials from the environment.`,
        { cause: error }
      )
    }
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
      const e = error as Error
      throw new Error(
        `Could not assume role ${role.arn} with GitHub's OIDC token (${e.name}: ${e.message}). Check that the role trusts the GitHub OIDC provider for this repository and branch (condition on 'token.actions.githubusercontent.com:sub') and audience '${role.audience}'.`,
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
