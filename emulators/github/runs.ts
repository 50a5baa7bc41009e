/**
 * Workflow runs and jobs: "Get a workflow run", "List workflow runs for a repository", "List jobs
 * for a workflow run" and "Get a job" answered as GitHub does, behind the repository "Actions"
 * permission, and the helpers tests (and the emulated runner) use to start and finish runs and
 * jobs. A run captures the secrets it reads as GitHub reads them: organization and repository
 * (or Dependabot) secrets when it is queued, environment secrets when a job referencing the
 * environment starts; `heldBy` tells which values a run and its jobs hold.
 */
import { createHash, randomBytes } from 'node:crypto'
import type { Reply } from '../shared/server.js'
import { accountType } from './apps.js'
import { authorizeRepository } from './auth.js'
import { error, json } from './http.js'
import { validateQuery } from './openapi.js'
import { minimalRepository } from './org.js'
import type { RouteContext } from './router.js'
import { paginate } from './secrets.js'
import { scopeId, timestamp, type Repository, type Store } from './store.js'
import type {
  HeldSecrets,
  JobConclusion,
  JobRecord,
  JobStatus,
  RunConclusion,
  RunRecord,
  RunStatus,
  WorkflowJob,
  WorkflowRun,
  WorkflowRunOptions
} from './run-records.js'

export type {
  HeldSecrets,
  JobConclusion,
  JobStatus,
  RunConclusion,
  RunRecord,
  RunStatus,
  WorkflowJob,
  WorkflowJobOptions,
  WorkflowRun,
  WorkflowRunOptions
} from './run-records.js'

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

const DEPENDABOT = 'dependabot[bot]'
/**
 * GitHub: for workflows initiated by Dependabot on these events "Secrets are populated from
 * Dependabot secrets. GitHub Actions secrets are not available", "even if the workflow is re-run
 * by a different actor".
 */
const DEPENDABOT_EVENTS = new Set([
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
  'push',
  'create',
  'deployment',
  'deployment_status'
])

const readsDependabotSecrets = (run: { actor: string; event: string }): boolean =>
  run.actor.toLowerCase() === DEPENDABOT && DEPENDABOT_EVENTS.has(run.event)

const valuesOf = (store: Store, id: string): Record<string, string> =>
  Object.fromEntries(
    [...(store.existingScope(id)?.secrets.values() ?? [])].map((s) => [s.name, s.value])
  )

/** Organization secrets `repo` sees: `all`, `private` (private and internal repositories), `selected`. */
function organizationValues(
  store: Store,
  repo: Repository,
  dependabot: boolean
): Record<string, string> {
  if (!store.organizations.has(repo.owner.toLowerCase())) return {}
  const id = dependabot
    ? scopeId.organizationDependabot(repo.owner)
    : scopeId.organization(repo.owner)
  const seen = [...(store.existingScope(id)?.secrets.values() ?? [])].filter((s) => {
    switch (s.visibility ?? 'private') {
      case 'all':
        return true
      case 'private':
        return repo.private
      case 'selected':
        return (s.selected_repository_ids ?? []).includes(repo.id)
    }
  })
  return Object.fromEntries(seen.map((s) => [s.name, s.value]))
}

/** What a run reads when it is queued: a repository secret shadows an organization secret. */
function readAtQueue(store: Store, repo: Repository, run: RunRecord): Record<string, string> {
  const full = `${repo.owner}/${repo.name}`
  const dependabot = readsDependabotSecrets(run)
  return {
    ...organizationValues(store, repo, dependabot),
    ...valuesOf(store, dependabot ? scopeId.dependabot(full) : scopeId.repository(full))
  }
}

/** The job schema's conclusions; a run's `stale` or `startup_failure` ends its jobs `cancelled`. */
const jobConclusion = (c: RunConclusion): JobConclusion =>
  c === 'stale' || c === 'startup_failure' ? 'cancelled' : c

/** A time given to the helpers, in GitHub's whole seconds. */
function wholeSeconds(iso: string): string {
  const ms = Date.parse(iso)
  if (Number.isNaN(ms)) throw new Error(`not a date-time: ${iso}`)
  return new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z')
}

