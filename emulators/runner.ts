/**
 * The runner, emulated: runs the bundled action as a GitHub runner does, with inputs as
 * `INPUT_*` variables (defaults from action.yml), the runner's files in a fresh directory, and
 * the endpoints pointed at the emulators through the variables a runner and the AWS SDK honour.
 */
import { spawn, type ChildProcess } from 'node:child_process'
import { createHash, randomBytes, randomInt } from 'node:crypto'
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { parse } from 'yaml'
import { SOURCE_HASH_FILE, sourceHash } from '../scripts/source-hash.js'
import type { GitHubEmulator } from './github/index.js'

/** What the runner tells the GitHub emulator about its run; a stand-in without it gets nothing. */
type RunBook = Pick<
  GitHubEmulator,
  'repository' | 'addWorkflowRun' | 'setWorkflowRunStatus' | 'workflowRun'
>

/** Where the run's services are: a World satisfies this, and so does moto beside our GitHub emulator. */
export interface Endpoints {
  aws: { url: string }
  github: { url: string } & Partial<RunBook>
  oidc: { requestUrl: string; requestToken: string }
}

/** The repository whose workflow runs the action (the OIDC emulator's `repository` claim). */
export const WORKFLOW_REPOSITORY = 'acme/ops'
export const WORKFLOW_PATH = '.github/workflows/rotate.yml'

/** Run IDs are unique per run, as on GitHub: a counter from a random 10-digit start. */
let nextRunId = randomInt(1_000_000_000, 9_000_000_000)
let nextRunNumber = 1
/** The commit the workflow runs on: one per test process, as one push would give. */
const SHA = randomBytes(20).toString('hex')

/** The variables that say which run, workflow, job, ref and commit a step belongs to. */
export function runIdentity(): Record<string, string> {
  return {
    GITHUB_RUN_ID: String(nextRunId++),
    GITHUB_RUN_ATTEMPT: '1',
    GITHUB_RUN_NUMBER: String(nextRunNumber++),
    GITHUB_WORKFLOW: 'Rotate IAM key',
    GITHUB_WORKFLOW_REF: `${WORKFLOW_REPOSITORY}/${WORKFLOW_PATH}@refs/heads/main`,
    GITHUB_REF: 'refs/heads/main',
    GITHUB_SHA: SHA,
    GITHUB_JOB: 'rotate',
    GITHUB_EVENT_NAME: 'schedule'
  }
}

const runBook = (github: Endpoints['github']): RunBook | undefined =>
  github.repository && github.addWorkflowRun && github.setWorkflowRunStatus && github.workflowRun
    ? (github as RunBook)
    : undefined

/**
 * Register the step's run in the GitHub emulator, as the run exists on GitHub while the step
 * runs: `in_progress` now, `completed` when the returned function gets the process's exit.
 * A no-op when the emulator lacks the helpers, the repository or a numeric run ID.
 */
export function trackRun(
  github: Endpoints['github'],
  env: Record<string, string | undefined>
): (code: number | null, signal: NodeJS.Signals | null) => void {
  const book = runBook(github)
  const repo = env.GITHUB_REPOSITORY ?? ''
  const id = Number(env.GITHUB_RUN_ID)
  const numeric = /^\d+$/.test(env.GITHUB_RUN_ID ?? '') && Number.isSafeInteger(id) && id > 0
  if (!book || !numeric || !book.repository(repo)) return () => {}
  const path = /^[^/]+\/[^/]+\/([^@]+)@/.exec(env.GITHUB_WORKFLOW_REF ?? '')?.[1]
  const number = (value: string | undefined): number | undefined =>
    /^\d+$/.test(value ?? '') && Number(value) > 0 ? Number(value) : undefined
  const optional = {
    runAttempt: number(env.GITHUB_RUN_ATTEMPT),
    runNumber: number(env.GITHUB_RUN_NUMBER),
    path,
    name: env.GITHUB_WORKFLOW || undefined,
    headBranch: env.GITHUB_REF?.replace(/^refs\/(heads|tags)\//, '') || undefined,
    headSha: env.GITHUB_SHA || undefined,
    event: env.GITHUB_EVENT_NAME || undefined
  }
  book.addWorkflowRun(repo, {
    id,
    status: 'in_progress',
    ...Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined))
  })
  return (code, signal) => {
    // a test that finished the run itself (e.g. to emulate a cancellation) keeps its verdict
    if (book.workflowRun(repo, id)?.status === 'completed') return
    const conclusion = signal ? 'cancelled' : code === 0 ? 'success' : 'failure'
    book.setWorkflowRunStatus(repo, id, 'completed', conclusion)
  }
}

