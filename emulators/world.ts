/**
 * A seeded world for tests, the demo and the benchmark: the three emulators wired together, with
 * a deploy user holding one old key, an admin role that trusts the OIDC emulator, an admin user,
 * repositories (and the workflow's own, acme/ops), and a fine-grained token that may write their
 * secrets.
 */
import { startAwsEmulator, type AwsEmulator, type ConcurrentModificationMode } from './aws/index.js'
import type { SecondaryLimits } from './github/http.js'
import { startGitHubEmulator, type GitHubEmulator } from './github/index.js'
import { startOidcEmulator, type OidcEmulator } from './oidc/index.js'
import { WORKFLOW_REPOSITORY } from './runner.js'

export const USER = 'deploy'
export const TOKEN = 'github_pat_11AAAAAAA0e2eTokenForTestsOnly0123456789'
export const REPOS = ['acme/app', 'acme/api']

export interface World {
  aws: AwsEmulator
  github: GitHubEmulator
  oidc: OidcEmulator
  roleArn: string
  admin: { accessKeyId: string; secretAccessKey: string }
  oldKey: { accessKeyId: string; secretAccessKey: string }
  userArn: string
  close(): Promise<void>
}

export interface WorldOptions {
  propagationDelayMs?: number
  latencyMs?: number
  repos?: string[]
  /** Seed the user with no key (first issuance). */
  noKey?: boolean
  /** Enforce GitHub's secondary rate limit: this long between mutating requests. */
  githubSecondaryRateLimitMs?: number
  /** GitHub's content-creation limits (per minute, per hour), possibly on a faster clock. */
  githubContentLimits?: SecondaryLimits
  /** IAM's ConcurrentModification between overlapping changes of a user; default 'documented'. */
  iamConcurrentModification?: ConcurrentModificationMode
  /** The shape of the OIDC token's `sub` (GitHub's two forms); default by name. */
  oidcSubjectForm?: 'name' | 'immutable'
  /** IAM reads (ListAccessKeys, GetUser, ListUserTags) that lag writes by this long; default 0. */
  iamReadLagMs?: number
}

/** Start the emulators and seed them. */
export async function startWorld(options: WorldOptions = {}): Promise<World> {
  const oidc = await startOidcEmulator({
    claims: { repository: 'acme/ops', repository_owner: 'acme' },
    ...(options.oidcSubjectForm ? { subjectForm: options.oidcSubjectForm } : {})
  })
  const aws = await startAwsEmulator({
    propagationDelayMs: options.propagationDelayMs ?? 0,
    latencyMs: options.latencyMs,
    oidc: { issuer: oidc.issuer, jwksUrl: oidc.jwksUrl },
    ...(options.iamConcurrentModification
      ? { concurrentModification: options.iamConcurrentModification }
      : {}),
    readLagMs: options.iamReadLagMs ?? 0
  })
  const github = await startGitHubEmulator({
    latencyMs: options.latencyMs,
    ...(options.githubSecondaryRateLimitMs
      ? { secondaryRateLimit: { minIntervalMs: options.githubSecondaryRateLimitMs } }
      : {}),
    ...(options.githubContentLimits ? { secondaryLimits: options.githubContentLimits } : {})
  })
  const { arn: roleArn } = aws.createRole('rotate-iam-key', {
    audience: 'sts.amazonaws.com',
    subject: 'repo:acme/ops:*'
  })
  const admin = aws.createAdminUser('admin')
  const { arn: userArn } = aws.createUser(USER)
  const oldKey = options.noKey
    ? { accessKeyId: '', secretAccessKey: '' }
    : aws.seedAccessKey(USER, { createDate: new Date(Date.now() - 95 * 86_400_000) })
  for (const repo of options.repos ?? REPOS) github.addRepository(repo)
  // the workflow's own repository, so the runner can register its runs there
  if (!github.repository(WORKFLOW_REPOSITORY)) github.addRepository(WORKFLOW_REPOSITORY)
  // 'Actions: Read' too: the run lists the workflow runs that may hold the old key; and
  // 'Environments', which environment secrets need (GitHub lists them there, not under Secrets).
  github.addToken(TOKEN, {
    repositories: 'all',
    secrets: 'write',
    environments: 'write',
    actions: 'read'
  })
  return {
    aws,
    github,
    oidc,
    roleArn,
    admin,
    oldKey,
    userArn,
    close: async () => {
      await Promise.all([aws.close(), github.close(), oidc.close()])
    }
  }
}

/** The inputs of the usual run: OIDC role, two repositories. */
export const roleInputs = (
  world: World,
  extra: Record<string, string> = {}
): Record<string, string> => ({
  'iam-user-name': USER,
  'role-to-assume': world.roleArn,
  'github-token': TOKEN,
  repositories: REPOS.join('\n'),
  ...extra
})