/** Add a run to a known repository; it replaces a run with the same id (a re-run keeps its id). */
export function addRun(store: Store, fullName: string, options: WorkflowRunOptions): WorkflowRun {
  const repo = repositoryOrThrow(store, fullName)
  if (!Number.isSafeInteger(options.id) || options.id <= 0) {
    throw new Error(`run ids are positive integers: ${options.id}`)
  }
  checkState(options.status, options.conclusion)
  const names = (options.jobs ?? []).map((j) => j.name)
  if (names.some((n) => !n) || new Set(names).size !== names.length) {
    throw new Error(`job names must be given and unique within a run: ${names.join(', ')}`)
  }
  const now = options.createdAt !== undefined ? wholeSeconds(options.createdAt) : timestamp()
  const actor = options.actor ?? 'octocat'
  const runAttempt = options.runAttempt ?? 1
  const earlier = store.runs.get(key(repo, options.id))
  const run: RunRecord = {
    id: options.id,
    status: options.status,
    conclusion: options.conclusion ?? null,
    runAttempt,
    path: options.path ?? '.github/workflows/rotate.yml',
    name: options.name ?? 'Rotate IAM key',
    headBranch: options.headBranch ?? 'main',
    headSha: options.headSha ?? randomBytes(20).toString('hex'),
    runNumber: options.runNumber ?? 1,
    event:
      options.event ?? (actor.toLowerCase() === DEPENDABOT ? 'pull_request' : 'workflow_dispatch'),
    actor,
    triggeringActor: options.triggeringActor ?? actor,
    created_at: now,
    updated_at: now,
    run_started_at: now,
    jobs: (options.jobs ?? []).map((j) => ({
      id: store.nextJobId++,
      name: j.name,
      environment: j.environment ?? null,
      status: 'queued',
      conclusion: null,
      runAttempt,
      created_at: now,
      started_at: now,
      completed_at: null,
      gated: j.status === 'waiting'
    })),
    // `filter=all` lists the jobs of earlier attempts too
    earlierJobs: [...(earlier?.earlierJobs ?? []), ...(earlier?.jobs ?? [])].filter(
      (j) => j.runAttempt < runAttempt
    ),
    held: {}
  }
  // Organization and repository secrets are read when a workflow run is queued
  if (run.status !== 'completed') run.held = readAtQueue(store, repo, run)
  else finishJobs(run, options.conclusion ?? 'success', now)
  store.runs.set(key(repo, run.id), run)
  return publicRun(run)
}

function finishJobs(run: RunRecord, conclusion: RunConclusion, now: string): void {
  for (const job of run.jobs) {
    if (job.status === 'completed') continue
    Object.assign(job, {
      status: 'completed',
      conclusion: jobConclusion(conclusion),
      completed_at: now
    })
  }
}

function runOrThrow(store: Store, fullName: string, id: number): RunRecord {
  const run = store.runs.get(key(repositoryOrThrow(store, fullName), id))
  if (!run) throw new Error(`no run ${id} in ${fullName}`)
  return run
}

/** Move a run on; completing it completes its unfinished jobs with its conclusion. */
export function setRunStatus(
  store: Store,
  fullName: string,
  id: number,
  status: RunStatus,
  conclusion?: RunConclusion
): void {
  const run = runOrThrow(store, fullName, id)
  checkState(status, conclusion)
  const now = timestamp()
  Object.assign(run, { status, conclusion: conclusion ?? null, updated_at: now })
  if (status === 'completed') finishJobs(run, conclusion ?? 'success', now)
}

function jobOrThrow(run: RunRecord, fullName: string, name: string): JobRecord {
  const job = run.jobs.find((j) => j.name === name)
  if (!job) throw new Error(`no job ${name} in run ${run.id} of ${fullName}`)
  return job
}

/**
 * Start a job: `in_progress` now, reading what it will hold: the run's values (read at queue
 * time) with its environment's secrets over them, read now, as GitHub reads environment secrets
 * when a job referencing the environment starts. A Dependabot run gets no Actions secrets, so no
 * environment secrets either.
 */
export function startJob(store: Store, fullName: string, runId: number, name: string): void {
  const repo = repositoryOrThrow(store, fullName)
  const run = runOrThrow(store, fullName, runId)
  if (run.status === 'completed') throw new Error(`run ${runId} of ${fullName} is completed`)
  const job = jobOrThrow(run, fullName, name)
  if (job.status !== 'queued') throw new Error(`job ${name} is already ${job.status}`)
  const now = timestamp()
  const environment =
    job.environment && !readsDependabotSecrets(run)
      ? valuesOf(store, scopeId.environment(`${repo.owner}/${repo.name}`, job.environment))
      : {}
  Object.assign(job, {
    status: 'in_progress',
    started_at: now,
    held: { ...run.held, ...environment }
  })
  const stillWaiting = run.jobs.some((j) => j.gated && j.status === 'queued')
  if (run.status !== 'in_progress' && !(run.status === 'waiting' && stillWaiting)) {
    run.status = 'in_progress'
  }
  run.updated_at = now
}

