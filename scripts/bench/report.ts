/** The benchmark's Markdown: the machine, the summary table and, per scenario, where time went. */
import { cpus, totalmem, release } from 'node:os'
import {
  idealPhases,
  median,
  medianRun,
  minimumRequests,
  paced,
  ROUTES,
  writesOf,
  type Scenario
} from './bound.js'
import type { ColdStart } from './coldstart.js'
import type { Logged, Measured } from './run.js'

export const TARGETS = { ratio: 1.1, lagMs: 1000, coldStartMs: 150 }

export interface ScenarioResult {
  scenario: Scenario
  runs: Measured[]
}

export function machine(): string {
  const cpu = cpus()
  const gib = (totalmem() / 2 ** 30).toFixed(1)
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${gib} GiB, Linux ${release()}, Node ${process.version}`
}

const ms = (n: number): string => (Number.isFinite(n) ? `${Math.round(n)} ms` : '—')
const s = (n: number): string => (n >= 10_000 ? `${(n / 1000).toFixed(1)} s` : ms(n))
const mark = (ok: boolean): string => (ok ? '✓' : '✗')
const kib = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KiB`

export function summaryTable(results: ScenarioResult[], latencyMs: number): string {
  const rows = [
    `| scenario | propagation | runs | wall | lower bound | ratio (≤ ${TARGETS.ratio}) | requests / minimum | verification lag (≤ 1 s) | cold start (< ${TARGETS.coldStartMs} ms) |`,
    '| --- | --: | --: | --: | --: | --: | --: | --: | --: |'
  ]
  for (const { scenario: sc, runs } of results) {
    if (sc.skip) {
      rows.push(`| ${sc.name} | ${s(sc.propagationMs)} | — | skipped: ${sc.skip} | | | | | |`)
      continue
    }
    const wall = median(runs.map((r) => r.wallMs))
    const bound = runs[0]!.bound.ms
    const ratio = median(runs.map((r) => r.ratio))
    const req = median(runs.map((r) => r.requests))
    const min = runs[0]!.minimum
    const lag = median(runs.map((r) => r.verifyLagMs))
    const cold = median(runs.map((r) => r.coldStartMs))
    const failed = runs.filter((r) => r.code !== 0).length
    rows.push(
      `| ${sc.name}${failed ? ` (**${failed} run(s) failed**)` : ''} | ${s(sc.propagationMs)} | ${runs.length} | ${s(wall)} | ${s(bound)} | ${ratio.toFixed(3)} ${mark(ratio <= TARGETS.ratio)} | ${req} / ${min} ${mark(req === min)} | ${ms(lag)} ${mark(lag <= TARGETS.lagMs)} | ${ms(cold)} ${mark(cold < TARGETS.coldStartMs)} |`
    )
  }
  return [`Latency ${latencyMs} ms on every emulator response; medians.`, '', ...rows].join('\n')
}

/** Per scenario: the bound's terms, the median run's phases against the ideal, extra requests. */
export function details(results: ScenarioResult[], latencyMs: number): string {
  const out: string[] = []
  for (const { scenario: sc, runs } of results) {
    if (sc.skip || runs.length === 0) continue
    const run = medianRun(runs)
    out.push(`### ${sc.name}, propagation ${s(sc.propagationMs)}`, '')
    out.push(
      `Lower bound ${s(run.bound.ms)} = ${run.bound.terms.map((t) => `${s(t.ms)} (${t.what})`).join(' + ')}.`,
      ''
    )
    if (run.bound.note) out.push(`${run.bound.note}.`, '')
    const m = run.marks
    const at = [0, m.token, m.create, m.verified, m.firstPut, m.lastPut, m.lastRequest, m.exit]
    const ideal = idealPhases(sc, latencyMs)
    out.push('| phase (median run) | measured | ideal | over |', '| --- | --: | --: | --: |')
    for (const [i, phase] of ideal.entries()) {
      const took = (at[i + 1] as number) - (at[i] as number)
      out.push(`| ${phase.what} | ${ms(took)} | ${ms(phase.ms)} | ${ms(took - phase.ms)} |`)
    }
    out.push(
      `| **total** | **${ms(run.wallMs)}** | **${ms(run.bound.ms)}** | **${ms(run.wallMs - run.bound.ms)}** |`,
      ''
    )
    const g = run.gaps
    if (Number.isFinite(g.medianMs) && writesOf(sc) > 2)
      out.push(
        `Write pipe: PUTs arrived a median ${ms(g.medianMs)} apart (ideal ${ms(g.idealMs)}: latency${paced(sc) ? ' + 1 s pacing' : ''}); ${g.long} gap(s) more than 100 ms over the ideal, ${s(g.longMs)} beyond it in all; every gap's excess summed: ${s(g.overMs)}.`,
        ''
      )
    const lookups = run.log.filter((e) => e.route === ROUTES.repository)
    if (lookups.length > 0)
      out.push(
        `Selected repositories: ${lookups.length} \`GET /repos/{owner}/{repo}\` arrived from ${ms(lookups[0]!.at)} to ${ms(lookups.at(-1)!.at)}; the plan's \`GetUser\` at ${ms(run.log.find((e) => e.route === ROUTES.getUser)?.at ?? NaN)}, the intent \`TagUser\` at ${ms(run.log.find((e) => e.route === ROUTES.tag)?.at ?? NaN)}.`,
        ''
      )
    const extras = run.extras
    out.push(
      extras.length === 0
        ? 'Requests: exactly the minimum.'
        : `Requests beyond the minimum (${run.requests} made, ${run.minimum} needed): ${extras.map((e) => `${e.extra > 0 ? '+' : ''}${e.extra} \`${e.route}\` (${e.statuses})`).join('; ')}.`,
      ''
    )
    if (run.code !== 0) out.push('The run failed:', '', '```', run.stderr.trim(), '```', '')
  }
  return out.join('\n')
}

export function coldStartTable(builds: ColdStart[], bareNode: number): string {
  return [
    `| build | entry point | with every chunk | cold start (spawn → first request, median of ${builds[0]?.runs ?? 0}) |`,
    '| --- | --: | --: | --: |',
    ...builds.map(
      (b) => `| ${b.name} | ${kib(b.bytes)} | ${kib(b.allBytes)} | ${ms(b.coldStartMs)} |`
    ),
    `| \`node -e 0\` (Node's own start-up and exit) | | | ${ms(bareNode)} |`
  ].join('\n')
}

