/**
 * An Octokit auth strategy for one GitHub App installation whose token is narrowed to what the
 * run needs ({@link Access}) and masked the moment it arrives. @octokit/auth-app's own request
 * hook always mints a token with the installation's every repository and permission, so this hook
 * asks its `auth()` for the narrowed token instead; auth-app still caches it (59 minutes, keyed by
 * the narrowing) and mints a fresh one after, which is masked in turn.
 */
import * as core from '@actions/core'
import { createAppAuth } from '@octokit/auth-app'
import type { Octokit } from '@octokit/core'
import type { Access } from './access.js'
import { answered, AuthError, rateLimited, reason, type MintFailure } from './errors.js'

type Request = Octokit['request']

export interface InstallationAuthOptions extends Access {
  appId: string
  privateKey: string
  installationId: number
  /** Who the installation belongs to, for what a failure says. */
  account: string
  /** Octokit passes its own `request`, so minting goes through its retries and throttling. */
  request?: Request
}

/** GitHub may answer 401 for a token minted moments ago, until the token has replicated. */
const REPLICATION_MS = 5_000

/** Minting is app-authenticated: auth-app's own hook signs it with the app's JWT. */
const MINT = /\/app\/installations\/[^/]+\/access_tokens$/

/** Tokens already masked: `::add-mask::` once per token, not once per request. */
const masked = new Set<string>()

function mask(token: string): void {
  if (masked.has(token)) return
  masked.add(token)
  core.setSecret(token)
}

export function createInstallationAuth(options: InstallationAuthOptions) {
  const { installationId, repositoryNames, permissions, account, ...rest } = options
  const app = createAppAuth({ ...rest, installationId })

  const token = async (): Promise<{ token: string; createdAt: string }> => {
    try {
      const auth = await app({ type: 'installation', installationId, repositoryNames, permissions })
      mask(auth.token)
      return auth
    } catch (error) {
      throw (
        rateLimited(error, { doing: { doing: 'mint', account } }) ??
        new AuthError(mintFailure(error, account, options), { cause: error })
      )
    }
  }

  const hook = async (
    request: Request,
    route: Parameters<Request>[0],
    parameters?: Parameters<Request>[1]
  ): Promise<unknown> => {
    const merged = request.endpoint.merge(route, parameters)
    const endpoint = { ...merged, url: merged.url ?? '' }
    if (MINT.test(endpoint.url.split('?')[0] ?? '')) return app.hook(request, route, parameters)
    const { token: value, createdAt } = await token()
    endpoint.headers.authorization = `token ${value}`
    try {
      return await request(endpoint)
    } catch (error) {
      const fresh = Date.now() - Date.parse(createdAt) < REPLICATION_MS
      if ((error as { status?: number }).status !== 401 || !fresh) throw error
      await new Promise((r) => setTimeout(r, 1_000))
      return request(endpoint)
    }
  }

  return Object.assign(token, { hook })
}

/** Why no token was minted: what was asked, and GitHub's answer (a 422: the App lacks some of it). */
function mintFailure(error: unknown, account: string, access: Access): MintFailure {
  const status = answered(error) ? (error as { status: number }).status : undefined
  return {
    account,
    ...(status === undefined ? {} : { status }),
    reason: reason(error),
    ...(access.repositoryNames ? { repositories: access.repositoryNames } : {}),
    permissions: access.permissions
  }
}