/** Finish a job (started or not) with `conclusion`; the run stays as it is until told. */
export function completeJob(
  store: Store,
  fullName: string,
  runId: number,
  name: string,
  conclusion: JobConclusion = 'success'
): void {
  const run = runOrThrow(store, fullName, runId)
  const job = jobOrThrow(run, fullName, name)
  if (job.status === 'completed') throw new Error(`job ${name} is already completed`)
  const now = timestamp()
  Object.assign(job, { status: 'completed', conclusion, completed_at: now })
  run.updated_at = now
}

/** What the run captured when it was queued, and each started job when it started. */
export function heldBy(store: Store, fullName: string, runId: number): HeldSecrets {
  const run = runOrThrow(store, fullName, runId)
  const jobs: Record<string, Record<string, string>> = {}
  for (const job of run.jobs) if (job.held) jobs[job.name] = { ...job.held }
  return { run: { ...run.held }, jobs }
}

/** A job's status as GitHub lists it: a job awaiting approval shows `waiting` while its run does. */
const jobStatus = (job: JobRecord, run: RunRecord): JobStatus =>
  job.status === 'queued' && job.gated && run.status === 'waiting' ? 'waiting' : job.status

function publicJob(job: JobRecord, run: RunRecord): WorkflowJob {
  const { gated: _gated, held: _held, ...rest } = job
  return { ...rest, status: jobStatus(job, run) }
}

function publicRun(run: RunRecord): WorkflowRun {
  const { earlierJobs: _earlier, held: _held, jobs, ...rest } = run
  return { ...rest, jobs: jobs.map((j) => publicJob(j, run)) }
}

export function findRun(store: Store, fullName: string, id: number): WorkflowRun | undefined {
  const run = store.runs.get(key(repositoryOrThrow(store, fullName), id))
  return run && publicRun(run)
}

/** A stable number for the workflow file, as GitHub's `workflow_id` is stable per file. */
const workflowId = (repo: Repository, path: string): number =>
  createHash('sha256').update(`${repo.id}:${path}`).digest().readUInt32BE(0)

/** Known accounts' ids; anyone else gets a stable id from the login. */
const KNOWN_IDS: Record<string, number> = {
  octocat: 583231,
  'dependabot[bot]': 49699333,
  'github-actions[bot]': 41898282
}

/** GitHub's simple-user object for a login (`[bot]` logins are `Bot`s). */
export function simpleUser(login: string): object {
  const id =
    KNOWN_IDS[login.toLowerCase()] ??
    (createHash('sha256').update(login.toLowerCase()).digest().readUInt32BE(0) % 99_000_000) + 1
  const api = `https://api.github.com/users/${login}`
  return {
    login,
    id,
    node_id: Buffer.from(`04:User${id}`).toString('base64'),
    avatar_url: `https://avatars.githubusercontent.com/u/${id}?v=4`,
    gravatar_id: '',
    url: api,
    html_url: `https://github.com/${login}`,
    followers_url: `${api}/followers`,
    following_url: `${api}/following{/other_user}`,
    gists_url: `${api}/gists{/gist_id}`,
    starred_url: `${api}/starred{/owner}{/repo}`,
    subscriptions_url: `${api}/subscriptions`,
    organizations_url: `${api}/orgs`,
    repos_url: `${api}/repos`,
    events_url: `${api}/events{/privacy}`,
    received_events_url: `${api}/received_events`,
    type: login.toLowerCase().endsWith('[bot]') ? 'Bot' : 'User',
    site_admin: false
  }
}