/**
 * The fastest peer as issue 12 measured it (softprops/aws-credential-rotary: no verification, no
 * deactivation, no marks). It is not vendored: its figure is quoted, unless `--peer FILE` gives
 * the bench a bundle of it built outside the repository (BENCHMARKS.md, "The peer") to run.
 */
export const PEER = {
  name: 'softprops/aws-credential-rotary (no verification, no deactivation, no marks)',
  wallMs: 770,
  aws: 3,
  github: 3,
  startUpMs: 298,
  measured: '2026-11-25',
  source: 'issue 12'
}

const awsGitHub = (routes: string[]): string =>
  `${routes.filter((r) => r.startsWith('aws ')).length} / ${routes.filter((r) => r.startsWith('github ')).length}`

/** The runs `--peer` adds beside the action's own, of the same scenario, each in a fresh world. */
export interface Contenders {
  /** The action with the admin's key in the environment: no OIDC token, no AssumeRole. */
  environment: Measured[]
  /** The peer's bundle, run here. */
  peer: Measured[]
  /** The same three through a network (the action with its role first), when it ran. */
  network?: { role: Measured[]; environment: Measured[]; peer: Measured[] }
}

/** Runs that exited 0 with the new key in place, as the emulators show it (`Measured.rotated`). */
const rotatedRuns = (runs: Measured[]): string => {
  const ok = runs.filter((r) => r.code === 0 && r.rotated === true).length
  return `${ok} / ${runs.length} ${mark(ok === runs.length)}`
}

/** Spawn → the first request; through a network, when it left the client (its handshake included). */
export const firstRequest = (r: Measured): number =>
  r.log.length === 0 ? NaN : Math.min(...r.log.map((e) => e.sent ?? e.at))

/**
 * Issue 12's side-by-side table for one scenario (one user into one repository): the action's
 * median run, the lower bound of its chain (requests: the minimum; start-up: none), and the peer's
 * quoted figure. With `contenders` (`--peer`), the peer as run here and the action with
 * credentials from the environment (the peer's way of getting them) too, and whether each run
 * rotated; through a network as well when those ran.
 */
export function sideBySide(
  { scenario: sc, runs }: ScenarioResult,
  latencyMs: number,
  contenders?: Contenders
): string {
  const run = medianRun(runs)
  const minimum = [...minimumRequests(sc, latencyMs).entries()].flatMap(([route, n]) =>
    Array.from({ length: n }, () => route)
  )
  if (contenders) return sideBySideRun(sc, runs, latencyMs, minimum, contenders)
  return [
    `${sc.name}, propagation ${s(sc.propagationMs)}, ${latencyMs} ms on every answer (median of ${runs.length} runs):`,
    '',
    '| | wall | requests AWS / GitHub | start-up to first request |',
    '| --- | --: | --: | --: |',
    `| rotate-iam-key | ${s(median(runs.map((r) => r.wallMs)))} | ${awsGitHub(run.log.map((e) => e.route))} | ${ms(median(runs.map((r) => r.coldStartMs)))} |`,
    `| lower bound of the chain (${run.bound.chain} round trips, no start-up or exit) | ${s(run.bound.ms)} | ${awsGitHub(minimum)} | 0 ms |`,
    `| ${PEER.name}, quoted from ${PEER.source} (${PEER.measured}), not re-run | ${s(PEER.wallMs)} | ${PEER.aws} / ${PEER.github} | ${ms(PEER.startUpMs)} |`
  ].join('\n')
}

