/**
 * The fault-injection matrix: every external call the rotation makes × every way it can fail.
 * A cell seeds a world whose repositories hold the old key, injects one fault, runs the bundled
 * action, then runs it again without faults, and judges both runs from the emulators' state:
 *
 * - I1: after each run, every target holds a key ID + secret that STS accepts as the user;
 * - I2: never more than two keys (after each run, and no CreateAccessKey while two exist);
 * - I3: after the follow-up run (which must succeed), exactly one key, Active, in every target;
 * - I4: a transient fault (5xx, throttling, a hang the client retries) never fails the run, and
 *   no fault makes the run hang;
 * - no run prints or writes a secret, and every key secret a run creates is masked.
 *
 * The calls and the fault kinds are data: adding a row or a column is one entry.
 */
import type { ChildProcess } from 'node:child_process'
import sodium from 'libsodium-wrappers'
import { bundleHash, runAction, type RunResult } from '../../emulators/runner.js'
import type { EmulatorServer, Fault, LogEntry } from '../../emulators/shared/server.js'
import { REPOS, roleInputs, startWorld, TOKEN, USER, type World } from '../../emulators/world.js'
import { callerArn, secretsOf } from './helpers.js'

/** Which emulator answers a call. */
export type Service = 'oidc' | 'aws' | 'github'

/** One external call of the rotation: the `nth` request (1-based) whose route matches. */
export interface Call {
  label: string
  service: Service
  /** Route name as the emulator logs it. */
  route: string
  nth?: number
  /**
   * Count only requests signed by a key the run created (`new-key`) or by anyone else (`other`):
   * the probe run turns this into the `nth` of the route as a whole, since faults match routes.
   */
  signer?: 'new-key' | 'other'
  /** Only part of the matrix when a normal run makes this call (e.g. tag calls not yet landed). */
  optional?: boolean
}

const PUBLIC_KEY = 'GET /repos/{owner}/{repo}/actions/secrets/public-key'
const PUT_SECRET = 'PUT /repos/{owner}/{repo}/actions/secrets/{secret_name}'
const LIST_RUNS = 'GET /repos/{owner}/{repo}/actions/runs'
/** IAM's calls that change the user: each may meet ConcurrentModification. */
const IAM_WRITES = /^iam:(CreateAccessKey|UpdateAccessKey|DeleteAccessKey|TagUser|UntagUser)$/

/** Every external call of a rotation of two repositories, in the order a run makes them. */
export const CALLS: Call[] = [
  { label: 'OIDC token', service: 'oidc', route: 'GET /idtoken' },
  {
    label: 'sts:AssumeRoleWithWebIdentity',
    service: 'aws',
    route: 'sts:AssumeRoleWithWebIdentity'
  },
  {
    label: 'sts:GetCallerIdentity (admin)',
    service: 'aws',
    route: 'sts:GetCallerIdentity',
    signer: 'other',
    optional: true
  },
  { label: 'iam:GetUser', service: 'aws', route: 'iam:GetUser' },
  { label: 'iam:ListAccessKeys', service: 'aws', route: 'iam:ListAccessKeys', nth: 1 },
  { label: 'iam:ListUserTags', service: 'aws', route: 'iam:ListUserTags', optional: true },
  { label: 'public-key GET, 1st', service: 'github', route: PUBLIC_KEY, nth: 1 },
  { label: 'public-key GET, 2nd', service: 'github', route: PUBLIC_KEY, nth: 2 },
  // Before any change: may the token list each target repository's workflow runs?
  { label: 'runs list (preflight, 1st)', service: 'github', route: LIST_RUNS, nth: 1 },
  { label: 'iam:TagUser (intent)', service: 'aws', route: 'iam:TagUser', nth: 1 },
  { label: 'iam:CreateAccessKey', service: 'aws', route: 'iam:CreateAccessKey' },
  {
    label: 'iam:GetAccessKeyLastUsed',
    service: 'aws',
    route: 'iam:GetAccessKeyLastUsed',
    optional: true
  },
  {
    label: 'iam:ListAccessKeys (alone after create)',
    service: 'aws',
    route: 'iam:ListAccessKeys',
    nth: 2
  },
  { label: 'iam:TagUser (lease names the new key)', service: 'aws', route: 'iam:TagUser', nth: 2 },
  {
    label: 'sts:GetCallerIdentity (new key)',
    service: 'aws',
    route: 'sts:GetCallerIdentity',
    signer: 'new-key'
  },
  { label: 'secret PUT #1', service: 'github', route: PUT_SECRET, nth: 1 },
  { label: 'secret PUT #2', service: 'github', route: PUT_SECRET, nth: 2 },
  { label: 'secret PUT #3', service: 'github', route: PUT_SECRET, nth: 3 },
  { label: 'secret PUT #4', service: 'github', route: PUT_SECRET, nth: 4 },
  {
    label: 'iam:TagUser (published)',
    service: 'aws',
    route: 'iam:TagUser',
    nth: 3
  },
  // Beside the published mark: the first of each repository's listings by status.
  { label: 'runs list (drain, 1st)', service: 'github', route: LIST_RUNS, nth: 3 },
  { label: 'iam:UpdateAccessKey', service: 'aws', route: 'iam:UpdateAccessKey' },
  { label: 'iam:DeleteAccessKey', service: 'aws', route: 'iam:DeleteAccessKey' },
  { label: 'iam:UntagUser', service: 'aws', route: 'iam:UntagUser', optional: true }
]

