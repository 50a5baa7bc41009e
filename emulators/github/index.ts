/**
 * GitHub REST API emulator for Actions (and Dependabot, environment, organization) secrets: real
 * libsodium sealed boxes per scope, token permissions with GitHub's 401/403/404 behaviour,
 * request bodies checked against GitHub's OpenAPI description, rate-limit headers and an
 * optional secondary rate limit. Shares no code with `src/`.
 */
import sodium from 'libsodium-wrappers'
import {
  peakConcurrency,
  startServer,
  type EmulatorServer,
  type LogEntry
} from '../shared/server.js'
import { Apps, type InstallationOptions, type IssuedToken } from './apps.js'
import { Tokens, type TokenOptions } from './auth.js'
import { createHandler } from './dispatch.js'
import {
  ContentLimits,
  PrimaryRateLimit,
  SecondaryRateLimit,
  type SecondaryLimits
} from './http.js'
import {
  addRun,
  completeJob,
  findRun,
  heldBy,
  setRunStatus,
  startJob,
  type HeldSecrets,
  type JobConclusion,
  type RunConclusion,
  type RunStatus,
  type WorkflowRun,
  type WorkflowRunOptions
} from './runs.js'
import {
  Store,
  scopeId,
  timestamp,
  type Repository,
  type RepositoryOptions,
  type StoredIssue
} from './store.js'

export { scopeId } from './store.js'
export type { Access, TokenKind, TokenOptions } from './auth.js'
export type {
  AppAccess,
  InstallationOptions,
  InstallationPermissions,
  IssuedToken
} from './apps.js'
export type { SecondaryLimits } from './http.js'
export type {
  HeldSecrets,
  JobConclusion,
  JobStatus,
  RunConclusion,
  RunStatus,
  WorkflowJob,
  WorkflowJobOptions,
  WorkflowRun,
  WorkflowRunOptions
} from './runs.js'
export type { Repository, RepositoryOptions, RepositoryVisibility, StoredIssue } from './store.js'

export interface GitHubEmulatorOptions {
  latencyMs?: number
  /** Refuse mutating requests closer than `minIntervalMs` (or concurrent) with GitHub's secondary-rate-limit 403. */
  secondaryRateLimit?: { minIntervalMs: number }
  /**
   * GitHub's secondary limits on content creation, per token (per installation for an App's
   * tokens): e.g. `{ perMinute: 80, perHour: 500, timeScale: 60 }` is GitHub's rule on a clock
   * where a minute lasts a second. A refusal is GitHub's: 403 (or 429) with `retry-after`,
   * `x-ratelimit-reset` and "You have exceeded a secondary rate limit".
   */
  secondaryLimits?: SecondaryLimits
  /** Lifetime of issued installation access tokens; GitHub's is one hour (the default). */
  installationTokenLifetimeMs?: number
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
  /** Most requests matching `which` that were ever in flight at once. */
  peakConcurrency(which?: (entry: LogEntry) => boolean): number
  /**
   * Add a repository: private unless `private: false` or `visibility: 'public'`; an `internal` one
   * is `private: true` as GitHub reports it. A `private` that contradicts `visibility` throws.
   */
  addRepository(fullName: string, options?: RepositoryOptions): Repository
  /** The repository, if the emulator knows it (names are case-insensitive). */
  repository(fullName: string): Repository | undefined
  /**
   * Archive a known repository (throws otherwise): from now on GitHub's REST API reports it
   * `archived: true` and refuses every write to its secrets (Actions, Dependabot, environment;
   * PUT and DELETE) with 403 "Repository was archived so is read-only.", storing nothing. Reads
   * (public key, list, get) still answer.
   */
  archive(fullName: string): void
  /** Undo `archive`: the repository takes writes again. */
  unarchive(fullName: string): void
  addOrganization(login: string, options?: { id?: number }): void
  addEnvironment(fullName: string, environment: string): void
  addToken(token: string, options: TokenOptions): void
  /** Let time pass: every secret's, repository's, run's and job's timestamps move `ms` into the past. */
  backdate(ms: number): void
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
  /**
   * Register a GitHub App and generate its RSA key pair. `privateKey` is a PKCS#1 PEM
   * (`BEGIN RSA PRIVATE KEY`), the format of the key GitHub lets you download.
   */
  addApp(options: { id: number; slug?: string }): {
    id: number
    clientId: string
    privateKey: string
  }
  /**
   * Start a workflow run in a known repository (throws otherwise); replaces a run with the same
   * id, as a re-run keeps its id and bumps `runAttempt` (`filter=all` still lists the earlier
   * attempts' jobs). A run added with any status but `completed` is queued: it captures, now,
   * the values of the organization secrets the repository sees (visibility `all`, `private` for
   * private and internal repositories, `selected`) shadowed by the repository's own secrets;
   * Dependabot secrets instead for a Dependabot run (actor `dependabot[bot]`). See `heldBy`.
   */
  addWorkflowRun(fullName: string, run: WorkflowRunOptions): WorkflowRun
  /**
   * Move a run on; `completed` needs a conclusion, every other status refuses one. Completing a
   * run completes its unfinished jobs with its conclusion (`stale`, `startup_failure`: `cancelled`).
   * While a run is `waiting`, its jobs declared `waiting` are listed `waiting`.
   */
  setWorkflowRunStatus(
    fullName: string,
    id: number,
    status: RunStatus,
    conclusion?: RunConclusion
  ): void
  /** A copy of the run, or undefined. */
  workflowRun(fullName: string, id: number): WorkflowRun | undefined
  /**
   * A queued (or waiting, approved) job starts: `in_progress`, `started_at` now, a runner
   * assigned, and it captures the run's values with its environment's secrets over them, read
   * now (none for a Dependabot run). Its run becomes `in_progress` unless another job still waits
   * for approval. Throws for an unknown run or job, a job not queued, or a completed run.
   */
  startJob(fullName: string, runId: number, jobName: string): void
  /** Finish a job not yet completed (started or not); the run's status is left to the test. */
  completeJob(fullName: string, runId: number, jobName: string, conclusion?: JobConclusion): void
  /**
   * The values (name → plaintext) the run captured when queued, and each started job when it
   * started (jobs never started are absent). A run added `completed` holds nothing.
   */
  heldBy(fullName: string, runId: number): HeldSecrets
  /** Install an app on an organization or user account; its JWT can then mint installation tokens. */
  addInstallation(appId: number, options: InstallationOptions): { id: number }
  /** Every installation token minted so far, oldest first, with what each was limited to. */
  installationTokensIssued(): IssuedToken[]
  /** A copy of every issue and pull request of a repository, oldest first, comments included. */
  issues(fullName: string): StoredIssue[]
  /** Open a pull request (GitHub's issue list returns them too): its number. */
  addPullRequest(
    fullName: string,
    options: { title: string; labels?: string[]; body?: string }
  ): number
  /** Every token `addToken` registered (removed ones included), for leak scans. */
  tokensAdded(): string[]
  /** The private key of every app `addApp` registered, for leak scans. */
  appPrivateKeys(): string[]
}