/** {@link sideBySide} with `--peer`: every contender run here, and the bounds of both chains. */
function sideBySideRun(
  sc: Scenario,
  runs: Measured[],
  latencyMs: number,
  minimum: string[],
  contenders: Contenders
): string {
  const { bound } = medianRun(runs)
  const row = (name: string, rs: Measured[]): string => {
    const failed = rs.filter((r) => r.code !== 0).length
    const label = failed ? `${name} (**${failed} run(s) exited non-zero**)` : name
    const requests = rs.length > 0 ? awsGitHub(medianRun(rs).log.map((e) => e.route)) : '—'
    return `| ${label} | ${rs.length} | ${s(median(rs.map((r) => r.wallMs)))} | ${requests} | ${ms(median(rs.map(firstRequest)))} | ${rotatedRuns(rs)} |`
  }
  const ROLE = 'rotate-iam-key, OIDC role (`role-to-assume`)'
  const ENV = 'rotate-iam-key, credentials from the environment (no OIDC token, no AssumeRole)'
  const RUN_PEER = `${PEER.name}, run here (\`--peer\`), credentials from the environment`
  // Without the role: the chain loses the OIDC token and AssumeRoleWithWebIdentity, and the
  // minimum those two requests (the token is neither AWS nor GitHub).
  const withoutRole = minimum.filter((r) => r !== ROUTES.assume)
  const net = contenders.network
  const through = ' through a network'
  return [
    `${sc.name}, propagation ${s(sc.propagationMs)}, ${latencyMs} ms on every answer; each contender run in a fresh world, medians:`,
    '',
    '| | runs | wall | requests AWS / GitHub | start-up to first request | rotated (exit 0, new key in place) |',
    '| --- | --: | --: | --: | --: | --: |',
    row(ROLE, runs),
    row(ENV, contenders.environment),
    row(RUN_PEER, contenders.peer),
    `| lower bound of the chain with the role (${bound.chain} round trips, no start-up or exit) | | ${s(bound.ms)} | ${awsGitHub(minimum)} | 0 ms | |`,
    `| lower bound of the chain with credentials from the environment (${bound.chain - 2} round trips) | | ${s(bound.ms - 2 * latencyMs)} | ${awsGitHub(withoutRole)} | 0 ms | |`,
    ...(net
      ? [
          row(`${ROLE}${through}`, net.role),
          row(`${ENV}${through}`, net.environment),
          row(`${RUN_PEER}${through}`, net.peer)
        ]
      : []),
    `| ${PEER.name}, quoted from ${PEER.source} (${PEER.measured}), for reference | | ${s(PEER.wallMs)} | ${PEER.aws} / ${PEER.github} | ${ms(PEER.startUpMs)} | |`
  ].join('\n')
}

/** Client work on the chain above this is a gap issue 21 asks to remove. */
export const GAP_MS = 10

/** When a request was answered: as the emulator logged it, or its arrival plus the latency. */
const answeredAt = (e: Logged, latencyMs: number): number => e.answered ?? e.at + latencyMs

/**
 * The median run's requests in arrival order. For each: the time since the last answer that came
 * before it (from the emulator's own record of when it answered, so the service's time is not
 * counted as the client's): on the chain that gap is the client's own work (start-up, client
 * construction, sealing, waiting); a request sent beside another shows the gap of the one it
 * went out with. And the service's time beyond the latency (IAM's processing of a change, which
 * the AWS emulator holds for 25 ms as IAM does). Gaps over {@link GAP_MS} are marked.
 */
export function chain({ runs }: ScenarioResult, latencyMs: number): string {
  const run = medianRun(runs)
  const rows = [
    '| arrives | request | status | service time beyond latency | since the previous answer |',
    '| --: | --- | --: | --: | --: |'
  ]
  const answered = (e: Logged): number => answeredAt(e, latencyMs)
  const waited = onTheChain(run.log, (e) => e.at, answered, run.wallMs)
  const sinces = sinceAnswers(run.log, (e) => e.at, answered)
  run.log.forEach((e, i) => {
    const { since, first } = sinces[i]!
    const service = e.answered === undefined ? '' : ms(e.answered - e.at - latencyMs)
    const from = first ? ' (from spawn)' : gapNote(since, waited.has(e))
    rows.push(`| ${ms(e.at)} | \`${e.route}\` | ${e.status} | ${service} | ${ms(since)}${from} |`)
  })
  const end = Math.max(...run.log.map(answered))
  rows.push(
    `| ${ms(run.wallMs)} | exit | | | ${ms(run.wallMs - end)}${gapNote(run.wallMs - end, true)} |`
  )
  return [...rows, '', overOnTheChain(run.log, waited, (e) => e.at, answered, run.wallMs)].join(
    '\n'
  )
}