/** A way a call can fail. `fault` returns undefined when the kind does not apply to the call. */
export interface FaultKind {
  id: string
  label: string
  /** I4 applies: the run must still succeed. */
  transient: boolean
  fault(call: Call, kill: () => void): Omit<Fault, 'route' | 'after'> | undefined
}

const SECONDARY =
  'You have exceeded a secondary rate limit. Please wait a few minutes before you try again.'

export const KINDS: FaultKind[] = [
  {
    id: '5xx',
    label: 'transient 5xx (once)',
    transient: true,
    fault: (call) => (call.service === 'aws' ? { status: 500 } : { status: 502 })
  },
  {
    id: 'throttle',
    label: 'throttled (once)',
    transient: true,
    fault: (call) =>
      call.service === 'aws'
        ? { status: 400, code: 'Throttling', message: 'Rate exceeded' }
        : { status: 429, message: SECONDARY, headers: { 'retry-after': '1' } }
  },
  {
    id: 'secondary-403',
    label: 'secondary rate limit 403 (once)',
    transient: true,
    fault: (call) =>
      call.service === 'github'
        ? { status: 403, message: SECONDARY, headers: { 'retry-after': '1' } }
        : undefined
  },
  {
    id: 'permanent',
    label: 'refused for good (4xx)',
    transient: false,
    fault: (call) =>
      call.service === 'aws'
        ? {
            status: 403,
            code: 'AccessDenied',
            message: `User is not authorized to perform: ${call.route}`,
            count: 1000
          }
        : {
            status: 403,
            message: 'Resource not accessible by personal access token',
            count: 1000
          }
  },
  {
    id: 'hang',
    label: 'hang (once)',
    transient: true,
    fault: () => ({ hang: true })
  },
  {
    // The service acted, then the answer never reached the client: the write happened.
    id: 'lost',
    label: 'answer lost after acting (once)',
    transient: true,
    fault: (call) => ({ afterActing: true, status: call.service === 'aws' ? 500 : 502 })
  },
  {
    // GitHub stored the secret every time and lost every answer (Octokit's four tries of one
    // write): only GitHub's record can tell the run it landed.
    id: 'lost-every-retry',
    label: 'answer lost after acting, on every retry',
    transient: true,
    fault: (call) =>
      call.service === 'github' && call.route === PUT_SECRET
        ? { afterActing: true, status: 502, count: 4 }
        : undefined
  },
  {
    // IAM refuses a change of the user while another is in flight; nothing changed.
    id: 'concurrent',
    label: 'ConcurrentModification (once)',
    transient: true,
    fault: (call) =>
      call.service === 'aws' && IAM_WRITES.test(call.route)
        ? {
            status: 409,
            code: 'ConcurrentModification',
            message:
              'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.'
          }
        : undefined
  },
  {
    id: 'kill',
    label: 'process killed',
    transient: false,
    fault: (_call, kill) => ({ hang: true, effect: kill })
  }
]

export interface Cell {
  call: Call
  kind: FaultKind
  /** `call × kind`, the Jest test name. */
  name: string
}

