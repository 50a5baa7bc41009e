/**
 * GitHub Actions OIDC emulator: the runner's ID-token endpoint as `@actions/core`'s
 * `getIDToken(audience)` calls it (`ACTIONS_ID_TOKEN_REQUEST_URL` already carries
 * `?api-version=2.0`, the client appends `&audience=...` and sends the request token as a bearer),
 * plus the issuer's discovery document and JWKS so relying parties can verify the RS256 tokens.
 */
import { randomBytes, randomUUID } from 'node:crypto'
import { SignJWT, exportJWK, generateKeyPair, type JWK } from 'jose'
import { startServer, type EmulatorServer, type Handler, type Reply } from '../shared/server.js'
import { runClaims, tokenClaims, type GitHubOidcClaims, type SubjectForm } from './claims.js'

export type { GitHubOidcClaims } from './claims.js'

export interface OidcEmulatorOptions {
  /** Token issuer (`iss`); default GitHub's `https://token.actions.githubusercontent.com`. A function gets the emulator URL. */
  issuer?: string | ((url: string) => string)
  /** Claim overrides, e.g. `{ repository: 'acme/app', environment: 'prod' }` or a fixed `sub`. */
  claims?: Partial<GitHubOidcClaims>
  /** Seconds from `iat` to `exp`; GitHub's tokens live five minutes. */
  lifetimeSeconds?: number
  /** The shape of `sub`: by name (default), or with immutable IDs as GitHub issues since mid-2026. */
  subjectForm?: SubjectForm
  latencyMs?: number
}

export interface OidcEmulator extends EmulatorServer {
  issuer: string
  /** The issuer's JWKS, served by the emulator. */
  jwksUrl: string
  /** Value for `ACTIONS_ID_TOKEN_REQUEST_URL`. */
  requestUrl: string
  /** Value for `ACTIONS_ID_TOKEN_REQUEST_TOKEN`. */
  requestToken: string
  /** Both variables, ready to merge into `process.env` or a child's environment. */
  env: { ACTIONS_ID_TOKEN_REQUEST_URL: string; ACTIONS_ID_TOKEN_REQUEST_TOKEN: string }
  /** Claims of every token issued, in order. */
  tokensIssued: GitHubOidcClaims[]
  /** Every token issued, as sent (for leak scans). */
  jwtsIssued: string[]
}

const json = (status: number, body: unknown, headers: Record<string, string> = {}): Reply => ({
  status,
  headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
  body: JSON.stringify(body)
})

/** Start the OIDC emulator on 127.0.0.1 and a random port. */
export async function startOidcEmulator(options: OidcEmulatorOptions = {}): Promise<OidcEmulator> {
  const { privateKey, publicKey } = await generateKeyPair('RS256', { extractable: true })
  const kid = randomUUID()
  const jwk: JWK = { ...(await exportJWK(publicKey)), kid, alg: 'RS256', use: 'sig' }
  const requestToken = randomBytes(24).toString('base64url')
  const run = runClaims(options.claims ?? {})
  const lifetime = options.lifetimeSeconds ?? 300
  const tokensIssued: GitHubOidcClaims[] = []
  const jwtsIssued: string[] = []
  const self = { url: '', issuer: '' }

  const routes: Record<string, string> = {
    '/idtoken': 'GET /idtoken',
    '/.well-known/openid-configuration': 'GET /.well-known/openid-configuration',
    '/.well-known/jwks': 'GET /.well-known/jwks'
  }

  const handler: Handler = {
    route: (req) => (req.method === 'GET' && routes[req.url.pathname]) || `${req.method} unknown`,
    renderFault: (fault) => ({
      status: fault.status ?? 500,
      headers: fault.headers ?? {},
      body:
        fault.body ??
        JSON.stringify({ message: fault.message ?? fault.code ?? 'Internal Server Error' })
    }),
    async handle(req, entry): Promise<Reply> {
      const route = handler.route(req)
      if (route === 'GET /.well-known/openid-configuration') {
        return json(200, {
          issuer: self.issuer,
          jwks_uri: `${self.url}/.well-known/jwks`,
          subject_types_supported: ['public', 'pairwise'],
          response_types_supported: ['id_token'],
          claims_supported: ['sub', 'aud', 'exp', 'iat', 'iss', 'jti', 'nbf', ...Object.keys(run)],
          id_token_signing_alg_values_supported: ['RS256'],
          scopes_supported: ['openid']
        })
      }
      if (route === 'GET /.well-known/jwks') return json(200, { keys: [jwk] })
      if (route !== 'GET /idtoken') return json(404, { message: 'Not Found' })

      const bearer = /^bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1]
      if (bearer) entry.principal = bearer.slice(0, 6)
      if (bearer !== requestToken) {
        // the runner's token service is an Azure DevOps service; it refuses in its own error shape
        return json(401, {
          message: "TF400813: The user '' is not authorized to access this resource.",
          typeKey: 'UnauthorizedRequestException'
        })
      }
      const audience = req.url.searchParams.get('audience') || undefined
      const claims = tokenClaims(run, self.issuer, audience, lifetime, options.subjectForm)
      const jwt = await new SignJWT({ ...claims })
        .setProtectedHeader({ alg: 'RS256', typ: 'JWT', kid })
        .sign(privateKey)
      tokensIssued.push(claims)
      jwtsIssued.push(jwt)
      return json(200, { count: jwt.length, value: jwt })
    }
  }

  const server = await startServer(handler, { latencyMs: options.latencyMs })
  self.url = server.url
  self.issuer =
    typeof options.issuer === 'function'
      ? options.issuer(server.url)
      : (options.issuer ?? 'https://token.actions.githubusercontent.com')
  const requestUrl = `${server.url}/idtoken?api-version=2.0`
  return Object.assign(server, {
    issuer: self.issuer,
    jwksUrl: `${server.url}/.well-known/jwks`,
    requestUrl,
    requestToken,
    env: { ACTIONS_ID_TOKEN_REQUEST_URL: requestUrl, ACTIONS_ID_TOKEN_REQUEST_TOKEN: requestToken },
    tokensIssued,
    jwtsIssued
  })
}
