/**
 * GitHub's state as the emulator keeps it: repositories, organizations, environments and generic
 * "secret scopes" (a kind plus a path), each with its own Curve25519 key pair as GitHub has.
 * Names of repositories, organizations and secrets are case-insensitive, as on GitHub.
 */
import { randomBytes } from 'node:crypto'
import sodium from 'libsodium-wrappers'
import type { RunRecord } from './run-records.js'

/** Which secret store a scope is; repository-level kinds live under a repository. */
export type ScopeKind = 'actions' | 'environment' | 'dependabot' | 'org-actions' | 'org-dependabot'

/** Who can see a repository; `internal` (enterprise members) is reported `private: true` too. */
export type RepositoryVisibility = 'public' | 'private' | 'internal'

export interface RepositoryOptions {
  id?: number
  /** Default true; must agree with `visibility` when both are given. */
  private?: boolean
  /** Default `private` (or `public` with `private: false`). */
  visibility?: RepositoryVisibility
  archived?: boolean
  /** A fork of another repository (for `GET /orgs/{org}/repos?type=forks|sources`); default false. */
  fork?: boolean
  /** Issues enabled (GitHub's `has_issues`); default true. Disabled: the issue endpoints answer 410. */
  hasIssues?: boolean
}

export interface Repository {
  id: number
  owner: string
  name: string
  /** True for private and internal repositories, as GitHub reports it. */
  private: boolean
  visibility: RepositoryVisibility
  fork: boolean
  created_at: string
  updated_at: string
  pushed_at: string
  /** An archived repository is read-only: GitHub refuses every write to it (its secrets included). */
  archived: boolean
  has_issues: boolean
}

/** An issue or a pull request (they share numbers, and GitHub's issue list returns both). */
export interface StoredIssue {
  id: number
  number: number
  title: string
  body: string | null
  state: 'open' | 'closed'
  state_reason: 'completed' | 'not_planned' | 'duplicate' | 'reopened' | null
  /** Label names, as given (GitHub matches them case-insensitively). */
  labels: string[]
  comments: { id: number; body: string; created_at: string }[]
  created_at: string
  updated_at: string
  closed_at: string | null
  /** True for a pull request. */
  pullRequest: boolean
}

export type Visibility = 'all' | 'private' | 'selected'

export interface StoredSecret {
  name: string
  value: string
  created_at: string
  updated_at: string
  /** Organization secrets only. */
  visibility?: Visibility
  selected_repository_ids?: number[]
}

export interface Scope {
  id: string
  kind: ScopeKind
  keyId: string
  publicKey: Uint8Array
  privateKey: Uint8Array
  secrets: Map<string, StoredSecret>
}

/** Scope ids, e.g. `actions:acme/app`, `environment:acme/app:production`, `org-actions:acme`. */
export const scopeId = {
  repository: (repo: string): string => `actions:${repo.toLowerCase()}`,
  environment: (repo: string, env: string): string =>
    `environment:${repo.toLowerCase()}:${env.toLowerCase()}`,
  dependabot: (repo: string): string => `dependabot:${repo.toLowerCase()}`,
  organization: (org: string): string => `org-actions:${org.toLowerCase()}`,
  organizationDependabot: (org: string): string => `org-dependabot:${org.toLowerCase()}`
}

/** GitHub's key_id is a large decimal number rendered as a string (e.g. "3380204578043523366"). */
function newKeyId(): string {
  return (10n ** 18n + (randomBytes(8).readBigUInt64BE() % (9n * 10n ** 18n))).toString()
}

/** GitHub renders timestamps in ISO 8601 without milliseconds. */
export const timestamp = (): string => new Date().toISOString().replace(/\.\d{3}Z$/, 'Z')

export class Store {
  readonly repositories = new Map<string, Repository>()
  readonly organizations = new Map<string, { login: string; id: number }>()
  readonly environments = new Map<string, Set<string>>()
  /** Workflow runs by `owner/name#id`, lowercase (see runs.ts). */
  readonly runs = new Map<string, RunRecord>()
  /** Issues and pull requests by repository (`owner/name`, lowercase), in creation order. */
  readonly issues = new Map<string, StoredIssue[]>()
  /** Label names by repository (`owner/name`, lowercase). */
  readonly labels = new Map<string, string[]>()
  /** The next issue's or comment's id (unique across repositories, as GitHub's are). */
  nextIssueId = 3_000_000_001
  /** The next workflow job's id (GitHub's job ids are large and unique across repositories). */
  nextJobId = 20_000_000_001
  private readonly scopes = new Map<string, Scope>()