/** Every applicable cell of `calls × kinds`. */
export function cells(calls: Call[], kinds: FaultKind[] = KINDS): Cell[] {
  return calls.flatMap((call) =>
    kinds
      .filter((kind) => kind.fault(call, () => undefined) !== undefined)
      .map((kind) => ({ call, kind, name: `${call.label} × ${kind.label}` }))
  )
}

/** Settings of every cell: fast emulators, a bounded run, a verify timeout the bound covers. */
export interface MatrixOptions {
  /** A run still going after this is killed and recorded as hung. */
  runBoundMs: number
  /** `verify-timeout-seconds`: a permanent fault on verification costs this much. */
  verifyTimeoutSeconds: number
}

export const DEFAULT_OPTIONS: MatrixOptions = {
  runBoundMs: Number(process.env.FAULT_MATRIX_RUN_BOUND_MS ?? 30_000),
  verifyTimeoutSeconds: 15
}

/** One run of the action as the matrix saw it. */
export interface RunRecord {
  code: number | null
  signal: NodeJS.Signals | null
  /** Killed by the harness after `runBoundMs`. */
  hung: boolean
  ms: number
  /** `Error:` / `Warning:` lines of the log as a runner shows it. */
  errors: string[]
  warnings: string[]
  /** Routes of the AWS, GitHub and OIDC requests of this run, in order, with their status. */
  requests: string[]
}

export interface CellResult {
  cell: Cell
  run1?: RunRecord
  run2?: RunRecord
  /** Whether the injected fault fired (a cell whose fault never fired tests nothing). */
  fired: boolean
  violations: string[]
  /**
   * Invariant 1's one allowed exception: a target whose key ID was written but not its secret
   * (the run killed between the two writes, or GitHub refusing the second and the repair), with
   * how long it held the mismatched pair: until the follow-up put it right.
   */
  exceptions: string[]
  /** Short outcome for the table. */
  outcome: string
  ms: number
  /** The bundle the cell ran (others may rebuild dist/ while the matrix runs). */
  dist: string
}

/** A short hash of the bundle `runAction` runs: dist/index.js and every chunk it may load. */
export const distHash = (): string => bundleHash()

// --- seeding ---------------------------------------------------------------------------------

/** Write `name` = `value` into `repo` as a client would: a sealed PUT with the test token. */
export function putSecret(world: World, repo: string, name: string, value: string): Promise<void> {
  return putScopeSecret(world, `/repos/${repo}/actions`, name, value)
}

/**
 * Write `name` = `value` into the secret scope at `base` (`/repos/acme/app/actions`,
 * `/orgs/acme/actions`, an environment's) as a client would: a sealed PUT with `token`.
 */
export async function putScopeSecret(
  world: World,
  base: string,
  name: string,
  value: string,
  extra: Record<string, unknown> = {},
  token = TOKEN
): Promise<void> {
  await sodium.ready
  const headers = {
    authorization: `Bearer ${token}`,
    accept: 'application/vnd.github+json',
    'x-github-api-version': '2022-11-28',
    'content-type': 'application/json'
  }
  const url = `${world.github.url}${base}/secrets`
  const res = await fetch(`${url}/public-key`, { headers })
  if (!res.ok) throw new Error(`seeding ${base}: public key ${res.status}`)
  const { key_id, key } = (await res.json()) as { key_id: string; key: string }
  const sealed = sodium.crypto_box_seal(
    sodium.from_string(value),
    sodium.from_base64(key, sodium.base64_variants.ORIGINAL)
  )
  const put = await fetch(`${url}/${name}`, {
    method: 'PUT',
    headers,
    body: JSON.stringify({
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      key_id,
      ...extra
    })
  })
  if (put.status !== 201 && put.status !== 204)
    throw new Error(`seeding ${base}: PUT ${put.status}`)
}

/** A world whose repositories already hold the old key, as before any rotation by this action. */
export async function seededWorld(): Promise<World> {
  const world = await startWorld({ propagationDelayMs: 0, latencyMs: 0 })
  for (const repo of REPOS) {
    await putSecret(world, repo, 'AWS_ACCESS_KEY_ID', world.oldKey.accessKeyId)
    await putSecret(world, repo, 'AWS_SECRET_ACCESS_KEY', world.oldKey.secretAccessKey)
  }
  // GitHub and IAM timestamps count whole seconds: keep the seeding apart from the run's writes.
  await new Promise((r) => setTimeout(r, 1100))
  return world
}

