/**
 * `npm run bench`: the bundled action against the emulators with latency on every response,
 * measured against a computed lower bound (see scripts/bench/bound.ts and BENCHMARKS.md).
 *
 *   npm run bench                       every scenario, several runs each, writes BENCHMARKS.md;
 *                                       the first scenario again with 14 ms answers, for its chain
 *   npm run bench -- --quick            one run of the small scenarios, no file written (CI)
 *   options: --runs N  --large-runs N (the ones with 100 paced writes)  --latency MS  --only TEXT  --write / --no-write  --no-minify
 *            --dist FILE (bench another bundle instead of dist/index.js)
 *            --peer FILE (run the peer's bundle, built outside the repository, beside the action in
 *                        the one-repository scenario: BENCHMARKS.md, "The peer")
 *            --verbose (print every request of each run, in ms after spawn)
 *
 * A benchmark, not a test: it exits non-zero only when a run of the action fails, never on time.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { format, resolveConfig } from 'prettier'
import { median, type Scenario } from './bench/bound.js'
import {
  bareNodeMs,
  buildToTemp,
  COMMITTED,
  coldStarts,
  distIdentity,
  size,
  sizeOfBuild,
  type Build
} from './bench/coldstart.js'
import {
  chain,
  coldStartTable,
  details,
  machine,
  firstRequest,
  networkChain,
  sideBySide,
  summaryTable,
  type Contenders,
  type ScenarioResult
} from './bench/report.js'
import {
  measure,
  startBenchWorld,
  type Contender,
  type Measured,
  type Network
} from './bench/run.js'

const { values: opts } = parseArgs({
  options: {
    quick: { type: 'boolean', default: false },
    runs: { type: 'string' },
    'large-runs': { type: 'string' },
    latency: { type: 'string', default: '50' },
    only: { type: 'string' },
    write: { type: 'boolean' },
    'no-write': { type: 'boolean', default: false },
    'no-minify': { type: 'boolean', default: false },
    verbose: { type: 'boolean', default: false },
    dist: { type: 'string' },
    peer: { type: 'string' }
  }
})
const latencyMs = Number(opts.latency)
const write = opts['no-write'] ? false : (opts.write ?? !opts.quick)

const shapes: (Omit<Scenario, 'propagationMs'> & { large?: boolean })[] = [
  { name: '1 user → 1 repository', target: 'repository', scopes: 1, secretsPerScope: 2, users: 1 },
  {
    name: '1 user → 50 repositories',
    target: 'repository',
    scopes: 50,
    secretsPerScope: 2,
    users: 1,
    large: true
  },
  {
    name: '1 user → 1 organization secret for 50 repositories',
    target: 'organization',
    scopes: 1,
    secretsPerScope: 2,
    users: 1,
    selectedRepositories: 50
  },
  {
    name: '20-user manifest → 50 repositories',
    target: 'repository',
    scopes: 50,
    secretsPerScope: 2,
    users: 20,
    large: true
  }
]
const scenarios = shapes
  .filter((sh) => !(opts.quick && sh.large))
  .filter((sh) => !opts.only || sh.name.includes(opts.only))
  .flatMap((sh) => [0, 5000].map((propagationMs) => ({ ...sh, propagationMs })))

const runsFor = (sc: { large?: boolean }): number =>
  sc.large && opts['large-runs']
    ? Number(opts['large-runs'])
    : opts.runs
      ? Number(opts.runs)
      : opts.quick
        ? 1
        : sc.large
          ? 3
          : 7

const script = opts.dist ? resolve(opts.dist) : undefined
const peerScript = opts.peer ? resolve(opts.peer) : undefined
if (peerScript && !existsSync(peerScript)) throw new Error(`--peer ${opts.peer}: no such file`)
const dist = distIdentity(script)
console.log(`rotate-iam-key benchmark: ${machine()}`)
console.log(`latency ${latencyMs} ms; ${opts.quick ? 'quick mode' : 'full mode'}; ${dist}\n`)

// One unmeasured run first, so every measured one finds the same warm disk cache.
await measure({ ...shapes[0]!, propagationMs: 0 }, latencyMs, script)

const results: ScenarioResult[] = []
for (const sc of scenarios) {
  const result: ScenarioResult = { scenario: sc, runs: [] }
  results.push(result)
  if (sc.skip) {
    console.log(`${sc.name}, propagation ${sc.propagationMs} ms: skipped (${sc.skip})`)
    continue
  }
  for (let i = 0; i < runsFor(sc); i++) {
    const run = await measure(sc, latencyMs, script)
    result.runs.push(run)
    if (opts.verbose)
      for (const e of run.log)
        console.log(`  ${String(e.at).padStart(6)} ${e.status} ${e.route} ${e.principal ?? ''}`)
    console.log(
      `${sc.name}, propagation ${sc.propagationMs} ms, run ${i + 1}: exit ${run.code}, ${run.wallMs} ms (bound ${run.bound.ms} ms, ratio ${run.ratio.toFixed(2)}), ${run.requests}/${run.minimum} requests, lag ${run.verifyLagMs} ms, cold start ${run.coldStartMs} ms`
    )
  }
}

const builds: Build[] = [
  {
    name: script ? `\`${opts.dist}\`` : '`dist/index.js`',
    script: script ?? COMMITTED,
    bytes: size(script ?? COMMITTED),
    allBytes: sizeOfBuild(script ?? COMMITTED)
  }
]
if (!opts.quick && !opts['no-minify']) {
  console.log('\nbuilding src/ with ncc (plain and --minify) into temporary directories…')
  for (const minify of [false, true]) {
    const build = buildToTemp(minify)
    if (build) builds.push(build)
  }
}
const cold = await coldStarts(builds, opts.quick ? 1 : 9, () =>
  startBenchWorld({ ...shapes[0]!, propagationMs: 0 }, latencyMs)
)
const bare = await bareNodeMs(opts.quick ? 1 : 9)

// A rebuild of the bundle while the bench runs mixes two builds in one table: say so.
const distAfter = distIdentity(script)
const changed =
  distAfter === dist
    ? ''
    : ` **The bundle changed during the bench**: it ended as ${distAfter}; runs after the change used that build.`
if (changed) console.warn(changed)
const summary = summaryTable(results, latencyMs)
// Issue 12's comparison: one user into one repository, no propagation delay.
const single = results.find(
  (r) =>
    r.scenario === scenarios.find((sc) => sc.name === shapes[0]!.name && sc.propagationMs === 0) &&
    r.runs.length > 0
)
/** A runner in the APIs' own region answers in about 14 ms: the same chain there (issue 21). */
const NEAR_MS = 14
const near: ScenarioResult | undefined =
  single && !opts.quick && latencyMs !== NEAR_MS
    ? { scenario: single.scenario, runs: [] }
    : undefined