  /**
   * Let time pass: every secret's, repository's, workflow run's and job's timestamps move `ms`
   * into the past (tests only), so their order against the clock and each other holds.
   */
  backdate(ms: number): void {
    const back = (iso: string): string =>
      new Date(Date.parse(iso) - ms).toISOString().replace(/\.\d{3}Z$/, 'Z')
    for (const scope of this.scopes.values()) {
      for (const secret of scope.secrets.values()) {
        secret.created_at = back(secret.created_at)
        secret.updated_at = back(secret.updated_at)
      }
    }
    for (const repo of this.repositories.values()) {
      repo.created_at = back(repo.created_at)
      repo.updated_at = back(repo.updated_at)
      repo.pushed_at = back(repo.pushed_at)
    }
    for (const run of this.runs.values()) {
      run.created_at = back(run.created_at)
      run.updated_at = back(run.updated_at)
      run.run_started_at = back(run.run_started_at)
      for (const job of [...run.jobs, ...run.earlierJobs]) {
        job.created_at = back(job.created_at)
        job.started_at = back(job.started_at)
        if (job.completed_at) job.completed_at = back(job.completed_at)
      }
    }
  }
  private nextId = 1000

  addOrganization(login: string, id = this.nextId++): void {
    this.organizations.set(login.toLowerCase(), { login, id })
  }

  addRepository(fullName: string, options: RepositoryOptions = {}): Repository {
    const [owner, name, extra] = fullName.split('/')
    if (!owner || !name || extra !== undefined) throw new Error(`expected owner/name: ${fullName}`)
    const visibility = options.visibility ?? (options.private === false ? 'public' : 'private')
    if (!['public', 'private', 'internal'].includes(visibility)) {
      throw new Error(`unknown visibility ${visibility}`)
    }
    if (options.private !== undefined && options.private !== (visibility !== 'public')) {
      throw new Error(`a ${visibility} repository has private: ${visibility !== 'public'}`)
    }
    const now = timestamp()
    const repo: Repository = {
      id: options.id ?? this.nextId++,
      owner,
      name,
      private: visibility !== 'public',
      visibility,
      fork: options.fork ?? false,
      created_at: now,
      updated_at: now,
      pushed_at: now,
      archived: options.archived ?? false,
      has_issues: options.hasIssues ?? true
    }
    this.repositories.set(fullName.toLowerCase(), repo)
    return repo
  }

  repository(owner: string, name: string): Repository | undefined {
    return this.repositories.get(`${owner}/${name}`.toLowerCase())
  }

  repositoryById(id: number): Repository | undefined {
    return [...this.repositories.values()].find((r) => r.id === id)
  }

  addEnvironment(fullName: string, env: string): void {
    const key = fullName.toLowerCase()
    if (!this.repositories.has(key)) throw new Error(`unknown repository ${fullName}`)
    const set = this.environments.get(key) ?? new Set()
    set.add(env.toLowerCase())
    this.environments.set(key, set)
  }

  hasEnvironment(fullName: string, env: string): boolean {
    return this.environments.get(fullName.toLowerCase())?.has(env.toLowerCase()) ?? false
  }

  /** The scope with this id if anything created it, without creating it. */
  existingScope(id: string): Scope | undefined {
    return this.scopes.get(id)
  }

  /** The scope with this id, created with a fresh key pair on first use. */
  scope(id: string): Scope {
    let scope = this.scopes.get(id)
    if (!scope) {
      const kind = id.slice(0, id.indexOf(':')) as ScopeKind
      scope = { id, kind, ...this.keyPair(), secrets: new Map() }
      this.scopes.set(id, scope)
    }
    return scope
  }

  /** Replace a scope's key pair; values sealed to the old key can no longer be stored. */
  rotatePublicKey(id: string): string {
    Object.assign(this.scope(id), this.keyPair())
    return this.scope(id).keyId
  }

  private keyPair(): Pick<Scope, 'keyId' | 'publicKey' | 'privateKey'> {
    const pair = sodium.crypto_box_keypair()
    return { keyId: newKeyId(), publicKey: pair.publicKey, privateKey: pair.privateKey }
  }

  /** Base64 (original variant, with padding) of the scope's public key, as GitHub returns it. */
  publicKeyBase64(scope: Scope): string {
    return sodium.to_base64(scope.publicKey, sodium.base64_variants.ORIGINAL)
  }

  /** Open a sealed box for `scope`; undefined when it was not sealed to this scope's key. */
  open(scope: Scope, encryptedValue: string): string | undefined {
    try {
      const sealed = sodium.from_base64(encryptedValue, sodium.base64_variants.ORIGINAL)
      const plain = sodium.crypto_box_seal_open(sealed, scope.publicKey, scope.privateKey)
      return Buffer.from(plain).toString('utf8')
    } catch {
      return undefined
    }
  }
}

const NAME = /^[A-Z_][A-Z0-9_]*$/i

/** GitHub's secret-name rules; returns the 422 message when `name` is not allowed. */
export function secretNameError(name: string): string | undefined {
  if (!NAME.test(name)) {
    return 'Secret names can only contain alphanumeric characters ([a-z], [A-Z], [0-9]) or underscores (_). Spaces are not allowed. Must start with a letter ([a-z], [A-Z]) or underscores (_).'
  }
  if (name.toUpperCase().startsWith('GITHUB_')) return 'Secret names must not start with GITHUB_.'
  return undefined
}