// --- running ---------------------------------------------------------------------------------

const servers = (world: World): Record<Service, EmulatorServer> => ({
  oidc: world.oidc,
  aws: world.aws,
  github: world.github
})

/** Positions in each emulator's log, to cut out one run's requests. */
type Marks = Record<Service, number>
const mark = (world: World): Marks => ({
  oidc: world.oidc.log.length,
  aws: world.aws.log.length,
  github: world.github.log.length
})
const since = (world: World, m: Marks, service: Service): LogEntry[] =>
  servers(world)[service].log.slice(m[service])

/** Run the action with `verify-timeout-seconds` set, killing it when it outlives the bound. */
export async function boundedRun(
  world: World,
  options: MatrixOptions,
  onChild: (child: ChildProcess) => void = () => undefined,
  env: Record<string, string> = {}
): Promise<{ result: RunResult; hung: boolean }> {
  let hung = false
  let timer: NodeJS.Timeout | undefined
  const result = await runAction(
    world,
    roleInputs(world, { 'verify-timeout-seconds': String(options.verifyTimeoutSeconds) }),
    env,
    {
      onSpawn: (child) => {
        onChild(child)
        timer = setTimeout(() => {
          hung = true
          child.kill('SIGKILL')
        }, options.runBoundMs)
      }
    }
  )
  clearTimeout(timer)
  return { result, hung }
}

/** The run's `::error::`/`::warning::` messages, decoded and masked as a runner shows them. */
function annotations(result: RunResult, kind: 'error' | 'warning'): string[] {
  const re = new RegExp(`^::${kind}[^:]*::(.*)$`)
  return result.stdout.split('\n').flatMap((line) => {
    const m = re.exec(line)
    if (!m) return []
    let text = (m[1] as string).replace(/%0A/g, '\n').replace(/%0D/g, '\r').replace(/%25/g, '%')
    for (const value of result.masks) if (value) text = text.split(value).join('***')
    return [text]
  })
}

function record(world: World, m: Marks, result: RunResult, hung: boolean): RunRecord {
  const requests = (['oidc', 'aws', 'github'] as const).flatMap((s) =>
    since(world, m, s).map((e) => ({ e, s }))
  )
  requests.sort((a, b) => a.e.time - b.e.time)
  return {
    code: result.code,
    signal: result.signal,
    hung,
    ms: result.ms,
    errors: annotations(result, 'error'),
    warnings: annotations(result, 'warning'),
    requests: requests.map(
      ({ e, s }) =>
        `${s === 'aws' ? e.route : `${e.method} ${e.path}`} → ${e.status === -1 ? 'no answer' : e.status}${e.injected ? ' (injected)' : ''}`
    )
  }
}

// --- invariants ------------------------------------------------------------------------------

const short = (id: string): string => (id.length > 8 ? `${id.slice(0, 8)}…` : id)

/** I1: every target decrypts to a pair STS accepts as the user. */
export async function checkTargets(world: World, when: string): Promise<string[]> {
  const out: string[] = []
  for (const repo of REPOS) {
    const s = world.github.repositorySecrets(repo)
    const id = s.AWS_ACCESS_KEY_ID ?? ''
    const arn = await callerArn(world, id, s.AWS_SECRET_ACCESS_KEY ?? '')
    if (arn !== world.userArn) {
      const known = world.aws.createdKeyIds().includes(id) || id === world.oldKey.accessKeyId
      const secretOf = known
        ? world.aws.secretOf(id) === s.AWS_SECRET_ACCESS_KEY
          ? 'its own secret'
          : 'a secret that is not its own'
        : 'an unknown ID'
      out.push(`I1 ${when}: ${repo} holds ${short(id)} with ${secretOf}; STS says ${arn}`)
    }
  }
  return out
}

/**
 * I2: never more than two keys. Replays the run's IAM requests from the key count at its start:
 * a CreateAccessKey sent while the user has two keys is a violation even when IAM refuses it.
 */