const DIST = new URL('../dist/index.js', import.meta.url).pathname
const ROOT = new URL('../', import.meta.url).pathname

let fresh: boolean | undefined
/**
 * Refuse to run a `dist/` built from other sources than `src/` holds now: a test would pass or
 * fail on old code and say nothing. The build writes the hash of its sources beside the bundle.
 */
export function assertFreshBundle(): void {
  if (fresh) return
  const stamp = join(ROOT, 'dist', SOURCE_HASH_FILE)
  const built = existsSync(stamp) ? readFileSync(stamp, 'utf8').trim() : undefined
  fresh = built === sourceHash(ROOT)
  if (!fresh)
    throw new Error(
      built
        ? "dist/ was built from other sources than src/ holds now: run 'npm run build' (the end-to-end tests run dist/index.js, as a runner does)"
        : `dist/${SOURCE_HASH_FILE} is missing: run 'npm run build'`
    )
}

/**
 * A short hash of a build: `script` (dist/index.js by default) and every `.js` file beside it,
 * the chunks it loads from there. Says which bundle a measurement or a test ran.
 */
export function bundleHash(script = DIST): string {
  const dir = dirname(script)
  const hash = createHash('sha256')
  for (const f of readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()) {
    hash.update(f).update(readFileSync(join(dir, f)))
  }
  return hash.digest('hex').slice(0, 12)
}
const ACTION = new URL('../action.yml', import.meta.url).pathname

export interface RunResult {
  code: number | null
  /** The log as a runner shows it: `::add-mask::` commands consumed, masked values as `***`. */
  log: string
  /** Values the action asked the runner to mask. */
  masks: string[]
  /** Raw standard output, workflow commands included. */
  stdout: string
  stderr: string
  outputs: Record<string, string>
  summary: string
  /**
   * Everything the action printed and wrote, for leak scans: raw output except the
   * `::add-mask::` commands, which the runner consumes, and every runner file.
   */
  everything: string
  ms: number
  /** Epoch milliseconds when the process was spawned (compare with emulator log times). */
  startedAt: number
  /** The signal that ended the process, when one did. */
  signal: NodeJS.Signals | null
}

export interface RunOptions {
  /** Called with the child process right after spawn (e.g. to kill it mid-run). */
  onSpawn?: (child: ChildProcess) => void
}

/** The action's defaults, as a runner passes them for inputs the workflow leaves out. */
function actionDefaults(): Record<string, string> {
  const action = parse(readFileSync(ACTION, 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs)
      .filter(([, v]) => v.default !== undefined)
      .map(([k, v]) => [k, String(v.default)])
  )
}

/** Parse the `name<<delimiter` blocks @actions/core writes to GITHUB_OUTPUT. */
export function parseOutputFile(text: string): Record<string, string> {
  const outputs: Record<string, string> = {}
  const re = /^([^\n<]+)<<(\S+)\n([\s\S]*?)\n\2$/gm
  for (const m of text.matchAll(re)) outputs[m[1] as string] = m[3] as string
  return outputs
}

/**
 * The environment a runner gives a step, pointed at the world's emulators. Each call is a new
 * run: a fresh GITHUB_RUN_ID (see `runIdentity`).
 */