function render(run: RunRecord, repo: Repository, store: Store, baseUrl: string): object {
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
    actor: simpleUser(run.actor),
    run_attempt: run.runAttempt,
    referenced_workflows: [],
    run_started_at: run.run_started_at,
    triggering_actor: simpleUser(run.triggeringActor),
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

function renderJob(job: JobRecord, run: RunRecord, repo: Repository, baseUrl: string): object {
  const full = `${repo.owner}/${repo.name}`
  const started = job.held !== undefined
  const status = jobStatus(job, run)
  return {
    id: job.id,
    run_id: run.id,
    workflow_name: run.name,
    head_branch: run.headBranch,
    run_url: `${baseUrl}/repos/${full}/actions/runs/${run.id}`,
    run_attempt: job.runAttempt,
    node_id: `CR_${Buffer.from(`job:${job.id}`).toString('base64url')}`,
    head_sha: run.headSha,
    url: `${baseUrl}/repos/${full}/actions/jobs/${job.id}`,
    html_url: `https://github.com/${full}/actions/runs/${run.id}/job/${job.id}`,
    status,
    conclusion: job.conclusion,
    created_at: job.created_at,
    started_at: job.started_at,
    completed_at: job.completed_at,
    name: job.name,
    steps: started
      ? [
          {
            name: 'Set up job',
            status: job.status === 'completed' ? 'completed' : 'in_progress',
            conclusion: job.conclusion,
            number: 1,
            started_at: job.started_at,
            completed_at: job.completed_at
          }
        ]
      : [],
    check_run_url: `${baseUrl}/repos/${full}/check-runs/${job.id}`,
    labels: ['ubuntu-latest'],
    // a runner is assigned when the job starts; until then GitHub reports nulls
    runner_id: started ? (job.id % 1000) + 1 : null,
    runner_name: started ? `GitHub Actions ${(job.id % 1000) + 1}` : null,
    runner_group_id: started ? 0 : null,
    runner_group_name: started ? 'GitHub Actions' : null
  }
}

/** The repository an Actions route addresses, once the token may read its runs; or the error. */
function actionsRepository(ctx: RouteContext, docs: string): Repository | Reply {
  ctx.headers['x-accepted-github-permissions'] = 'actions=read'
  const repo = ctx.store.repository(ctx.params.owner ?? '', ctx.params.repo ?? '')
  const denial = authorizeRepository(ctx.token, repo, 'actions', 'read')
  if (denial || !repo) return error(denial?.status ?? 404, denial?.message ?? 'Not Found', docs)
  return repo
}

const isRepository = (v: Repository | Reply): v is Repository => 'owner' in v

/** An integer path parameter; anything else names nothing, and GitHub answers 404. */
const integerParam = (value: string | undefined): number =>
  /^\d{1,15}$/.test(value ?? '') ? Number(value) : NaN

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}`: fine-grained tokens need `actions=read`. */
export function getRun(ctx: RouteContext, docs: string): Reply {
  const repo = actionsRepository(ctx, docs)
  if (!isRepository(repo)) return repo
  const run = ctx.store.runs.get(key(repo, integerParam(ctx.params.run_id)))
  if (!run) return error(404, 'Not Found', docs)
  return json(200, render(run, repo, ctx.store, ctx.baseUrl))
}

const RUN_STATUSES = new Set([
  'requested',
  'queued',
  'pending',
  'waiting',
  'in_progress',
  'completed'
])
/** GitHub: "This endpoint will return up to 1,000 results for each search when using" these. */
const SEARCH_PARAMETERS = [
  'actor',
  'branch',
  'check_suite_id',
  'created',
  'event',
  'head_sha',
  'status'
]
const SEARCH_LIMIT = 1000

/** `GET /repos/{owner}/{repo}/actions/runs`: newest first, GitHub's filters and search cap. */
export function listRuns(ctx: RouteContext, docs: string): Reply {
  const repo = actionsRepository(ctx, docs)
  if (!isRepository(repo)) return repo
  const q = ctx.req.url.searchParams
  const invalid = validateQuery('GET', '/repos/{owner}/{repo}/actions/runs', q)
  if (invalid) return error(422, invalid, docs)
  const given = (name: string): string | undefined => q.get(name) || undefined
  const created = given('created')
  const window = created === undefined ? undefined : parseCreated(created)
  if (window === null) {
    return error(
      422,
      `Invalid request.\n\n${JSON.stringify(created)} is not a valid created date range.`,
      docs
    )
  }
  const status = given('status')
  const actor = given('actor')?.toLowerCase()
  const branch = given('branch')
  const event = given('event')
  const sha = given('head_sha')?.toLowerCase()
  const suite = given('check_suite_id')
  const prefix = `${repo.owner}/${repo.name}#`.toLowerCase()
  const matched = [...ctx.store.runs.entries()]
    .filter(([k]) => k.startsWith(prefix))
    .map(([, run]) => run)
    .filter((run) => {
      if (status !== undefined) {
        if (RUN_STATUSES.has(status) ? run.status !== status : run.conclusion !== status)
          return false
      }
      if (actor !== undefined && run.actor.toLowerCase() !== actor) return false
      if (branch !== undefined && run.headBranch !== branch) return false
      if (event !== undefined && run.event !== event) return false
      if (sha !== undefined && run.headSha.toLowerCase() !== sha) return false
      if (suite !== undefined && String(run.id + 1) !== suite) return false
      if (window) {
        const at = Date.parse(run.created_at)
        if (window.from !== undefined && at < window.from) return false
        if (window.to !== undefined && at >= window.to) return false
      }
      return true
    })
    .sort((a, b) => Date.parse(b.created_at) - Date.parse(a.created_at) || b.id - a.id)
  const searched = SEARCH_PARAMETERS.some((p) => given(p) !== undefined)
  const reachable = searched ? matched.slice(0, SEARCH_LIMIT) : matched
  const { page, headers } = paginate(ctx.req, reachable)
  return json(
    200,
    {
      total_count: matched.length,
      workflow_runs: page.map((run) => render(run, repo, ctx.store, ctx.baseUrl))
    },
    headers
  )
}

