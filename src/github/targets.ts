/**
 * Where a secret can live. A target is plain data; {@link endpoints} turns it into the two REST
 * routes it needs, so adding a kind of target touches this file and its tests only.
 */

/** A repository's Actions secrets. */
export interface RepositoryTarget {
  kind: 'repository'
  owner: string
  repo: string
}

export type Target = RepositoryTarget

/** A REST route with its URL parameters, ready for `octokit.request(route, params)`. */
export interface Endpoint {
  route: string
  params: Record<string, string>
}

/** The public-key and secret routes of a target. */
export interface TargetEndpoints {
  publicKey: Endpoint
  secret(name: string): Endpoint
}

/** The REST routes that read a target's public key and write one of its secrets. */
export function endpoints(target: Target): TargetEndpoints {
  switch (target.kind) {
    case 'repository': {
      const params = { owner: target.owner, repo: target.repo }
      return {
        publicKey: { route: 'GET /repos/{owner}/{repo}/actions/secrets/public-key', params },
        secret: (name) => ({
          route: 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}',
          params: { ...params, secret_name: name }
        })
      }
    }
  }
}

/** A person's name for a target, as logs and the summary show it. */
export function describe(target: Target): string {
  switch (target.kind) {
    case 'repository':
      return `${target.owner}/${target.repo}`
  }
}

/** The permission a fine-grained token or GitHub App needs to write this target's secrets. */
export function requiredPermission(target: Target): string {
  switch (target.kind) {
    case 'repository':
      return `repository permission 'Secrets: Read and write' on ${describe(target)}`
  }
}
