/**
 * Workflow runs: "Get a workflow run" answered as GitHub does, behind the repository "Actions"
 * permission, and the helpers tests (and the emulated runner) use to start and finish runs.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Reply } from '../shared/server.js'
import { accountType } from './apps.js'
import { authorizeRepository } from './auth.js'
import { error, json } from './http.js'
import { minimalRepository } from './org.js'
import type { RouteContext } from './router.js'
import { timestamp, type Repository, type Store } from './store.js'

/** GitHub's run statuses; only `completed` carries a conclusion. */
export type RunStatus = 'requested' | 'queued' | 'pending' | 'waiting' | 'in_progress' | 'completed'
export type RunConclusion =
  | 'success'
  | 'failure'
  | 'neutral'
  | 'cancelled'
  | 'skipped'
  | 'timed_out'
  | 'action_required'
  | 'stale'
  | 'startup_failure'

export interface WorkflowRunOptions {
  id: number
  status: RunStatus
  /** Required with `completed`, refused otherwise (GitHub's conclusion is null until then). */
  conclusion?: RunConclusion
  /** Default 1; a re-run keeps the run's id and bumps this. */
  runAttempt?: number
  /** Default `.github/workflows/rotate.yml`. */
  path?: string
  /** The workflow's `name:`; default `Rotate IAM key`. */
  name?: string
  /** Default `main`. */
  headBranch?: string
  /** Default: a random commit SHA. */
  headSha?: string
  /** Default 1. */
  runNumber?: number
  /** Default `workflow_dispatch`. */
  event?: string
}

export interface WorkflowRun extends Required<Omit<WorkflowRunOptions, 'conclusion'>> {
  conclusion: RunConclusion | null
  created_at: string
  updated_at: string
}

const key = (repo: Repository, id: number): string =>
  `${repo.owner}/${repo.name}#${id}`.toLowerCase()

function repositoryOrThrow(store: Store, fullName: string): Repository {
  const [owner = '', name = ''] = fullName.split('/')
  const repo = store.repository(owner, name)
  if (!repo) throw new Error(`unknown repository ${fullName}`)
  return repo
}

/** GitHub never reports a conclusion before a run completes, nor a completed run without one. */
function checkState(status: RunStatus, conclusion: RunConclusion | undefined): void {
  if (status === 'completed' && !conclusion) throw new Error('a completed run needs a conclusion')
  if (status !== 'completed' && conclusion) {
    throw new Error(`a run that is ${status} has no conclusion yet`)
  }
}

/** Add a run to a known repository; it replaces a run with the same id (a re-run keeps its id). */
export function addRun(store: Store, fullName: string, options: WorkflowRunOptions): WorkflowRun {
  const repo = repositoryOrThrow(store, fullName)
  if (!Number.isSafeInteger(options.id) || options.id <= 0) {
    throw new Error(`run ids are positive integers: ${options.id}`)
  }
  checkState(options.status, options.conclusion)
  const now = timestamp()
  const run: WorkflowRun = {
    id: options.id,
    status: options.status,
    conclusion: options.conclusion ?? null,
    runAttempt: options.runAttempt ?? 1,
    path: options.path ?? '.github/workflows/rotate.yml',
    name: options.name ?? 'Rotate IAM key',
    headBranch: options.headBranch ?? 'main',
    headSha: options.headSha ?? randomBytes(20).toString('hex'),
    runNumber: options.runNumber ?? 1,
    event: options.event ?? 'workflow_dispatch',
    created_at: now,
    updated_at: now
  }
  store.runs.set(key(repo, run.id), run)
  return { ...run }
}

export function setRunStatus(
  store: Store,
  fullName: string,
  id: number,
  status: RunStatus,
  conclusion?: RunConclusion
): void {
  const run = store.runs.get(key(repositoryOrThrow(store, fullName), id))
  if (!run) throw new Error(`no run ${id} in ${fullName}`)
  checkState(status, conclusion)
  Object.assign(run, { status, conclusion: conclusion ?? null, updated_at: timestamp() })
}

export function findRun(store: Store, fullName: string, id: number): WorkflowRun | undefined {
  const run = store.runs.get(key(repositoryOrThrow(store, fullName), id))
  return run && { ...run }
}

/** A stable number for the workflow file, as GitHub's `workflow_id` is stable per file. */
const workflowId = (repo: Repository, path: string): number =>
  createHash('sha256').update(`${repo.id}:${path}`).digest().readUInt32BE(0)

function render(run: WorkflowRun, repo: Repository, store: Store, baseUrl: string): object {
  const full = `${repo.owner}/${repo.name}`
  const api = `${baseUrl}/repos/${full}/actions/runs/${run.id}`
  const workflow = workflowId(repo, run.path)
  const checkSuite = run.id + 1
  const repository = minimalRepository(repo, baseUrl, accountType(store, repo.owner))
  return {
    id: run.id,
    name: run.name,
    node_id: `WFR_${Buffer.from(`run:${run.id}`).toString('base64url')}`,
    check_suite_id: checkSuite,
    check_suite_node_id: `CS_${Buffer.from(`suite:${checkSuite}`).toString('base64url')}`,
    head_branch: run.headBranch,
    head_sha: run.headSha,
    path: run.path,
    run_number: run.runNumber,
    event: run.event,
    display_title: run.name,
    status: run.status,
    conclusion: run.conclusion,
    workflow_id: workflow,
    url: api,
    html_url: `https://github.com/${full}/actions/runs/${run.id}`,
    pull_requests: [],
    created_at: run.created_at,
    updated_at: run.updated_at,
    run_attempt: run.runAttempt,
    run_started_at: run.created_at,
    jobs_url: `${api}/jobs`,
    logs_url: `${api}/logs`,
    check_suite_url: `${baseUrl}/repos/${full}/check-suites/${checkSuite}`,
    artifacts_url: `${api}/artifacts`,
    cancel_url: `${api}/cancel`,
    rerun_url: `${api}/rerun`,
    previous_attempt_url: run.runAttempt > 1 ? `${api}/attempts/${run.runAttempt - 1}` : null,
    workflow_url: `${baseUrl}/repos/${full}/actions/workflows/${workflow}`,
    head_commit: {
      id: run.headSha,
      tree_id: createHash('sha1').update(run.headSha).digest('hex'),
      message: run.name,
      timestamp: run.created_at,
      author: { name: 'Octo Cat', email: 'octocat@github.com' },
      committer: { name: 'GitHub', email: 'noreply@github.com' }
    },
    repository,
    head_repository: repository
  }
}

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: fine-grained tokens need `actions=read`. */
export function getRun(ctx: RouteContext, docs: string): Reply {
  ctx.headers['x-accepted-github-permissions'] = 'actions=read'
  const repo = ctx.store.repository(ctx.params.owner ?? '', ctx.params.repo ?? '')
  const denial = authorizeRepository(ctx.token, repo, 'actions', 'read')
  if (denial || !repo) return error(denial?.status ?? 404, denial?.message ?? 'Not Found', docs)
  // run_id is an integer; anything else names no run, and GitHub answers 404
  const id = /^\d{1,15}$/.test(ctx.params.run_id ?? '') ? Number(ctx.params.run_id) : NaN
  const run = ctx.store.runs.get(key(repo, id))
  if (!run) return error(404, 'Not Found', docs)
  return json(200, render(run, repo, ctx.store, ctx.baseUrl))
}