export function checkKeyCount(
  world: World,
  entries: LogEntry[],
  keysAtStart: number,
  when: string
): string[] {
  const out: string[] = []
  let count = keysAtStart
  for (const e of entries) {
    if (e.route === 'iam:CreateAccessKey') {
      if (count >= 2) out.push(`I2 ${when}: CreateAccessKey sent while ${count} keys existed`)
      if (e.status === 200) count += 1
    }
    if (e.route === 'iam:DeleteAccessKey' && e.status === 200) count -= 1
  }
  const now = world.aws.keys(USER).length
  if (now > 2) out.push(`I2 ${when}: ${now} keys`)
  return out
}

/** I3: exactly one key, Active, and every target holds exactly it. */
export function checkSettled(world: World): string[] {
  const keys = world.aws.keys(USER)
  const desc = keys.map((k) => `${short(k.accessKeyId)} ${k.status}`).join(', ')
  const [key] = keys
  if (keys.length !== 1 || !key) return [`I3: ${keys.length} keys after the follow-up (${desc})`]
  if (key.status !== 'Active') return [`I3: the only key ${desc}`]
  const out: string[] = []
  for (const repo of REPOS) {
    const s = world.github.repositorySecrets(repo)
    if (s.AWS_ACCESS_KEY_ID !== key.accessKeyId || s.AWS_SECRET_ACCESS_KEY !== key.secretAccessKey)
      out.push(`I3: ${repo} does not hold the remaining key ${short(key.accessKeyId)}`)
  }
  return out
}

/** No secret in anything the run printed or wrote; every key secret it created was masked. */
export function checkLeaks(
  world: World,
  result: RunResult,
  createdBefore: number,
  when: string,
  entries: LogEntry[]
): string[] {
  const out: string[] = []
  for (const secret of secretsOf(world))
    if (result.everything.includes(secret)) out.push(`LEAK ${when}: ${secret.slice(0, 4)}…`)
  // The creates that made a key, in order, and whether their answer reached the run: a secret
  // whose answer was lost never reached the action, so there was nothing to mask.
  const creates = entries.filter(
    (e) => e.route === 'iam:CreateAccessKey' && (e.actedStatus ?? e.status) === 200
  )
  world.aws
    .createdKeyIds()
    .slice(createdBefore)
    .forEach((id, i) => {
      const answered = creates[i]?.status === 200
      if (answered && !result.masks.includes(world.aws.secretOf(id)))
        out.push(`LEAK ${when}: the secret of ${short(id)} was never masked`)
    })
  return out
}

// --- one cell --------------------------------------------------------------------------------