for (let i = 0; near && i < runsFor({}); i++) {
  const run = await measure(near.scenario, NEAR_MS, script)
  near.runs.push(run)
  console.log(
    `${near.scenario.name} at ${NEAR_MS} ms, run ${i + 1}: exit ${run.code}, ${run.wallMs} ms`
  )
}
const nearby = near
  ? [
      `With ${NEAR_MS} ms on every answer (a runner in the APIs' own region), median of ${near.runs.length}: ${Math.round(median(near.runs.map((r) => r.wallMs)))} ms against a bound of ${near.runs[0]!.bound.ms} ms. Its chain:`,
      '',
      chain(near, NEAR_MS),
      ''
    ]
  : []
/**
 * The same chain through a network (a TCP proxy per host): connections cost their handshakes, so
 * a client that opens one on the chain pays for it, as on a runner. TCP and TLS 1.3: two round
 * trips before a new connection's first byte.
 */
const NET: Network = { rttMs: latencyMs, handshakeRoundTrips: 2 }
const through: ScenarioResult | undefined = single
  ? { scenario: single.scenario, runs: [] }
  : undefined
for (let i = 0; through && i < runsFor({}); i++) {
  const run = await measure(through.scenario, latencyMs, script, NET)
  through.runs.push(run)
  const waited = run.log.filter((e) => e.fresh).length
  console.log(
    `${through.scenario.name} through a network, run ${i + 1}: exit ${run.code}, ${run.wallMs} ms, ${waited} request(s) waited for a new connection's handshake`
  )
}
/**
 * `--peer FILE`: the peer's bundle in the same scenario, as many runs as the action had, each in
 * a fresh world with the same latency (and through the same network), and the action once more
 * with credentials from the environment, as the peer gets them: like for like. One unmeasured run
 * of each first, as for the action, so the measured ones find a warm disk cache.
 */
const ENVIRONMENT: Contender = { kind: 'action', credentials: 'environment' }
const PEER_RUN: Contender | undefined = peerScript
  ? { kind: 'peer', script: peerScript }
  : undefined
