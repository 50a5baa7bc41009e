/**
 * Every place a deploy credential can live. A target is plain data; {@link endpoints} turns it
 * into the REST routes it needs, so adding a kind of target touches this file and its tests only.
 */

export type Visibility = 'all' | 'private' | 'selected'

/** A repository's Actions secrets, or its Dependabot secrets. */
export interface RepositoryTarget {
  kind: 'repository' | 'dependabot'
  owner: string
  repo: string
}

/** The secrets of one deployment environment of a repository. */
export interface EnvironmentTarget {
  kind: 'environment'
  owner: string
  repo: string
  environment: string
}

/** An organization's Actions secrets, or its Dependabot secrets, shared with some repositories. */
export interface OrganizationTarget {
  kind: 'organization' | 'dependabot-organization'
  org: string
  /** Absent: keep what the secret has; a secret that does not exist yet is refused (secrets.ts). */
  visibility?: Visibility
  /** Repository names (without the owner) that may use the secret, when `visibility` is `selected`. */
  selectedRepositories?: string[]
}

export type Target = RepositoryTarget | EnvironmentTarget | OrganizationTarget

/** A REST route with its URL parameters, ready for `octokit.request(route, params)`. */
export interface Endpoint {
  route: string
  params: Record<string, string>
}

/** The routes of one target's secret scope. */
export interface TargetEndpoints {
  publicKey: Endpoint
  put(name: string): Endpoint
  /** Read a secret's metadata (never its value): when it was updated, an organization secret's visibility. */
  get(name: string): Endpoint
  /** Organization scopes only: the repositories selected to read a secret. */
  selected?(name: string): Endpoint
}

const base = (target: Target): { prefix: string; params: Record<string, string> } => {
  switch (target.kind) {
    case 'repository':
    case 'dependabot':
      return {
        prefix: `/repos/{owner}/{repo}/${target.kind === 'repository' ? 'actions' : 'dependabot'}`,
        params: { owner: target.owner, repo: target.repo }
      }
    case 'environment':
      return {
        prefix: '/repos/{owner}/{repo}/environments/{environment_name}',
        params: { owner: target.owner, repo: target.repo, environment_name: target.environment }
      }
    case 'organization':
    case 'dependabot-organization':
      return {
        prefix: `/orgs/{org}/${target.kind === 'organization' ? 'actions' : 'dependabot'}`,
        params: { org: target.org }
      }
  }
}

/** The REST routes that read a target's public key and write (or, for organizations, read) its secrets. */
export function endpoints(target: Target): TargetEndpoints {
  const { prefix, params } = base(target)
  const secret = (method: string, name: string, suffix = ''): Endpoint => ({
    route: `${method} ${prefix}/secrets/{secret_name}${suffix}`,
    params: { ...params, secret_name: name }
  })
  const routes: TargetEndpoints = {
    publicKey: { route: `GET ${prefix}/secrets/public-key`, params },
    put: (name) => secret('PUT', name),
    get: (name) => secret('GET', name)
  }
  if (isOrganization(target)) routes.selected = (name) => secret('GET', name, '/repositories')
  return routes
}

export function isOrganization(target: Target): target is OrganizationTarget {
  return target.kind === 'organization' || target.kind === 'dependabot-organization'
}

/** A person's name for a target, as logs and the summary show it. */
export function describe(target: Target): string {
  switch (target.kind) {
    case 'repository':
      return `${target.owner}/${target.repo}`
    case 'dependabot':
      return `${target.owner}/${target.repo} (Dependabot)`
    case 'environment':
      return `${target.owner}/${target.repo} environment ${target.environment}`
    case 'organization':
      return `organization ${target.org}`
    case 'dependabot-organization':
      return `organization ${target.org} (Dependabot)`
  }
}

/**
 * One key per secret scope: targets that share it share a public key and secret names.
 * Visibility is a property of a secret, not of its scope.
 */
export function scopeKey(target: Target): string {
  const { prefix, params } = base(target)
  return Object.entries(params).reduce((s, [k, v]) => s.replace(`{${k}}`, v.toLowerCase()), prefix)
}

/** The account that owns a target, where a GitHub App must be installed. */
export function owner(target: Target): string {
  return isOrganization(target) ? target.org : target.owner
}