/** Run one cell: seeded world, faulty run, invariants, follow-up run, invariants. */
export async function runCell(
  cell: Cell,
  options: MatrixOptions = DEFAULT_OPTIONS
): Promise<CellResult> {
  const started = Date.now()
  const distBefore = distHash()
  const world = await seededWorld()
  const violations: string[] = []
  try {
    const pre = await checkTargets(world, 'before the run')
    if (pre.length) throw new Error(`seeding failed: ${pre.join('; ')}`)

    // Run 1, with the fault.
    let child: ChildProcess | undefined
    const { call, kind } = cell
    const spec = kind.fault(call, () => child?.kill('SIGKILL'))
    if (!spec) throw new Error(`${kind.id} does not apply to ${call.label}`)
    const m1 = mark(world)
    const created1 = world.aws.createdKeyIds().length
    const keys1 = world.aws.keys(USER).length
    servers(world)[call.service].inject({ ...spec, route: call.route, after: (call.nth ?? 1) - 1 })
    // One workflow run: the faulty attempt, then a person re-running it at once.
    const runId = String(4_000_000_000 + Math.floor(Math.random() * 1_000_000_000))
    const first = await boundedRun(world, options, (c) => (child = c), { GITHUB_RUN_ID: runId })
    const fired = since(world, m1, call.service).some((e) => e.route === call.route && e.injected)
    for (const s of Object.values(servers(world))) s.clearFaults()
    const run1 = record(world, m1, first.result, first.hung)

    const when1 = 'after the faulty run'
    const broken = await checkTargets(world, when1)
    const half = halfWritten(since(world, m1, 'github'))
    violations.push(...checkKeyCount(world, since(world, m1, 'aws'), keys1, when1))
    if (first.hung) violations.push(`I4: the run hung; killed after ${options.runBoundMs / 1000} s`)
    else if (kind.transient && first.result.code !== 0)
      violations.push(`I4: a transient fault failed the run (exit ${first.result.code})`)
    violations.push(
      ...checkLeaks(world, first.result, created1, 'in the faulty run', since(world, m1, 'aws'))
    )

    // Run 2, the follow-up without faults, at once: the failed job re-run (its second attempt),
    // which takes over a killed attempt's lease without waiting.
    const m2 = mark(world)
    const created2 = world.aws.createdKeyIds().length
    const keys2 = world.aws.keys(USER).length
    const second = await boundedRun(world, options, undefined, {
      GITHUB_RUN_ID: runId,
      GITHUB_RUN_ATTEMPT: '2'
    })
    const run2 = record(world, m2, second.result, second.hung)
    const exceptions: string[] = []
    for (const v of broken) {
      const repo = half && v.includes(` ${half.repo} holds `) ? half.repo : undefined
      const fixed = repo
        ? since(world, m2, 'github').find(
            (e) => e.method === 'PUT' && e.path.startsWith(`/repos/${repo}/`) && e.status < 300
          )
        : undefined
      if (repo && half && fixed) {
        exceptions.push(
          `${repo} held a mismatched pair (new key ID, old secret) from ${half.time - first.result.startedAt} ms into the run until the follow-up's first write there, ${((fixed.time - half.time) / 1000).toFixed(1)} s later`
        )
      } else violations.push(v)
    }
    const when2 = 'after the follow-up'
    violations.push(...(await checkTargets(world, when2)))
    violations.push(...checkKeyCount(world, since(world, m2, 'aws'), keys2, when2))
    if (second.hung) violations.push(`I3: the follow-up hung`)
    else if (second.result.code !== 0)
      violations.push(`I3: the follow-up failed (exit ${second.result.code})`)
    violations.push(...checkSettled(world))
    violations.push(
      ...checkLeaks(world, second.result, created2, 'in the follow-up', since(world, m2, 'aws'))
    )

    return {
      cell,
      run1,
      run2,
      fired,
      violations,
      exceptions,
      outcome: outcomeOf(kind, run1, violations, exceptions),
      ms: Date.now() - started,
      dist: distHash() === distBefore ? distBefore : `${distBefore}, changed during the cell`
    }
  } finally {
    await world.close()
  }
}

/** The table's short verdict. */
function outcomeOf(
  kind: FaultKind,
  run1: RunRecord,
  violations: string[],
  exceptions: string[] = []
): string {
  const end = run1.hung ? 'hung' : run1.code === 0 ? 'ok' : run1.signal ? 'killed' : 'failed'
  if (!violations.length && exceptions.length)
    return `${end} → I1 exception (one target's pair) → completed by follow-up`
  if (violations.length) {
    const order = ['I1', 'I2', 'I3', 'I4', 'LEAK']
    const ids = [...new Set(violations.map((v) => v.split(/[ :]/)[0] ?? ''))]
    ids.sort((a, b) => order.indexOf(a) - order.indexOf(b))
    return `${end} → VIOLATION: ${ids.join(', ')}`
  }
  if (end === 'ok') return kind.id === 'hang' ? 'ok (retried after the timeout)' : 'ok'
  if (end === 'killed') return 'killed → completed by follow-up'
  return 'failed cleanly → completed by follow-up'
}

// --- the table -------------------------------------------------------------------------------

const cellText = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ')

