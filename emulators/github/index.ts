/**
 * GitHub REST API emulator for Actions (and Dependabot, environment, organization) secrets: real
 * libsodium sealed boxes per scope, token permissions with GitHub's 401/403/404 behaviour,
 * request bodies checked against GitHub's OpenAPI description, rate-limit headers and an
 * optional secondary rate limit. Shares no code with `src/`.
 */
import sodium from 'libsodium-wrappers'
import {
  startServer,
  type EmulatorServer,
  type Fault,
  type Handler,
  type Reply
} from '../shared/server.js'
import { Tokens, tokenPrefix, type TokenOptions } from './auth.js'
import {
  API_VERSIONS,
  PrimaryRateLimit,
  SecondaryRateLimit,
  error,
  requestId,
  secondaryRateLimited
} from './http.js'
import { match, type RouteContext } from './router.js'
import { routes } from './routes.js'
import { Store, scopeId, type Repository } from './store.js'

export { scopeId } from './store.js'
export type { Access, TokenKind, TokenOptions } from './auth.js'

export interface GitHubEmulatorOptions {
  latencyMs?: number
  /** Refuse mutating requests closer than `minIntervalMs` (or concurrent) with GitHub's secondary-rate-limit 403. */
  secondaryRateLimit?: { minIntervalMs: number }
}

/** A secret as the emulator holds it, with the decrypted value for assertions. */
export interface SecretRecord {
  name: string
  value: string
  created_at: string
  updated_at: string
  visibility?: string
  selected_repository_ids?: number[]
}

export interface GitHubEmulator extends EmulatorServer {
  addRepository(fullName: string, options?: { id?: number; private?: boolean }): Repository
  addOrganization(login: string, options?: { id?: number }): void
  addEnvironment(fullName: string, environment: string): void
  addToken(token: string, options: TokenOptions): void
  removeToken(token: string): void
  /** Replace a scope's key pair (see `scopeId`); returns the new key_id. */
  rotatePublicKey(scope: string): string
  /** Current key_id of a scope. */
  keyId(scope: string): string
  /** Secrets of a scope (see `scopeId`), values decrypted. */
  secrets(scope: string): SecretRecord[]
  /** Name → plaintext of a repository's Actions secrets. */
  repositorySecrets(fullName: string): Record<string, string>
  environmentSecrets(fullName: string, environment: string): Record<string, string>
  dependabotSecrets(fullName: string): Record<string, string>
  organizationSecrets(org: string): Record<string, string>
}

/** Start the GitHub emulator on 127.0.0.1 and a random port. */
export async function startGitHubEmulator(
  options: GitHubEmulatorOptions = {}
): Promise<GitHubEmulator> {
  await sodium.ready
  const store = new Store()
  const tokens = new Tokens()
  const primary = new PrimaryRateLimit()
  const latency = { current: (): number => 0 }
  const secondary = options.secondaryRateLimit
    ? new SecondaryRateLimit(options.secondaryRateLimit.minIntervalMs, () => latency.current())
    : undefined

  const handler: Handler = {
    route: (req) =>
      match(routes, req.method, req.url.pathname)?.route.name ?? `${req.method} unknown`,
    renderFault(fault: Fault): Reply {
      const status = fault.status ?? 500
      if (fault.body !== undefined)
        return { status, headers: fault.headers ?? {}, body: fault.body }
      const message = fault.message ?? fault.code ?? (status >= 500 ? 'Server Error' : 'Error')
      return error(status, message, 'https://docs.github.com/rest', {
        'x-github-request-id': requestId(),
        ...(fault.headers ?? {})
      })
    },
    handle(req, entry): Reply {
      const id = requestId()
      const headers: Record<string, string> = {
        'x-github-request-id': id,
        'x-github-media-type': 'github.v3; format=json'
      }
      const version = req.headers['x-github-api-version']
      const finish = (reply: Reply): Reply => ({
        ...reply,
        headers: { ...headers, ...reply.headers }
      })
      if (typeof version === 'string') {
        if (!API_VERSIONS.includes(version)) {
          return finish(
            error(
              400,
              `API version ${version} is not supported.`,
              'https://docs.github.com/rest/about-the-rest-api/api-versions'
            )
          )
        }
        headers['x-github-api-version-selected'] = version
      }
      const auth = tokens.authenticate(req.headers.authorization)
      const principal = 'value' in auth ? auth.value : `anonymous`
      if ('value' in auth) entry.principal = tokenPrefix(auth.value)
      Object.assign(headers, primary.headers(principal, 'value' in auth))
      const found = match(routes, req.method, req.url.pathname)
      if (!found) return finish(error(404, 'Not Found'))
      if (!('value' in auth))
        return finish(error(auth.status, auth.message, 'https://docs.github.com/rest'))
      const retryAfter = secondary?.check(principal, req.method)
      if (retryAfter !== undefined) return finish(secondaryRateLimited(retryAfter, id))
      const ctx: RouteContext = {
        req,
        store,
        token: auth,
        params: found.params,
        baseUrl: `http://${req.headers.host ?? '127.0.0.1'}`,
        headers
      }
      return finish(found.route.handle(ctx))
    }
  }

  const base = await startServer(handler, { latencyMs: options.latencyMs })
  latency.current = () => base.latencyMs
  const plain = (scope: string): Record<string, string> =>
    Object.fromEntries(emulator.secrets(scope).map((s) => [s.name, s.value]))

  const emulator: GitHubEmulator = {
    get url() {
      return base.url
    },
    log: base.log,
    inject: (fault) => base.inject(fault),
    clearFaults: () => base.clearFaults(),
    get latencyMs() {
      return base.latencyMs
    },
    set latencyMs(ms: number) {
      base.latencyMs = ms
    },
    close: () => base.close(),
    addRepository: (fullName, opts) => store.addRepository(fullName, opts),
    addOrganization: (login, opts) => store.addOrganization(login, opts?.id),
    addEnvironment: (fullName, env) => store.addEnvironment(fullName, env),
    addToken: (token, opts) => tokens.add(token, opts),
    removeToken: (token) => tokens.remove(token),
    rotatePublicKey: (scope) => store.rotatePublicKey(scope),
    keyId: (scope) => store.scope(scope).keyId,
    secrets: (scope) => [...store.scope(scope).secrets.values()].map((s) => ({ ...s })),
    repositorySecrets: (fullName) => plain(scopeId.repository(fullName)),
    environmentSecrets: (fullName, env) => plain(scopeId.environment(fullName, env)),
    dependabotSecrets: (fullName) => plain(scopeId.dependabot(fullName)),
    organizationSecrets: (org) => plain(scopeId.organization(org))
  }
  return emulator
}