const describeRun = (run: Measured): string => {
  const aws = run.log.filter((e) => e.route.startsWith('aws ')).length
  const github = run.log.filter((e) => e.route.startsWith('github ')).length
  return `exit ${run.code}, ${run.wallMs} ms, ${aws} / ${github} requests (AWS / GitHub), first request at ${firstRequest(run)} ms, ${run.rotated ? 'rotated' : '**not rotated**'}`
}
let contenders: Contenders | undefined
let peerChain: string[] = []
if (single && PEER_RUN) {
  const sc = single.scenario
  await measure(sc, latencyMs, script, undefined, ENVIRONMENT)
  await measure(sc, latencyMs, script, undefined, PEER_RUN)
  // The two take turns, so a slow spell of the machine falls on both.
  const measured = async (
    n: number,
    net?: Network
  ): Promise<{ environment: Measured[]; peer: Measured[] }> => {
    const environment: Measured[] = []
    const peer: Measured[] = []
    const who = [
      ['rotate-iam-key, credentials from the environment', ENVIRONMENT, environment],
      ['peer', PEER_RUN, peer]
    ] as const
    for (let i = 0; i < n; i++)
      for (const [name, contender, into] of who) {
        const run = await measure(sc, latencyMs, script, net, contender)
        into.push(run)
        if (opts.verbose)
          for (const e of run.log)
            console.log(`  ${String(e.at).padStart(6)} ${e.status} ${e.route}`)
        console.log(
          `${sc.name}, ${name}${net ? ' through a network' : ''}, run ${i + 1}: ${describeRun(run)}`
        )
        if (run.code !== 0 || !run.rotated) console.warn(run.stderr.trim())
      }
    return { environment, peer }
  }
  contenders = await measured(single.runs.length)
  if (through)
    contenders.network = { role: through.runs, ...(await measured(through.runs.length, NET)) }
  peerChain = [
    "The peer's median run, request by request:",
    '',
    chain({ scenario: sc, runs: contenders.peer }, latencyMs),
    ''
  ]
}
const networked = through
  ? [
      `Through a network instead (a TCP proxy in front of each host: ${NET.rttMs} ms a round trip, and a new connection ${NET.handshakeRoundTrips} round trips before its first byte, TCP and TLS 1.3), median of ${through.runs.length}: ${Math.round(median(through.runs.map((r) => r.wallMs)))} ms against the same bound. Times are the client's: when a request left (its handshake included) and since the latest answer it had:`,
      '',
      networkChain(through),
      ''
    ]
  : []
const compared = single
  ? [
      '### Side by side',
      '',
      sideBySide(single, latencyMs, contenders),
      '',
      'The chain of its median run, request by request:',
      '',
      chain(single, latencyMs),
      '',
      ...peerChain,
      ...networked,
      ...nearby
    ]
  : []
const START = '<!-- bench:start -->'
const END = '<!-- bench:end -->'
const resultsMd = [
  START,
  '',
  `Latest \`npm run bench${opts.quick ? ' -- --quick' : ''}\`: ${new Date().toISOString().slice(0, 10)}, ${machine()}; ${dist}.${changed}`,
  '',
  summary,
  '',
  ...compared,
  '### Cold start and bundle size',
  '',
  coldStartTable(cold, bare),
  '',
  '### Where the time goes',
  '',
  details(results, latencyMs).trimEnd(),
  '',
  END
].join('\n')

console.log(
  `\n${summary}\n\n${compared.join('\n')}\n${coldStartTable(cold, bare)}\n\n${details(results, latencyMs)}`
)
if (write) {
  // Only the generated section is replaced; the method around it is written by hand.
  const file = new URL('../BENCHMARKS.md', import.meta.url)
  const text = existsSync(file) ? readFileSync(file, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`
  const from = text.indexOf(START)
  const to = text.indexOf(END)
  if (from < 0 || to < from) throw new Error(`BENCHMARKS.md lacks the ${START} … ${END} section`)
  const updated = text.slice(0, from) + resultsMd + text.slice(to + END.length)
  // formatted as `npm run lint` checks it
  const config = (await resolveConfig(file.pathname)) ?? {}
  writeFileSync(file, await format(updated, { ...config, filepath: file.pathname }))
  console.log(`wrote ${file.pathname}`)
}
// The action's runs count, with either credentials; the peer's failures are reported, not fatal.
const ours = [
  ...results.flatMap((r) => r.runs),
  ...(contenders?.environment ?? []),
  ...(contenders?.network?.environment ?? [])
]
if (ours.some((run) => run.code !== 0)) process.exitCode = 1
