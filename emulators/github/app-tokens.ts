/**
 * "Create an installation access token for an app": a `ghs_` token for one installation, valid
 * for an hour, optionally narrowed to some of its repositories and permissions but never wider.
 */
import { randomBytes } from 'node:crypto'
import type { Reply, Request } from '../shared/server.js'
import {
  accountType,
  covers,
  type App,
  type AppAccess,
  type Apps,
  type InstallationPermissions
} from './apps.js'
import type { TokenOptions } from './auth.js'
import { error, json } from './http.js'
import { validateBody } from './openapi.js'
import { minimalRepository } from './org.js'
import { isReply, parseBody } from './secrets.js'
import type { Repository, Store } from './store.js'

/** What an app route gets: the app its verified JWT names instead of a token. */
export interface AppRouteContext {
  req: Request
  store: Store
  apps: Apps
  app: App
  params: Record<string, string>
  baseUrl: string
  /** Register a freshly issued installation token with the token registry. */
  issue(value: string, options: TokenOptions): void
  tokenLifetimeMs: number
}

const NOT_IN_INSTALLATION =
  'There is at least one repository that does not exist or is not accessible to the parent installation.'
const NOT_GRANTED = 'The permissions requested are not granted to this installation.'
const rank: Record<AppAccess, number> = { read: 1, write: 2 }

interface TokenRequest {
  repositories?: string[]
  repository_ids?: number[]
  permissions?: Record<string, AppAccess>
}

/** `POST /app/installations/{installation_id}/access_tokens` → 201 with the token. */
export function createToken(ctx: AppRouteContext, docs: string): Reply {
  const installation = ctx.apps.installations.get(Number(ctx.params.installation_id))
  if (!installation || installation.appId !== ctx.app.id) return error(404, 'Not Found', docs)
  const parsed = parseBody(ctx.req, docs)
  if (isReply(parsed)) return parsed
  const invalid = validateBody('POST', '/app/installations/{installation_id}/access_tokens', parsed)
  if (invalid) return error(422, invalid, docs)
  const body = parsed as TokenRequest

  const reachable = [...ctx.store.repositories.values()].filter((r) => covers(installation, r))
  // `repositories` are names within the installation's account, `repository_ids` numeric ids
  const wanted = [
    ...(body.repositories ?? []).map((n) =>
      reachable.find((r) => r.name.toLowerCase() === n.toLowerCase())
    ),
    ...(body.repository_ids ?? []).map((id) => reachable.find((r) => r.id === id))
  ]
  if (wanted.some((r) => r === undefined)) return error(422, NOT_IN_INSTALLATION, docs)
  const granted = installation.permissions as Record<string, AppAccess | undefined>
  const asked = body.permissions
  const exceeds = ([name, level]: [string, AppAccess]): boolean => {
    const has = granted[name]
    return has === undefined || rank[level] > rank[has]
  }
  // a token can only narrow what the installation was granted, never widen it
  if (asked && Object.entries(asked).some(exceeds)) return error(422, NOT_GRANTED, docs)
  const permissions: InstallationPermissions = asked ?? installation.permissions
  const narrowed = wanted.length > 0
  const selected = narrowed || installation.repositories !== 'all'
  const repos = narrowed ? (wanted as Repository[]) : reachable

  const owner = accountType(ctx.store, installation.account)
  const org = owner === 'Organization'
  const token = `ghs_${randomBytes(27).toString('base64url').replace(/[-_]/g, 'A').slice(0, 36)}`
  const expiresAt = Date.now() + ctx.tokenLifetimeMs
  const reaches = selected ? repos.map((r) => `${r.owner}/${r.name}`) : 'all'
  ctx.apps.issued.push({
    token,
    installationId: installation.id,
    account: installation.account,
    requested: structuredClone(body),
    repositories: reaches,
    permissions: { ...permissions }
  })
  ctx.issue(token, {
    kind: 'installation',
    account: installation.account,
    repositories: reaches,
    secrets: permissions.secrets ?? 'none',
    environments: permissions.environments ?? 'none',
    dependabotSecrets: permissions.dependabot_secrets ?? 'none',
    organizations: org ? [installation.account] : [],
    organizationSecrets: permissions.organization_secrets ?? 'none',
    organizationDependabotSecrets: permissions.organization_dependabot_secrets ?? 'none',
    actions: permissions.actions ?? 'none',
    issues: permissions.issues ?? 'none',
    expiresAt
  })
  return json(201, {
    token,
    // GitHub renders timestamps without milliseconds
    expires_at: new Date(expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z'),
    permissions,
    repository_selection: selected ? 'selected' : 'all',
    ...(selected
      ? { repositories: repos.map((r) => minimalRepository(r, ctx.baseUrl, owner)) }
      : {})
  })
}
