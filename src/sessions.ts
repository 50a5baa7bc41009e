/**
 * One AWS session per account a run reaches: a role assumed with GitHub's OIDC token (or the
 * credentials of the environment) in a region, with its IAM client, its preflight, and the STS
 * client that verifies new keys in that region. A session is opened when the first user of its
 * account needs it and shared by every user of that account, so a fleet of one account assumes
 * its role once however many users it has. Wiring, not an adapter: it composes the inputs' places,
 * the AWS adapter's credentials and clients, and the report's words for a refused role.
 */
import * as core from '@actions/core'
import { IAMClient } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import type { AwsCredentialIdentityProvider } from '@smithy/types'
import { clientConfig } from './aws/config.js'
import { closeConnections, warmSession } from './aws/connections.js'
import { assumeRoleWithOidc } from './aws/credentials.js'
import { AwsFailed } from './aws/failed.js'
import { stsCallerArn, type CallerArn } from './aws/verify.js'
import { accountOfArn } from './inputs/aws-account.js'
import type { Inputs, Role } from './inputs/inputs.js'
import type { UserSpec } from './inputs/users.js'
import { inWords } from './report/credentials.js'

/** Where a user is rotated: through a role (absent: the environment's credentials), in a region. */
export interface Place {
  role?: Role
  region: string
}

/** What the users of one account share. */
export interface Session {
  iam: IAMClient
  /** GetCallerIdentity signed by a new key, in the account's region. */
  callerArn: CallerArn
  /**
   * Settles when the credentials are proven; rejects with `AwsFailed` ('admin-check'), which the
   * report words. Never unhandled.
   */
  ready: Promise<void>
  /** The account's ID: the role ARN's at once, otherwise the preflight's answer (undefined if it failed). */
  account: Promise<string | undefined>
  /** The key ID the environment's credentials sign with, so no rotation retires its own signer. */
  adminKeyId: Promise<string | undefined>
}

/**
 * Where `user` is rotated: its manifest role (assumed as the inputs say) or the `role-to-assume`
 * input, in its manifest region or the `aws-region` input.
 */
export function placeOf(user: UserSpec, inputs: Pick<Inputs, 'role' | 'assume' | 'region'>): Place {
  const arn = user.account?.roleArn
  const role = arn && inputs.assume ? { arn, ...inputs.assume } : inputs.role
  return { ...(role ? { role } : {}), region: user.account?.region ?? inputs.region }
}

type TokenSource = (audience: string) => Promise<string>

/** The sessions of one run, keyed by role ARN and region. */
export class Sessions {
  private readonly open = new Map<string, Session>()
  private early: Promise<string> | undefined

  /**
   * `early` is GitHub's token when the entry point asked for it at start-up: the first role
   * assumed uses it, and every other role asks for its own (a token is good for one assumption).
   * `maxAttempts` is each AWS call's (absent: the action's default): a read-only run may retry more.
   */
  constructor(
    early?: Promise<string>,
    private readonly getIdToken: TokenSource = core.getIDToken,
    private readonly maxAttempts?: number
  ) {
    this.early = early
  }

  /** The session of `place`, opened on first use. */
  for(place: Place): Session {
    const key = `${place.role?.arn ?? ''}\n${place.region}`
    let found = this.open.get(key)
    if (!found) {
      found = this.start(place)
      this.open.set(key, found)
    }
    return found
  }

  /** How many sessions the run opened. */
  get size(): number {
    return this.open.size
  }

  /** Ends the run's AWS connections; every client shares them (aws/config.ts). */
  close(): void {
    closeConnections()
    this.open.clear()
  }

  private start({ role, region }: Place): Session {
    let credentials: AwsCredentialIdentityProvider | undefined
    if (role) {
      const token = this.early
      this.early = undefined
      credentials = refusedOnce(inWords(assumeRoleWithOidc(role, region, token, this.getIdToken)))
    }
    const iam = new IAMClient({ ...clientConfig(region, this.maxAttempts), credentials })
    const sts = new STSClient({ ...clientConfig(region, this.maxAttempts), credentials })
    // The run's first session: a role waits for GitHub's token, and with the environment's
    // credentials the plan waits for the rest of the action to load. Open its connections
    // meanwhile; without a role the admin check below opens STS's itself, at once.
    if (this.open.size === 0) void warmSession(iam, sts, role ? 1 : 0)
    // Preflight: the credentials work. Checked beside each user's own reads, and awaited before
    // anything changes.
    const identity = sts.send(new GetCallerIdentityCommand({})).then(
      (caller) => {
        core.info(`AWS: acting as ${caller.Arn}`)
        return caller
      },
      (e: unknown) => {
        throw new AwsFailed('admin-check', e)
      }
    )
    const ready = identity.then(() => undefined)
    ready.catch(() => undefined) // awaited by every rotation; must not go unhandled meanwhile
    const known = role ? accountOfArn(role.arn) : undefined
    const account = known
      ? Promise.resolve(known)
      : identity.then(
          (caller) => caller.Account,
          () => undefined
        )
    const adminKeyId = role ? Promise.resolve(undefined) : ambientKeyId(iam)
    return { iam, callerArn: stsCallerArn(region), ready, account, adminKeyId }
  }
}

/**
 * A role that refused the run's first assumption refuses it again: its users fail with that
 * answer rather than each asking GitHub for a token and STS again. Once a session was had, a
 * failed renewal is tried anew by the next call, as it may pass.
 */
function refusedOnce(provider: AwsCredentialIdentityProvider): AwsCredentialIdentityProvider {
  let proven = false
  let refusal: Error | undefined
  return async (options) => {
    if (refusal) throw refusal
    try {
      const credentials = await provider(options)
      proven = true
      return credentials
    } catch (error) {
      if (!proven) refusal = error as Error
      throw error
    }
  }
}

/** The key ID the ambient credentials sign with, so the rotation never retires its own key. */
async function ambientKeyId(iam: IAMClient): Promise<string | undefined> {
  try {
    return (await iam.config.credentials()).accessKeyId
  } catch {
    return undefined // no credentials: the first IAM call reports it with the fix
  }
}