/**
 * The requests the run waited for, one after another: walking back from the exit, each is the
 * request whose answer came last before the next one on the walk left (what held that one back).
 * A request off the walk went beside the chain: time before it is no time the run waited.
 */
export function onTheChain<T>(
  log: T[],
  sent: (e: T) => number,
  answered: (e: T) => number,
  end: number
): Set<T> {
  const on = new Set<T>()
  for (let at = end; ;) {
    let last: T | undefined
    for (const e of log)
      if (!on.has(e) && answered(e) <= at && (last === undefined || answered(e) > answered(last)))
        last = e
    if (last === undefined || sent(last) >= at) return on
    on.add(last)
    at = sent(last)
  }
}

/**
 * For each request of `log` (in the order sent): the time since the latest answer, of the requests
 * before it, that had come when it left; from spawn for one that left before any answer (`first`).
 */
function sinceAnswers<T>(
  log: T[],
  sent: (e: T) => number,
  answered: (e: T) => number
): { since: number; first: boolean }[] {
  return log.map((e, i) => {
    const before = log
      .slice(0, i)
      .map(answered)
      .filter((t) => t <= sent(e))
    return before.length > 0
      ? { since: sent(e) - Math.max(...before), first: false }
      : { since: sent(e), first: true }
  })
}

/** A gap marked when it is client work on the chain over {@link GAP_MS}; said when it is beside. */
const gapNote = (gap: number, waited: boolean): string =>
  !waited ? ' (beside the chain)' : gap > GAP_MS ? ` **> ${GAP_MS} ms**` : ''

/** One line under a chain: its gaps over {@link GAP_MS} that are no round trip, or none. */
function overOnTheChain<T extends { route: string }>(
  log: T[],
  waited: Set<T>,
  sent: (e: T) => number,
  answered: (e: T) => number,
  end: number
): string {
  const chained = log.filter((e) => waited.has(e)).sort((a, b) => sent(a) - sent(b))
  const over = chained.flatMap((e, i) => {
    const gap = i === 0 ? 0 : sent(e) - answered(chained[i - 1]!)
    return gap > GAP_MS ? [`\`${e.route}\` ${ms(gap)}`] : []
  })
  const last = chained.at(-1)
  const exit = last ? end - answered(last) : 0
  if (exit > GAP_MS) over.push(`exit ${ms(exit)}`)
  return `On the chain (${chained.length} requests, start-up aside), gaps over ${GAP_MS} ms that are no round trip: ${over.length === 0 ? 'none' : over.join(', ')}.`
}

/**
 * The median run through a network, in the client's own time: when each request left (a new
 * connection's handshake included: it is the request's to wait for) and how long after the
 * latest answer the client had by then. Requests that opened a connection are marked.
 */
export function networkChain({ runs }: ScenarioResult): string {
  const run = medianRun(runs)
  const rows = [
    '| sent | request | status | waited for a handshake | since the previous answer |',
    '| --: | --- | --: | :-: | --: |'
  ]
  const sentAt = (e: Logged): number => e.sent ?? e.at
  const receivedAt = (e: Logged): number => e.received ?? e.at
  const log = [...run.log].sort((a, b) => sentAt(a) - sentAt(b))
  const waited = onTheChain(log, sentAt, receivedAt, run.wallMs)
  const sinces = sinceAnswers(log, sentAt, receivedAt)
  log.forEach((e, i) => {
    const { since, first } = sinces[i]!
    const from = first ? ' (from spawn)' : gapNote(since, waited.has(e))
    const row = [
      ms(sentAt(e)),
      `\`${e.route}\``,
      e.status,
      e.fresh ? 'yes' : '',
      `${ms(since)}${from}`
    ]
    rows.push(`| ${row.join(' | ')} |`)
  })
  const end = Math.max(...log.map(receivedAt))
  rows.push(
    `| ${ms(run.wallMs)} | exit | | | ${ms(run.wallMs - end)}${gapNote(run.wallMs - end, true)} |`
  )
  return [...rows, '', overOnTheChain(log, waited, sentAt, receivedAt, run.wallMs)].join('\n')
}