export function runnerEnv(world: Endpoints, dir: string): Record<string, string> {
  return {
    PATH: process.env.PATH ?? '',
    HOME: dir,
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_REPOSITORY: WORKFLOW_REPOSITORY,
    ...runIdentity(),
    GITHUB_API_URL: world.github.url,
    GITHUB_OUTPUT: join(dir, 'output'),
    GITHUB_STEP_SUMMARY: join(dir, 'summary'),
    GITHUB_ENV: join(dir, 'env'),
    GITHUB_STATE: join(dir, 'state'),
    GITHUB_PATH: join(dir, 'path'),
    RUNNER_TEMP: dir,
    ACTIONS_ID_TOKEN_REQUEST_URL: world.oidc.requestUrl,
    ACTIONS_ID_TOKEN_REQUEST_TOKEN: world.oidc.requestToken,
    AWS_ENDPOINT_URL_IAM: world.aws.url,
    AWS_ENDPOINT_URL_STS: world.aws.url,
    // Keep the machine's own AWS configuration out of the run.
    AWS_CONFIG_FILE: join(dir, 'aws-config'),
    AWS_SHARED_CREDENTIALS_FILE: join(dir, 'aws-credentials'),
    AWS_EC2_METADATA_DISABLED: 'true'
  }
}

/**
 * Run `node dist/index.js` as a runner does: inputs as `INPUT_*` (defaults from action.yml),
 * runner files in a fresh temp directory, `env` over everything. When the GitHub emulator knows
 * the workflow's repository, the run is registered there for the action to look up.
 */
export async function runAction(
  world: Endpoints,
  inputs: Record<string, string>,
  env: Record<string, string> = {},
  options: RunOptions = {}
): Promise<RunResult> {
  assertFreshBundle()
  const dir = mkdtempSync(join(tmpdir(), 'rotate-e2e-'))
  const base = runnerEnv(world, dir)
  for (const f of ['output', 'summary', 'env', 'state', 'path']) writeFileSync(join(dir, f), '')
  const all = { ...actionDefaults(), ...inputs }
  const inputEnv = Object.fromEntries(
    Object.entries(all).map(([k, v]) => [`INPUT_${k.replace(/ /g, '_').toUpperCase()}`, v])
  )
  const started = Date.now()
  const childEnv = { ...base, ...inputEnv, ...env }
  const finishRun = trackRun(world.github, childEnv)
  const child = spawn(process.execPath, [DIST], {
    env: childEnv,
    stdio: ['ignore', 'pipe', 'pipe']
  })
  options.onSpawn?.(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()))
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
    child.on('close', (c, s) => resolve([c, s]))
  )
  finishRun(code, signal)
  const ms = Date.now() - started
  const files = readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))
  const { log, masks, unmasked } = runnerLog(stdout)
  return {
    code,
    log,
    masks,
    stdout,
    stderr,
    outputs: parseOutputFile(readFileSync(base.GITHUB_OUTPUT as string, 'utf8')),
    summary: readFileSync(base.GITHUB_STEP_SUMMARY as string, 'utf8'),
    everything: [unmasked, stderr, ...files].join('\n'),
    ms,
    startedAt: started,
    signal
  }
}

/**
 * Process standard output as the runner does: `::add-mask::` commands are consumed and their
 * values shown as `***`, debug lines hidden (no step debugging), groups shown by name.
 */
export function runnerLog(stdout: string): { log: string; masks: string[]; unmasked: string } {
  const masks: string[] = []
  const kept: string[] = []
  const shown: string[] = []
  for (const line of stdout.split('\n')) {
    const mask = /^::add-mask::(.*)$/.exec(line)
    if (mask) {
      masks.push(mask[1] as string)
      continue
    }
    kept.push(line)
    if (line.startsWith('::debug::') || line === '::endgroup::') continue
    const command = /^::(error|warning|notice)[^:]*::(.*)$/.exec(line)
    if (command) {
      // Workflow command data escapes %, CR and LF; the runner shows them decoded.
      const text = (command[2] as string)
        .replace(/%0A/g, '\n')
        .replace(/%0D/g, '\r')
        .replace(/%25/g, '%')
      shown.push(`${(command[1] as string).replace(/^./, (c) => c.toUpperCase())}: ${text}`)
    } else shown.push(line.replace(/^::group::/, '▾ '))
  }
  const unmasked = kept.join('\n')
  let log = shown.join('\n')
  for (const value of masks) if (value) log = log.split(value).join('***')
  return { log, masks, unmasked }
}
