/**
 * GitHub Apps as the emulator keeps them: each app's RSA key pair (the emulator hands out the
 * private key, as GitHub does when you generate one, and keeps the public key), its installations,
 * and the verification of app JWTs with GitHub's own 401/404 messages.
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto'
import { compactVerify, decodeJwt, decodeProtectedHeader, type JWTPayload } from 'jose'
import type { Denial } from './auth.js'
import { timestamp, type Repository, type Store } from './store.js'

export type AppAccess = 'read' | 'write'

/** Installation permissions the emulator models (GitHub's names); `metadata` is always `read`. */
export interface InstallationPermissions {
  /** Repository Actions secrets. */
  secrets?: AppAccess
  dependabot_secrets?: AppAccess
  /** The installation organization's Actions secrets. */
  organization_secrets?: AppAccess
  /** The installation organization's Dependabot secrets. */
  organization_dependabot_secrets?: AppAccess
  /** Repository Actions: workflow runs. */
  actions?: AppAccess
  /** Repository issues (a workflow's GITHUB_TOKEN with `issues: write`). */
  issues?: AppAccess
  /** Repository environments: their secrets. */
  environments?: AppAccess
  metadata?: 'read'
}

/** A registered app; only the public half of its key pair is kept. */
export interface App {
  id: number
  slug: string
  clientId: string
  publicKey: KeyObject
  created_at: string
}

/** An app installed on one account. */
export interface Installation {
  id: number
  appId: number
  /** Login of the organization or user the app is installed on. */
  account: string
  /** Repositories as `owner/name`, or every repository of the account. */
  repositories: 'all' | string[]
  permissions: InstallationPermissions
  created_at: string
}

/** What `addInstallation` takes: the account, its repositories and the granted permissions. */
export interface InstallationOptions {
  account: string
  repositories: 'all' | string[]
  permissions: InstallationPermissions
}

/** An installation token as minted: what it was asked to be limited to, and what it holds. */
export interface IssuedToken {
  token: string
  installationId: number
  account: string
  /** The request body's narrowing, as sent (absent fields: not asked). */
  requested: {
    repositories?: string[]
    repository_ids?: number[]
    permissions?: Record<string, AppAccess>
  }
  /** Repositories the token reaches, as `owner/name`, or every repository of the installation. */
  repositories: 'all' | string[]
  /** Permissions the token holds. */
  permissions: InstallationPermissions
}

/** The JWT claim messages GitHub answers with (401 unless noted). */
const UNDECODABLE = 'A JSON web token could not be decoded'
const BAD_ISSUER = "'Issuer' claim ('iss') must be an Integer"
const BAD_IAT =
  "'Issued at' claim ('iat') must be an Integer representing the time that the assertion was issued"
const BAD_EXP =
  "'Expiration time' claim ('exp') must be a numeric value representing the future time at which the assertion expires"
const EXP_TOO_FAR = "'Expiration time' claim ('exp') is too far in the future"
/** GitHub refuses a JWT whose `exp` is more than 10 minutes ahead of its own clock. */
const MAX_JWT_LIFETIME_S = 600

const unauthorized = (message: string): Denial => ({ status: 401, message })

/** A compact JWS: three base64url parts, the header starting `{"` (`eyJ`). */
export const looksLikeJwt = (value: string): boolean => /^eyJ[\w-]*\.[\w-]+\.[\w-]+$/.test(value)

/** Whether the installation reaches `repo`: its account's, all or selected ones. */
export function covers(installation: Installation, repo: Repository): boolean {
  if (repo.owner.toLowerCase() !== installation.account.toLowerCase()) return false
  const full = `${repo.owner}/${repo.name}`.toLowerCase()
  const repos = installation.repositories
  return repos === 'all' || repos.some((r) => r.toLowerCase() === full)
}

/** GitHub's account type of a login: the emulator's organizations, else a user. */
export const accountType = (store: Store, login: string): 'Organization' | 'User' =>
  store.organizations.has(login.toLowerCase()) ? 'Organization' : 'User'

