/**
 * Tokens and what they may do. GitHub answers 401 for unknown credentials, 404 when the token
 * cannot see a private repository (hiding its existence) and 403 when it can see the repository
 * but lacks the permission, with a message naming the kind of token.
 */
import type { Repository } from './store.js'

export type Access = 'write' | 'read' | 'none'
/** `installation`: a GitHub App installation token such as a workflow's GITHUB_TOKEN. */
export type TokenKind = 'fine-grained' | 'installation'

/** A fine-grained permission name, as GitHub reports it in `x-accepted-github-permissions`. */
export type Permission =
  | 'secrets'
  | 'environments'
  | 'dependabot_secrets'
  | 'organization_secrets'
  | 'organization_dependabot_secrets'
  | 'metadata'
  | 'actions'
  | 'issues'

export interface TokenOptions {
  /** Repositories the token can reach, as `owner/name`, or every repository. */
  repositories: 'all' | string[]
  /** Repository "Secrets" permission: Actions repository secrets (not environment secrets). */
  secrets: Access
  /**
   * Repository "Environments" permission: GitHub's permission tables list the environment-secret
   * endpoints under it alone (read for the public key and metadata, write to set). Default `none`.
   */
  environments?: Access
  /** Repository "Dependabot secrets" permission; default `none`. */
  dependabotSecrets?: Access
  /** Repository "Actions" permission (workflow runs); default `none`, as a new fine-grained token has. */
  actions?: Access
  /** Repository "Issues" permission (issues, their comments and labels); default `none`. */
  issues?: Access
  /** Organizations whose organization secrets the token may manage. */
  organizations?: string[]
  /** Organization "Secrets" permission (`organization_secrets`): Actions secrets; default `none`. */
  organizationSecrets?: Access
  /**
   * Organization "Organization dependabot secrets" permission (`organization_dependabot_secrets`),
   * apart from "Secrets" as in GitHub's permission list; default `none`.
   */
  organizationDependabotSecrets?: Access
  kind?: TokenKind
  /**
   * Account (`owner`) the token is bound to: an app installation reaches only its account's
   * repositories, so `repositories: 'all'` then means all of that account's repositories.
   */
  account?: string
  /** Instant (ms since epoch) after which GitHub answers 401 `Bad credentials`, as for an expired installation token. */
  expiresAt?: number
}

export interface Token extends TokenOptions {
  value: string
  kind: TokenKind
}

export interface Denial {
  status: 401 | 403 | 404
  message: string
}

const rank: Record<Access, number> = { none: 0, read: 1, write: 2 }

/** A short, non-secret prefix of a token for logs. */
export const tokenPrefix = (token: string): string =>
  token.slice(0, Math.min(8, Math.floor(token.length / 2)))

/** The credential of an `Authorization: token X` / `Bearer X` header (scheme case-insensitive). */
export const credential = (header: string | undefined): string | undefined =>
  /^(?:token|bearer)\s+(\S+)\s*$/i.exec(header ?? '')?.[1]

export class Tokens {
  private readonly tokens = new Map<string, Token>()

  add(value: string, options: TokenOptions): void {
    this.tokens.set(value, { ...options, value, kind: options.kind ?? 'fine-grained' })
    if (options.kind !== 'installation') this.added.push(value)
  }

  /** Every token added by a test (fine-grained), removed ones included, for leak scans. */
  readonly added: string[] = []

  remove(value: string): void {
    this.tokens.delete(value)
  }

  /** Read `Authorization: token X` or `Authorization: Bearer X` (scheme case-insensitive). */
  authenticate(header: string | undefined): Token | Denial {
    if (!header) return { status: 401, message: 'Requires authentication' }
    const value = credential(header)
    const token = value ? this.tokens.get(value) : undefined
    if (!token || (token.expiresAt !== undefined && Date.now() >= token.expiresAt)) {
      return { status: 401, message: 'Bad credentials' }
    }
    return token
  }
}

const forbidden = (token: Token): Denial => ({
  status: 403,
  message:
    token.kind === 'installation'
      ? 'Resource not accessible by integration'
      : 'Resource not accessible by personal access token'
})

const notFound: Denial = { status: 404, message: 'Not Found' }

function reaches(token: Token, repo: Repository): boolean {
  if (token.account && token.account.toLowerCase() !== repo.owner.toLowerCase()) return false
  if (token.repositories === 'all') return true
  const full = `${repo.owner}/${repo.name}`.toLowerCase()
  return token.repositories.some((r) => r.toLowerCase() === full)
}

function granted(token: Token, permission: Permission): Access {
  switch (permission) {
    case 'secrets':
      return token.secrets
    case 'environments':
      return token.environments ?? 'none'
    case 'dependabot_secrets':
      return token.dependabotSecrets ?? 'none'
    case 'organization_secrets':
      return token.organizationSecrets ?? 'none'
    case 'organization_dependabot_secrets':
      return token.organizationDependabotSecrets ?? 'none'
    case 'actions':
      return token.actions ?? 'none'
    case 'issues':
      return token.issues ?? 'none'
    case 'metadata':
      return 'read'
  }
}

/** Check `token` may use `permission` at level `need` on `repo` (undefined: no such repo). */
export function authorizeRepository(
  token: Token,
  repo: Repository | undefined,
  permission: Permission,
  need: 'read' | 'write'
): Denial | undefined {
  if (!repo) return notFound
  if (!reaches(token, repo)) {
    // a public repository is visible to everyone, so GitHub no longer hides it behind a 404
    if (repo.private) return notFound
    return permission === 'metadata' && need === 'read' ? undefined : forbidden(token)
  }
  return rank[granted(token, permission)] >= rank[need] ? undefined : forbidden(token)
}

/** Check `token` may use organization secrets (Actions, or `dependabot`) of `org` at level `need`. */
export function authorizeOrganization(
  token: Token,
  org: string | undefined,
  need: 'read' | 'write',
  dependabot = false
): Denial | undefined {
  if (!org) return notFound
  if (!(token.organizations ?? []).some((o) => o.toLowerCase() === org.toLowerCase())) {
    return notFound
  }
  const has = granted(
    token,
    dependabot ? 'organization_dependabot_secrets' : 'organization_secrets'
  )
  return rank[has] >= rank[need] ? undefined : forbidden(token)
}