/** Start the GitHub emulator on 127.0.0.1 and a random port. */
export async function startGitHubEmulator(
  options: GitHubEmulatorOptions = {}
): Promise<GitHubEmulator> {
  await sodium.ready
  const store = new Store()
  const tokens = new Tokens()
  const apps = new Apps()
  const tokenLifetimeMs = options.installationTokenLifetimeMs ?? 3_600_000
  const primary = new PrimaryRateLimit()
  const latency = { current: (): number => 0 }
  const secondary = options.secondaryRateLimit
    ? new SecondaryRateLimit(options.secondaryRateLimit.minIntervalMs, () => latency.current())
    : undefined

  const content = options.secondaryLimits ? new ContentLimits(options.secondaryLimits) : undefined
  const handler = createHandler({
    store,
    tokens,
    apps,
    primary,
    secondary,
    content,
    tokenLifetimeMs
  })

  const base = await startServer(handler, { latencyMs: options.latencyMs })
  latency.current = () => base.latencyMs
  const setArchived = (fullName: string, archived: boolean): void => {
    const [owner = '', name = ''] = fullName.split('/')
    const repo = store.repository(owner, name)
    if (!repo) throw new Error(`unknown repository ${fullName}`)
    repo.archived = archived
  }
  const plain = (scope: string): Record<string, string> =>
    Object.fromEntries(emulator.secrets(scope).map((s) => [s.name, s.value]))

  const emulator: GitHubEmulator = {
    get url() {
      return base.url
    },
    log: base.log,
    peakConcurrency: (which = () => true) => peakConcurrency(base.log.filter(which)),
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
    repository: (fullName) => {
      const [owner = '', name = ''] = fullName.split('/')
      return store.repository(owner, name)
    },
    archive: (fullName) => setArchived(fullName, true),
    unarchive: (fullName) => setArchived(fullName, false),
    addOrganization: (login, opts) => store.addOrganization(login, opts?.id),
    addEnvironment: (fullName, env) => store.addEnvironment(fullName, env),
    addToken: (token, opts) => tokens.add(token, opts),
    backdate: (ms) => store.backdate(ms),
    removeToken: (token) => tokens.remove(token),
    rotatePublicKey: (scope) => store.rotatePublicKey(scope),
    keyId: (scope) => store.scope(scope).keyId,
    secrets: (scope) => [...store.scope(scope).secrets.values()].map((s) => ({ ...s })),
    repositorySecrets: (fullName) => plain(scopeId.repository(fullName)),
    environmentSecrets: (fullName, env) => plain(scopeId.environment(fullName, env)),
    dependabotSecrets: (fullName) => plain(scopeId.dependabot(fullName)),
    organizationSecrets: (org) => plain(scopeId.organization(org)),
    addApp: ({ id, slug }) => apps.add(id, slug),
    addInstallation: (appId, opts) => ({ id: apps.install(appId, opts).id }),
    installationTokensIssued: () => apps.issued.map((t) => structuredClone(t)),
    tokensAdded: () => [...tokens.added],
    issues: (fullName) => structuredClone(store.issues.get(fullName.toLowerCase()) ?? []),
    addPullRequest: (fullName, { title, labels = [], body }) => {
      if (!emulator.repository(fullName)) throw new Error(`unknown repository ${fullName}`)
      const list = store.issues.get(fullName.toLowerCase()) ?? []
      store.issues.set(fullName.toLowerCase(), list)
      const now = timestamp()
      list.push({
        id: store.nextIssueId++,
        number: list.length + 1,
        title,
        body: body ?? null,
        state: 'open',
        state_reason: null,
        labels,
        comments: [],
        created_at: now,
        updated_at: now,
        closed_at: null,
        pullRequest: true
      })
      return list.length
    },
    appPrivateKeys: () => [...apps.privateKeys],
    addWorkflowRun: (fullName, run) => addRun(store, fullName, run),
    setWorkflowRunStatus: (fullName, id, status, conclusion) =>
      setRunStatus(store, fullName, id, status, conclusion),
    workflowRun: (fullName, id) => findRun(store, fullName, id),
    startJob: (fullName, runId, jobName) => startJob(store, fullName, runId, jobName),
    completeJob: (fullName, runId, jobName, conclusion) =>
      completeJob(store, fullName, runId, jobName, conclusion),
    heldBy: (fullName, runId) => heldBy(store, fullName, runId)
  }
  return emulator
}