/** The apps and installations of one emulator. */
export class Apps {
  readonly apps = new Map<number, App>()
  readonly installations = new Map<number, Installation>()
  /** Each app's private key as handed out, kept only so leak scans can look for it. */
  readonly privateKeys: string[] = []
  /** Every installation token minted, oldest first. */
  readonly issued: IssuedToken[] = []
  private nextInstallationId = 40_000_000

  /** Register an app and generate its key pair; the PKCS#1 PEM is what GitHub's download holds. */
  add(id: number, slug = `app-${id}`): { id: number; clientId: string; privateKey: string } {
    const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const clientId = `Iv23li${randomBytes(7).toString('hex')}`
    this.apps.set(id, { id, slug, clientId, publicKey, created_at: timestamp() })
    const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString()
    this.privateKeys.push(pem)
    return { id, clientId, privateKey: pem }
  }

  install(appId: number, options: InstallationOptions): Installation {
    if (!this.apps.has(appId)) throw new Error(`unknown app ${appId}`)
    const repos = options.repositories
    if (repos !== 'all') {
      const stray = repos.find(
        (r) => r.split('/')[0]?.toLowerCase() !== options.account.toLowerCase()
      )
      // an installation lives on one account and can only select that account's repositories
      if (stray) throw new Error(`${stray} is not a repository of ${options.account}`)
    }
    if (this.of(appId).some((i) => i.account.toLowerCase() === options.account.toLowerCase())) {
      throw new Error(`app ${appId} is already installed on ${options.account}`) // one per account, as on GitHub
    }
    const installation: Installation = {
      id: this.nextInstallationId++,
      appId,
      account: options.account,
      repositories: repos === 'all' ? 'all' : [...repos],
      permissions: { ...options.permissions, metadata: 'read' },
      created_at: timestamp()
    }
    this.installations.set(installation.id, installation)
    return installation
  }

  /** The app's installations, oldest first. */
  of(appId: number): Installation[] {
    return [...this.installations.values()].filter((i) => i.appId === appId)
  }

  /**
   * Verify an app JWT as GitHub does: RS256 signed by the key of the app named in `iss` (app ID,
   * number or string, or client ID), `iat` not in the future, `exp` in the future but at most
   * 10 minutes ahead. Returns the app or GitHub's denial.
   */
  async verify(jwt: string): Promise<App | Denial> {
    let claims: JWTPayload
    try {
      if (decodeProtectedHeader(jwt).alg !== 'RS256') return unauthorized(UNDECODABLE)
      claims = decodeJwt(jwt)
    } catch {
      return unauthorized(UNDECODABLE)
    }
    const app = this.issuer(claims.iss)
    if (!app) return unauthorized(BAD_ISSUER)
    if (app === 'unknown') return { status: 404, message: 'Integration not found' }
    try {
      await compactVerify(jwt, app.publicKey, { algorithms: ['RS256'] })
    } catch {
      return unauthorized(UNDECODABLE) // GitHub says the same for a key of another app
    }
    const now = Math.floor(Date.now() / 1000)
    const { iat, exp } = claims
    if (typeof iat !== 'number' || !Number.isInteger(iat) || iat > now) {
      return unauthorized(BAD_IAT)
    }
    if (typeof exp !== 'number' || exp <= now) return unauthorized(BAD_EXP)
    // GitHub measures `exp` against its clock, not `iat`: its docs set iat 60 s back, exp 10 min on
    if (exp > now + MAX_JWT_LIFETIME_S) return unauthorized(EXP_TOO_FAR)
    return app
  }

  private issuer(iss: unknown): App | 'unknown' | undefined {
    if (typeof iss === 'string' && !/^\d+$/.test(iss)) {
      return [...this.apps.values()].find((a) => a.clientId === iss)
    }
    const id = typeof iss === 'string' ? Number(iss) : iss
    if (typeof id !== 'number' || !Number.isSafeInteger(id)) return undefined
    return this.apps.get(id) ?? 'unknown'
  }
}