const DAY = 86_400_000
const DATE = /^\d{4}-\d{2}-\d{2}$/
const DATE_TIME =
  /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}(?::\d{2}(?:\.\d{1,9})?)?)(Z|[+-]\d{2}:?\d{2})?$/

/**
 * One date of GitHub's search syntax as the instants it covers, `[start, end)` in ms: a date is
 * its whole (UTC) day, a date-time its instant (UTC when it has no offset). null: not a date.
 */
function instants(text: string): { start: number; end: number } | null {
  if (DATE.test(text)) {
    const start = Date.parse(`${text}T00:00:00Z`)
    if (Number.isNaN(start) || new Date(start).toISOString().slice(0, 10) !== text) return null
    return { start, end: start + DAY }
  }
  const m = DATE_TIME.exec(text)
  if (!m) return null
  const [, day = '', time = '', zone = 'Z'] = m
  if (!instants(day)) return null
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`
  const start = Date.parse(`${day}T${time.length === 5 ? `${time}:00` : time}${offset}`)
  if (Number.isNaN(start)) return null
  return { start, end: start + 1 }
}

/**
 * GitHub's search syntax for dates: `>=D`, `>D`, `<=D`, `<D`, `D..D`, `D..*`, `*..D` and `D`,
 * as `[from, to)` in ms (either side open). A bound that is a date covers its whole day, so
 * `<=2024-05-01` and `*..2024-05-01` include all of May 1st and `>2024-05-01` starts May 2nd.
 * null: not GitHub's syntax.
 */
export function parseCreated(text: string): { from?: number; to?: number } | null {
  const range = /^(.+)\.\.(.+)$/.exec(text)
  if (range) {
    const [, a = '', b = ''] = range
    const lo = a === '*' ? undefined : instants(a)
    const hi = b === '*' ? undefined : instants(b)
    if (lo === null || hi === null || (lo === undefined && hi === undefined)) return null
    return { from: lo?.start, to: hi?.end }
  }
  const op = /^(>=|<=|>|<)?(.+)$/.exec(text)
  const point = instants(op?.[2] ?? '')
  if (!point) return null
  switch (op?.[1]) {
    case '>=':
      return { from: point.start }
    case '>':
      return { from: point.end }
    case '<=':
      return { to: point.end }
    case '<':
      return { to: point.start }
    default:
      return { from: point.start, to: point.end }
  }
}

/** `GET /repos/{owner}/{repo}/actions/runs/{run_id}/jobs`: `filter=latest` (default) or `all`. */
export function listJobs(ctx: RouteContext, docs: string): Reply {
  const repo = actionsRepository(ctx, docs)
  if (!isRepository(repo)) return repo
  const run = ctx.store.runs.get(key(repo, integerParam(ctx.params.run_id)))
  if (!run) return error(404, 'Not Found', docs)
  const q = ctx.req.url.searchParams
  const invalid = validateQuery('GET', '/repos/{owner}/{repo}/actions/runs/{run_id}/jobs', q)
  if (invalid) return error(422, invalid, docs)
  const jobs = q.get('filter') === 'all' ? [...run.earlierJobs, ...run.jobs] : run.jobs
  const { page, headers } = paginate(ctx.req, jobs)
  return json(
    200,
    { total_count: jobs.length, jobs: page.map((j) => renderJob(j, run, repo, ctx.baseUrl)) },
    headers
  )
}

/** `GET /repos/{owner}/{repo}/actions/jobs/{job_id}`: any attempt's job of the repository. */
export function getJob(ctx: RouteContext, docs: string): Reply {
  const repo = actionsRepository(ctx, docs)
  if (!isRepository(repo)) return repo
  const id = integerParam(ctx.params.job_id)
  const prefix = `${repo.owner}/${repo.name}#`.toLowerCase()
  for (const [k, run] of ctx.store.runs) {
    if (!k.startsWith(prefix)) continue
    const job = [...run.jobs, ...run.earlierJobs].find((j) => j.id === id)
    if (job) return json(200, renderJob(job, run, repo, ctx.baseUrl))
  }
  return error(404, 'Not Found', docs)
}
