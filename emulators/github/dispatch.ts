/**
 * The request pipeline of the GitHub emulator: API version, credentials (tokens or an app JWT),
 * rate limits, then the route. App-JWT operations and token operations authenticate differently,
 * so each table gets its own context.
 */
import type { Fault, Handler, Reply } from '../shared/server.js'
import { appRoutes, type AppRouteContext } from './app-routes.js'
import { looksLikeJwt, type App, type Apps } from './apps.js'
import { credential, tokenPrefix, type Denial, type Token, type Tokens } from './auth.js'
import {
  API_VERSIONS,
  DEFAULT_API_VERSION,
  error,
  requestId,
  secondaryRateLimited,
  type ContentLimits,
  type PrimaryRateLimit,
  type SecondaryRateLimit
} from './http.js'
import { match, type RouteContext } from './router.js'
import { routes } from './routes.js'
import type { Store } from './store.js'

/** The emulator state a request can read or change. */
export interface State {
  store: Store
  tokens: Tokens
  apps: Apps
  primary: PrimaryRateLimit
  secondary?: SecondaryRateLimit
  /** GitHub's per-minute and per-hour limits on content creation. */
  content?: ContentLimits
  /** Lifetime of the installation tokens the app routes issue. */
  tokenLifetimeMs: number
}

/** What GitHub answers an app-JWT operation called with anything but a valid JWT. */
const UNDECODABLE: Denial = { status: 401, message: 'A JSON web token could not be decoded' }
const isApp = (v: App | Token | Denial | undefined): v is App => v !== undefined && 'slug' in v

/** The shared server's handler for this state. */
export function createHandler({
  store,
  tokens,
  apps,
  primary,
  secondary,
  content,
  tokenLifetimeMs
}: State): Handler {
  return {
    route: (req) =>
      (
        match(appRoutes, req.method, req.url.pathname) ??
        match(routes, req.method, req.url.pathname)
      )?.route.name ?? `${req.method} unknown`,
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
    async handle(req, entry): Promise<Reply> {
      const id = requestId()
      const headers: Record<string, string> = {
        'x-github-request-id': id,
        'x-github-media-type': 'github.v3; format=json'
      }
      const named = req.headers['x-github-api-version']
      const finish = (reply: Reply): Reply => ({
        ...reply,
        headers: { ...headers, ...reply.headers }
      })
      // GitHub's documentation: a request without the header is served as version 2022-11-28, one
      // naming a version GitHub does not support is refused with 400. Whether our own client sends
      // the header is the e2e tests' check, on the log (`entry.apiVersion` stays unset without it).
      const version = typeof named === 'string' ? named : DEFAULT_API_VERSION
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
      const value = credential(req.headers.authorization)
      // an app JWT is verified (signature, iss, iat, exp) before anything else looks at it
      const jwt = value && looksLikeJwt(value) ? await apps.verify(value) : undefined
      const auth = jwt ?? tokens.authenticate(req.headers.authorization)
      // rate limits count per credential; logs name the app or a token prefix, never a credential
      const principal = isApp(auth) ? `app:${auth.id}` : 'value' in auth ? auth.value : undefined
      if (principal) entry.principal = isApp(auth) ? principal : tokenPrefix(principal)
      Object.assign(headers, primary.headers(principal ?? 'anonymous', principal !== undefined))
      const baseUrl = `http://${req.headers.host ?? '127.0.0.1'}`
      const asApp = match(appRoutes, req.method, req.url.pathname)
      if (asApp) {
        // these operations accept nothing but an app JWT
        if (!isApp(auth)) {
          const denial = jwt && !isApp(jwt) ? jwt : UNDECODABLE
          return finish(error(denial.status, denial.message, 'https://docs.github.com/rest'))
        }
        const retryAfter = secondary?.check(principal ?? '', req.method)
        if (retryAfter !== undefined) return finish(secondaryRateLimited(retryAfter, id))
        const ctx: AppRouteContext = {
          req,
          store,
          apps,
          app: auth,
          params: asApp.params,
          baseUrl,
          issue: (token, opts) => tokens.add(token, opts),
          tokenLifetimeMs
        }
        return finish(asApp.route.handle(ctx))
      }
      const found = match(routes, req.method, req.url.pathname)
      if (!found) return finish(error(404, 'Not Found'))
      // an app acts on repositories only through an installation token, never its JWT
      if (isApp(auth)) return finish(error(403, 'Resource not accessible by integration'))
      if (!('value' in auth))
        return finish(error(auth.status, auth.message, 'https://docs.github.com/rest'))
      const retryAfter = secondary?.check(auth.value, req.method)
      if (retryAfter !== undefined) return finish(secondaryRateLimited(retryAfter, id))
      // an installation's tokens share its limits: counted per account, as the emulator installs apps
      const counted =
        auth.kind === 'installation' && auth.account
          ? `installation:${auth.account.toLowerCase()}`
          : auth.value
      const waitMs = content?.check(counted, req.method)
      if (waitMs !== undefined) {
        const reset = Math.ceil((Date.now() + waitMs) / 1000)
        return finish(
          secondaryRateLimited(Math.max(1, Math.ceil(waitMs / 1000)), id, {
            status: content?.options.status,
            reset
          })
        )
      }
      const ctx: RouteContext = {
        req,
        store,
        token: auth,
        params: found.params,
        baseUrl,
        headers
      }
      return finish(found.route.handle(ctx))
    }
  }
}