/** The matrix as Markdown: call × fault → outcome, then what each violation was. */
export function renderMatrix(
  calls: Call[],
  kinds: FaultKind[],
  results: CellResult[],
  meta: { totalMs: number; options: MatrixOptions }
): string {
  const find = (call: Call, kind: FaultKind) =>
    results.find((r) => r.cell.call === call && r.cell.kind === kind)
  const rows = calls.filter((call) => results.some((r) => r.cell.call === call))
  const lines = [
    '# Fault matrix',
    '',
    'Written by `WRITE_FAULT_MATRIX=1 npm test -- __tests__/e2e/fault-matrix`. Each cell seeds both',
    'repositories with the old key, injects one fault into one call, runs the action, then re-runs',
    'it at once without faults (the follow-up: the same workflow run, attempt 2). Invariants: **I1** every target holds a pair STS accepts',
    'as the user, after each run; **I2** never more than two keys; **I3** after the follow-up (which',
    'must succeed) exactly one Active key, held by every target; **I4** a transient fault (5xx,',
    'throttling, a hang the client retries) never fails the run, and no run hangs; **LEAK** no',
    'secret printed or written, every created secret masked.',
    '',
    `Secret PUTs go acme/app AWS_ACCESS_KEY_ID, acme/app AWS_SECRET_ACCESS_KEY, acme/api …, acme/api …;`,
    `the two public-key GETs are concurrent (1st/2nd by arrival). A run still going after`,
    `${meta.options.runBoundMs / 1000} s is killed and recorded as hung; \`verify-timeout-seconds\` is ${meta.options.verifyTimeoutSeconds}.`,
    '',
    `| call | ${kinds.map((k) => k.label).join(' | ')} |`,
    `| --- | ${kinds.map(() => '---').join(' | ')} |`,
    ...rows.map(
      (call) =>
        `| ${cellText(call.label)} | ${kinds
          .map((kind) => {
            const r = find(call, kind)
            return r ? cellText(r.outcome) : kind.fault(call, () => undefined) ? 'not run' : '—'
          })
          .join(' | ')} |`
    ),
    '',
    `${results.length} cells, ${results.filter((r) => r.violations.length).length} with violations, ${results.filter((r) => r.exceptions.length).length} where invariant 1's exception applies, ${Math.round(meta.totalMs / 1000)} s.`,
    ''
  ]
  const excepted = results.filter((r) => r.exceptions.length)
  if (excepted.length) {
    lines.push(
      "## Invariant 1's exception",
      '',
      'GitHub stores the key ID and the secret as two secrets, written back to back. A run killed',
      'between the two writes, or refused the second one and the repair of the first for good,',
      'leaves that one target with the new key ID beside the old secret until the next run, whose',
      'first write there puts the pair right. The windows below run to the follow-up, which the',
      'matrix starts at once; in production they last until the next run.',
      ''
    )
    for (const r of excepted) for (const e of r.exceptions) lines.push(`- ${r.cell.name}: ${e}`)
    lines.push('')
  }
  const builds = [...new Set(results.map((r) => r.dist))]
  lines.push(`dist/ (sha256 of index.js and its chunks): ${builds.join('; ')}.`, '')
  if (builds.length > 1) {
    lines.push('**dist/index.js changed while the matrix ran; cells by build:**', '')
    for (const b of builds)
      lines.push(
        `- ${b}: ${results
          .filter((r) => r.dist === b)
          .map((r) => r.cell.name)
          .join('; ')}`
      )
    lines.push('')
  }
  const bad = results.filter((r) => r.violations.length)
  if (bad.length) {
    lines.push('## Violations', '')
    for (const r of bad) {
      lines.push(`### ${r.cell.name}`, '')
      for (const v of r.violations) lines.push(`- ${v}`)
      const describeRun = (name: string, run?: RunRecord) => {
        if (!run) return
        const end = run.hung
          ? 'hung'
          : run.signal
            ? `killed (${run.signal})`
            : `exit ${run.code ?? '?'}`
        lines.push(`- ${name}: ${end} after ${(run.ms / 1000).toFixed(1)} s`)
        for (const e of run.errors) lines.push(`  - error: ${cellText(e).slice(0, 700)}`)
        lines.push(`  - requests: ${run.requests.join(', ')}`)
      }
      describeRun('faulty run', r.run1)
      describeRun('follow-up', r.run2)
      lines.push('')
    }
  }
  return lines.join('\n')
}

/**
 * The target left between its two writes by a run: its last accepted PUT was the key ID, and no
 * accepted PUT of its secret followed.
 */
function halfWritten(entries: LogEntry[]): { repo: string; time: number } | undefined {
  const puts = entries.filter((e) => e.method === 'PUT' && e.status >= 200 && e.status < 300)
  const last = puts[puts.length - 1]
  const m = last
    ? /^\/repos\/([^/]+\/[^/]+)\/actions\/secrets\/AWS_ACCESS_KEY_ID$/.exec(last.path)
    : null
  return last && m ? { repo: m[1] as string, time: last.time } : undefined
}
