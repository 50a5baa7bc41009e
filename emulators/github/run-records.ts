/**
 * The shapes of workflow runs and jobs: what tests pass in, what the emulator reports, and what
 * the store keeps. A leaf, so the store holds runs without importing the routes that serve them.
 */

/** GitHub's run statuses; only `completed` carries a conclusion (`action_required` is a conclusion). */
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

/** GitHub's job statuses and conclusions (the job schema has no `stale` or `startup_failure`). */
export type JobStatus = 'queued' | 'in_progress' | 'completed' | 'waiting' | 'requested' | 'pending'
export type JobConclusion =
  'success' | 'failure' | 'neutral' | 'cancelled' | 'skipped' | 'timed_out' | 'action_required'

export interface WorkflowJobOptions {
  /** Unique within the run: the helpers address jobs by name. */
  name: string
  /** The environment the job references: its secrets are read when the job starts. */
  environment?: string
  /** `waiting`: the job waits for the environment's approval (listed `waiting` while the run is). */
  status?: 'queued' | 'waiting'
}

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
  /** Default `workflow_dispatch` (`pull_request` when the actor is `dependabot[bot]`). */
  event?: string
  /**
   * Login of the user whose event started the run; default `octocat`. A run by `dependabot[bot]`
   * on an event Dependabot's restrictions cover (`pull_request`, `push`, ...) reads Dependabot
   * secrets instead of Actions secrets, re-runs included.
   */
  actor?: string
  /** Login of who started this attempt (a re-run's may differ); default `actor`. */
  triggeringActor?: string
  /** When the run was created (whole seconds); default now. */
  createdAt?: string
  /** The run's jobs, queued until `startJob`; default none. */
  jobs?: WorkflowJobOptions[]
}

/** A job as the emulator reports it to tests. */
export interface WorkflowJob {
  id: number
  name: string
  environment: string | null
  status: JobStatus
  conclusion: JobConclusion | null
  runAttempt: number
  created_at: string
  /** GitHub's schema has no null here: a job not yet started reports its creation time. */
  started_at: string
  completed_at: string | null
}

export interface WorkflowRun extends Required<
  Omit<WorkflowRunOptions, 'conclusion' | 'jobs' | 'createdAt'>
> {
  conclusion: RunConclusion | null
  created_at: string
  updated_at: string
  /** When this attempt started: resets on a re-run. */
  run_started_at: string
  /** This attempt's jobs. */
  jobs: WorkflowJob[]
}

export interface JobRecord extends WorkflowJob {
  /** Declared `waiting`: it waits for its environment's approval until started. */
  gated: boolean
  /** What the job read when it started: the run's values, its environment's over them. */
  held?: Record<string, string>
}

/** A run as the store keeps it: what the run read at queue time, and earlier attempts' jobs. */
export interface RunRecord extends Omit<WorkflowRun, 'jobs'> {
  jobs: JobRecord[]
  earlierJobs: JobRecord[]
  held: Record<string, string>
}

/** What a run and each of its started jobs captured, name → plaintext. */
export interface HeldSecrets {
  run: Record<string, string>
  jobs: Record<string, Record<string, string>>
}
