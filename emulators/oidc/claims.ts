/**
 * GitHub Actions OIDC token claims, shaped like the example in GitHub's "OpenID Connect reference"
 * (ids are strings, `nbf` is ten minutes before `iat`, `exp` five minutes after).
 */
import { randomBytes, randomUUID } from 'node:crypto'

export interface GitHubOidcClaims {
  jti: string
  sub: string
  aud: string
  ref: string
  sha: string
  repository: string
  repository_owner: string
  repository_owner_id: string
  repository_id: string
  repository_visibility: string
  run_id: string
  run_number: string
  run_attempt: string
  actor: string
  actor_id: string
  workflow: string
  workflow_ref: string
  workflow_sha: string
  job_workflow_ref: string
  job_workflow_sha: string
  event_name: string
  ref_type: string
  ref_protected: string
  runner_environment: string
  head_ref: string
  base_ref: string
  /** Present only when the job targets an environment; it then also shapes `sub`. */
  environment?: string
  iss: string
  nbf: number
  exp: number
  iat: number
}

/** The shape of GitHub's default `sub`: by name, or with the owner's and repository's immutable IDs. */
export type SubjectForm = 'name' | 'immutable'

/** Run-level claims fixed for the emulator's lifetime (one workflow run). */
export function runClaims(overrides: Partial<GitHubOidcClaims>): Partial<GitHubOidcClaims> {
  const repository = overrides.repository ?? 'acme/app'
  const [owner = 'acme'] = repository.split('/')
  const ref = overrides.ref ?? 'refs/heads/main'
  const sha = overrides.sha ?? randomBytes(20).toString('hex')
  const workflowRef = `${repository}/.github/workflows/rotate.yml@${ref}`
  return {
    ref,
    sha,
    repository,
    repository_owner: owner,
    repository_owner_id: '1000',
    repository_id: '2000',
    repository_visibility: 'private',
    run_id: '9876543210',
    run_number: '7',
    run_attempt: '1',
    actor: 'octocat',
    actor_id: '583231',
    workflow: 'Rotate IAM key',
    workflow_ref: workflowRef,
    workflow_sha: sha,
    job_workflow_ref: workflowRef,
    job_workflow_sha: sha,
    event_name: 'workflow_dispatch',
    ref_type: ref.startsWith('refs/tags/') ? 'tag' : 'branch',
    ref_protected: 'false',
    runner_environment: 'github-hosted',
    head_ref: '',
    base_ref: '',
    ...overrides
  }
}

/** The claims of one token: run claims plus audience, subject, id and times. */
export function tokenClaims(
  run: Partial<GitHubOidcClaims>,
  issuer: string,
  audience: string | undefined,
  lifetimeSeconds: number,
  subjectForm: SubjectForm = 'name'
): GitHubOidcClaims {
  const repository = run.repository ?? 'acme/app'
  const iat = Math.floor(Date.now() / 1000)
  // GitHub's changelog of 2026-04-23: repositories created, renamed or transferred since, and
  // those that opt in, get subjects naming the owner and repository by their immutable IDs.
  const [owner, name] = repository.split('/')
  const where =
    subjectForm === 'immutable'
      ? `${owner}@${run.repository_owner_id ?? '1000'}/${name}@${run.repository_id ?? '2000'}`
      : repository
  // GitHub's default subject: environment when the job has one, else the ref
  const sub = run.environment
    ? `repo:${where}:environment:${run.environment}`
    : `repo:${where}:ref:${run.ref ?? 'refs/heads/main'}`
  const { nbf, exp, iat: fixedIat } = run
  return {
    sub,
    ...run,
    jti: randomUUID(),
    // without an audience GitHub uses the URL of the repository owner
    aud:
      audience ??
      run.aud ??
      `https://github.com/${run.repository_owner ?? repository.split('/')[0]}`,
    iss: issuer,
    // fixed times in the overrides win, so tests can mint expired or not-yet-valid tokens
    nbf: nbf ?? iat - 600,
    exp: exp ?? iat + lifetimeSeconds,
    iat: fixedIat ?? iat
  } as GitHubOidcClaims
}
