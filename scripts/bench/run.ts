/**
 * One measured rotation: a seeded world with latency on every emulator response, the bundled
 * action run as a runner runs it, and what the emulators' request logs say about it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import sodium from 'libsodium-wrappers'
import { Octokit } from '../../__tests__/emulators/octokit.js'
import { startAwsEmulator } from '../../emulators/aws/index.js'
import { startGitHubEmulator } from '../../emulators/github/index.js'
import { startOidcEmulator } from '../../emulators/oidc/index.js'
import { runAction } from '../../emulators/runner.js'
import { startLatencyProxy, type LatencyProxy } from '../../emulators/shared/latency-proxy.js'
import type { LogEntry } from '../../emulators/shared/server.js'
import { roleInputs, TOKEN, USER, type World } from '../../emulators/world.js'
import {
  diffRequests,
  lowerBound,
  minimumRequests,
  PACE_MS,
  paced,
  ROUTES,
  writeGaps,
  type Bound,
  type RequestDiff,
  type Scenario,
  type WriteGaps
} from './bound.js'
import { spawnAction, type SpawnOptions } from './spawn.js'

/** The preload that points the peer's HTTPS requests at the emulators (see the file). */
export const PEER_REDIRECT = fileURLToPath(new URL('./peer-redirect.cjs', import.meta.url))

/**
 * Who runs, and where its AWS credentials come from: this action with its OIDC role (the
 * default), this action with the admin's access key in the environment (no OIDC token, no
 * AssumeRoleWithWebIdentity), or the peer's bundle (softprops/aws-credential-rotary), which takes
 * the admin's key from the environment as its README says, run with {@link PEER_REDIRECT}.
 */
export type Contender =
  { kind: 'action'; credentials: 'role' | 'environment' } | { kind: 'peer'; script: string }

/** The repositories of a scenario: written (repository targets) or selected (organization). */
export const reposFor = (s: Scenario): string[] =>
  s.target === 'organization'
    ? Array.from({ length: s.selectedRepositories ?? 0 }, (_, i) => `acme/${serviceName(i)}`)
    : s.users > 1
      ? Array.from({ length: s.scopes }, (_, i) => `acme/${serviceName(i)}`)
      : Array.from({ length: s.scopes }, (_, i) => (i === 0 ? 'acme/app' : `acme/app-${i + 1}`))

const serviceName = (i: number): string => `service-${String(i).padStart(2, '0')}`

/** The IAM users of a scenario: `deploy` alone, or the manifest's `deploy-00` … */
export const usersFor = (s: Scenario): string[] =>
  s.users === 1
    ? [USER]
    : Array.from({ length: s.users }, (_, i) => `deploy-${String(i).padStart(2, '0')}`)

/**
 * The manifest of a several-user scenario: repository `r` goes to user `r mod users`, as in the
 * "rotates 20 users across 50 repositories" e2e test.
 */
export function manifestFor(s: Scenario): string {
  const repos = reposFor(s)
  return [
    'version: 1',
    'users:',
    ...usersFor(s).flatMap((user, u) => [
      `  - iam-user-name: ${user}`,
      '    repositories:',
      ...repos.filter((_, r) => r % s.users === u).map((repo) => `      - ${repo}`)
    ])
  ].join('\n')
}

/** The action's inputs (and extra environment) for a scenario in `world`. */
export function scenarioInputs(
  s: Scenario,
  world: World
): { inputs: Record<string, string>; env: Record<string, string> } {
  if (s.users > 1) {
    const dir = mkdtempSync(join(tmpdir(), 'rotate-bench-workspace-'))
    writeFileSync(join(dir, 'rotation.yml'), manifestFor(s))
    const { 'iam-user-name': _u, repositories: _r, ...inputs } = roleInputs(world)
    return { inputs: { ...inputs, manifest: 'rotation.yml' }, env: { GITHUB_WORKSPACE: dir } }
  }
  if (s.target === 'organization') {
    return {
      inputs: roleInputs(world, {
        'github-token': ORG_TOKEN,
        repositories: '',
        organizations: 'acme',
        'organization-secret-visibility': 'selected',
        'organization-selected-repositories': reposFor(s)
          .map((r) => r.slice('acme/'.length))
          .join('\n')
      }),
      env: {}
    }
  }
  return { inputs: roleInputs(world, { repositories: reposFor(s).join('\n') }), env: {} }
}

const ORG_TOKEN = 'github_pat_11AAAAAAA0benchOrganizationToken0123456789'

/** The admin's access key, as a workflow gives a step its secrets: in the environment. */
const adminEnv = (world: World): Record<string, string> => ({
  AWS_ACCESS_KEY_ID: world.admin.accessKeyId,
  AWS_SECRET_ACCESS_KEY: world.admin.secretAccessKey
})

/**
 * The inputs (and environment) a contender is given for a scenario. The action with credentials
 * from the environment: the scenario's inputs without `role-to-assume`, the admin's key in the
 * environment. The peer (one user into one repository only): its inputs are `iam-user-name` and
 * the secret names (left at their defaults, AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, the
 * names this action writes); it takes the token from `GITHUB_TOKEN` and writes the secrets of
 * the workflow's own repository, `GITHUB_REPOSITORY`, so that is the scenario's repository.
 */
export function contenderInputs(
  s: Scenario,
  world: World,
  contender: Contender
): { inputs: Record<string, string>; env: Record<string, string>; spawn: SpawnOptions } {
  if (contender.kind === 'peer') {
    const [repository] = reposFor(s)
    if (s.users !== 1 || s.target !== 'repository' || s.scopes !== 1 || !repository)
      throw new Error(`the peer runs only one user into one repository, not ${s.name}`)
    return {
      inputs: { 'iam-user-name': USER },
      env: { ...adminEnv(world), GITHUB_TOKEN: TOKEN, GITHUB_REPOSITORY: repository },
      spawn: { nodeArgs: ['--require', PEER_REDIRECT], defaults: false, stdout: true }
    }
  }
  const { inputs, env } = scenarioInputs(s, world)
  if (contender.credentials === 'role') return { inputs, env, spawn: {} }
  const { 'role-to-assume': _role, ...rest } = inputs
  return { inputs: rest, env: { ...env, ...adminEnv(world) }, spawn: {} }
}

/**
 * Whether a one-user run into repositories did what a rotation must, as the emulators show it: a
 * key created in this run is the user's one Active key, the old one is no longer Active, and
 * every repository's two secrets hold the new key. Undefined for the other scenarios.
 */
function rotatedIn(s: Scenario, world: World): boolean | undefined {
  if (s.users !== 1 || s.target !== 'repository') return undefined
  const created = new Set(world.aws.createdKeyIds())
  const active = world.aws.keys(USER).filter((k) => k.status === 'Active')
  const fresh = active.length === 1 && created.has(active[0]!.accessKeyId) ? active[0] : undefined
  return (
    fresh !== undefined &&
    reposFor(s).every((repo) => {
      const secrets = world.github.repositorySecrets(repo)
      return (
        secrets.AWS_ACCESS_KEY_ID === fresh.accessKeyId &&
        secrets.AWS_SECRET_ACCESS_KEY === fresh.secretAccessKey
      )
    })
  )
}

/**
 * `startWorld` seeded for the scenario (its repositories, users, organization and token), plus
 * GitHub's secondary rate limit when the run makes more than 10 writes, and latency on the OIDC
 * token service too.
 */
export async function startBenchWorld(s: Scenario, latencyMs: number): Promise<World> {
  const oidc = await startOidcEmulator({
    claims: { repository: 'acme/ops', repository_owner: 'acme' }
  })
  const aws = await startAwsEmulator({
    propagationDelayMs: s.propagationMs,
    oidc: { issuer: oidc.issuer, jwksUrl: oidc.jwksUrl }
  })
  const github = await startGitHubEmulator(
    paced(s) ? { secondaryRateLimit: { minIntervalMs: PACE_MS } } : {}
  )
  const { arn: roleArn } = aws.createRole('rotate-iam-key', {
    audience: 'sts.amazonaws.com',
    subject: 'repo:acme/ops:*'
  })
  const admin = aws.createAdminUser('admin')
  const { arn: userArn } = aws.createUser(USER)
  const old = new Date(Date.now() - 95 * 86_400_000)
  const oldKey = aws.seedAccessKey(USER, { createDate: old })
  for (const user of usersFor(s).filter((u) => u !== USER)) {
    aws.createUser(user)
    aws.seedAccessKey(user, { createDate: old })
  }
  for (const repo of reposFor(s)) github.addRepository(repo)
  // 'Actions: Read' too: the run lists the workflow runs that may hold the old key.
  github.addToken(TOKEN, { repositories: 'all', secrets: 'write', actions: 'read' })
  if (s.target === 'organization') {
    github.addOrganization('acme')
    github.addToken(ORG_TOKEN, {
      repositories: 'all',
      secrets: 'write',
      actions: 'read',
      organizations: ['acme'],
      organizationSecrets: 'write'
    })
  }
  const world: World = {
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
  await warmJwks(world)
  if (s.target === 'organization') await seedSelection(world, reposFor(s))
  for (const emulator of [aws, github, oidc]) {
    emulator.latencyMs = latencyMs
    emulator.log.length = 0
  }
  return world
}

/**
 * A rotation's usual case: the organization secrets exist (the last rotation wrote them) and
 * already reach the selected repositories. Written through the emulator's API, as a person would.
 */
async function seedSelection(world: World, repos: string[]): Promise<void> {
  await sodium.ready
  const octokit = new Octokit({ auth: ORG_TOKEN, baseUrl: world.github.url })
  const ids = await Promise.all(
    repos.map(async (full) => {
      const [owner = '', repo = ''] = full.split('/')
      return Number((await octokit.request('GET /repos/{owner}/{repo}', { owner, repo })).data.id)
    })
  )
  const { data: key } = await octokit.request('GET /orgs/{org}/actions/secrets/public-key', {
    org: 'acme'
  })
  for (const name of ['AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY']) {
    const sealed = sodium.crypto_box_seal(
      sodium.from_string('last rotation'),
      sodium.from_base64(key.key, sodium.base64_variants.ORIGINAL)
    )
    await octokit.request('PUT /orgs/{org}/actions/secrets/{secret_name}', {
      org: 'acme',
      secret_name: name,
      key_id: key.key_id,
      encrypted_value: sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL),
      visibility: 'selected',
      selected_repository_ids: ids
    })
  }
}

/**
 * AWS fetches the issuer's JWKS on the first AssumeRoleWithWebIdentity and caches it; a real STS
 * has it cached already. Do that first call here, before latency is on and the log is cleared, so
 * the measured run's AssumeRole costs one round trip like every other request.
 */
async function warmJwks(world: World): Promise<void> {
  const token = await fetch(`${world.oidc.requestUrl}&audience=sts.amazonaws.com`, {
    headers: { authorization: `bearer ${world.oidc.requestToken}` }
  })
  const { value } = (await token.json()) as { value: string }
  const assumed = await fetch(world.aws.url, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      Action: 'AssumeRoleWithWebIdentity',
      Version: '2011-06-15',
      RoleArn: world.roleArn,
      RoleSessionName: 'bench-warm-up',
      WebIdentityToken: value
    })
  })
  if (!assumed.ok) throw new Error(`warm-up AssumeRoleWithWebIdentity: ${assumed.status}`)
}

/** A logged request, named `service route` and timed from the action's spawn. */
export interface Logged {
  route: string
  status: number
  principal?: string
  at: number
  /** When the emulator sent the answer (ms after spawn): latency and the service's own time. */
  answered?: number
  /**
   * Through a network ({@link Network}): when the client sent it (or opened the connection it
   * waited for) and when the answer reached the client (ms after spawn), and whether it waited
   * for a new connection's handshake.
   */
  sent?: number
  received?: number
  fresh?: boolean
}

/**
 * A network between the action and the emulators instead of the emulators' own fixed delay: every
 * byte takes half a round trip each way and a new connection costs `handshakeRoundTrips` round
 * trips first (1: TCP; 2: TCP and TLS 1.3, as the real APIs are HTTPS). IAM and STS get a proxy
 * each, as they are two hosts (a connection to one is no use for the other).
 */
export interface Network {
  rttMs: number
  handshakeRoundTrips: number
}

type Hop = 'oidc' | 'iam' | 'sts' | 'github'
const hopOf = (route: string): Hop =>
  route.startsWith('aws iam:')
    ? 'iam'
    : route.startsWith('aws ')
      ? 'sts'
      : route.startsWith('github ')
        ? 'github'
        : 'oidc'

/** Proxies in front of the world's emulators, and the runner's endpoint variables through them. */
async function networkFor(
  world: World,
  net: Network
): Promise<{ hops: Record<Hop, LatencyProxy>; env: Record<string, string> }> {
  const options = { rttMs: net.rttMs, handshakeRoundTrips: net.handshakeRoundTrips }
  const [oidc, iam, sts, github] = await Promise.all([
    startLatencyProxy(world.oidc.url, options),
    startLatencyProxy(world.aws.url, options),
    startLatencyProxy(world.aws.url, options),
    startLatencyProxy(world.github.url, options)
  ])
  return {
    hops: { oidc, iam, sts, github },
    env: {
      ACTIONS_ID_TOKEN_REQUEST_URL: oidc.through(world.oidc.requestUrl),
      AWS_ENDPOINT_URL_IAM: iam.through(world.aws.url),
      AWS_ENDPOINT_URL_STS: sts.through(world.aws.url),
      GITHUB_API_URL: github.through(world.github.url)
    }
  }
}

/**
 * The client's side of each request through the network. A connection's first request is the one
 * the emulator saw first at or after that connection's first byte; it waited for the handshake
 * when that byte went through the moment the handshake allowed (a connection warmed earlier was
 * ready, and its first request did not wait). A request that waited was sent when the client
 * opened its connection; any other, half a round trip before it arrived.
 */
function clientSide(
  log: Logged[],
  hops: Record<Hop, LatencyProxy>,
  t0: number,
  net: Network
): void {
  const half = net.rttMs / 2
  const handshake = net.handshakeRoundTrips * net.rttMs
  const opened = new Map<Logged, number>()
  for (const [hop, proxy] of Object.entries(hops) as [Hop, LatencyProxy][]) {
    for (const c of proxy.connections) {
      if (c.firstByte === undefined) continue
      const byte = c.firstByte - t0
      const first = log.find((e) => hopOf(e.route) === hop && e.at >= byte - 1 && !opened.has(e))
      const waited = byte - half - (c.opened - t0 + handshake) <= 1
      if (first && waited) opened.set(first, c.opened - t0)
    }
  }
  for (const e of log) {
    e.fresh = opened.has(e)
    e.sent = opened.get(e) ?? e.at - half
    e.received = (e.answered ?? e.at) + half
  }
}

export interface Measured {
  wallMs: number
  code: number | null
  bound: Bound
  ratio: number
  /** Spawn → first request any emulator saw. */
  coldStartMs: number
  /** First request → last response (last arrival + latency). */
  requestsMs: number
  /** Last response → process exit. */
  exitMs: number
  requests: number
  minimum: number
  extras: RequestDiff[]
  /**
   * New key accepted (createDate + propagation) → successful GetCallerIdentity arrives; with
   * several users, the worst user's.
   */
  verifyLagMs: number
  /** Arrival times (ms after spawn) of the milestones on the chain. */
  marks: Record<string, number>
  gaps: WriteGaps
  log: Logged[]
  stderr: string
  /** One user into repositories: the emulators show the new key in place (see `rotatedIn`). */
  rotated?: boolean
}

/**
 * Run the action (dist/index.js, or `script`) once in a fresh world and measure it: with
 * `latencyMs` on every emulator answer, or through a network of that round trip (`net`). With
 * `contender`, the action with other credentials, or the peer's bundle instead.
 */
export async function measure(
  s: Scenario,
  latencyMs: number,
  script?: string,
  net?: Network,
  contender: Contender = { kind: 'action', credentials: 'role' }
): Promise<Measured> {
  const world = await startBenchWorld(s, net ? 0 : latencyMs)
  const network = net ? await networkFor(world, net) : undefined
  try {
    const { inputs, env: own, spawn } = contenderInputs(s, world, contender)
    const env = { ...own, ...network?.env }
    const bundle = contender.kind === 'peer' ? contender.script : script
    const result = bundle
      ? await spawnAction(world, inputs, bundle, env, spawn)
      : await runAction(world, inputs, env)
    const t0 = result.startedAt
    const named = (service: string, log: LogEntry[]): Logged[] =>
      log.map((e) => ({
        route: `${service} ${e.route}`,
        status: e.status,
        at: e.time - t0,
        ...(e.end !== undefined ? { answered: e.end - t0 } : {}),
        ...(e.principal ? { principal: e.principal } : {})
      }))
    const log = [
      ...named('aws', world.aws.log),
      ...named('github', world.github.log),
      ...named('oidc', world.oidc.log)
    ].sort((a, b) => a.at - b.at)
    if (network && net) clientSide(log, network.hops, t0, net)

    // Each new key: when the emulator started accepting it, and when its verification arrived.
    const created = new Map(
      world.aws
        .users()
        .flatMap((u) => u.keys)
        .map((k) => [k.accessKeyId, k.createDate.getTime()])
    )
    const verifiedAt = (id: string): number | undefined =>
      log.find((e) => e.route === ROUTES.callerIdentity && e.status === 200 && e.principal === id)
        ?.at
    const lags = world.aws.createdKeyIds().map((id) => {
      const at = verifiedAt(id)
      const made = created.get(id)
      return at !== undefined && made !== undefined ? at + t0 - (made + s.propagationMs) : NaN
    })
    const verified = world.aws
      .createdKeyIds()
      .map((id) => verifiedAt(id) ?? NaN)
      .filter(Number.isFinite)
    const first = (route: string): number => log.find((e) => e.route.endsWith(route))?.at ?? NaN
    // A secret's PUT, not the GET of the same secret that reads its visibility before any change.
    const isPut = (e: Logged): boolean =>
      e.route.startsWith('github PUT ') && e.route.endsWith('secrets/{secret_name}')
    const firstPut = log.find(isPut)?.at ?? NaN
    const lastPut = log.findLast(isPut)?.at ?? NaN
    const firstAt = log[0]?.at ?? NaN
    const lastAt = log.at(-1)?.at ?? NaN

    const bound = lowerBound(s, latencyMs)
    const minimum = minimumRequests(s, latencyMs)
    const rotated = rotatedIn(s, world)
    return {
      wallMs: result.ms,
      code: result.code,
      bound,
      ratio: result.ms / bound.ms,
      coldStartMs: firstAt,
      requestsMs: lastAt + latencyMs - firstAt,
      exitMs: result.ms - (lastAt + latencyMs),
      requests: log.length,
      minimum: [...minimum.values()].reduce((a, b) => a + b, 0),
      extras: diffRequests(log, minimum),
      verifyLagMs: lags.length > 0 ? Math.max(...lags) : NaN,
      marks: {
        token: first('GET /idtoken'),
        create: first('iam:CreateAccessKey'),
        verified: verified.length > 0 ? Math.min(...verified) : NaN,
        firstPut,
        lastPut,
        lastRequest: lastAt,
        exit: result.ms
      },
      gaps: writeGaps(
        log.filter((e) => e.route.startsWith('github PUT ')).map((e) => e.at),
        latencyMs + (paced(s) ? PACE_MS : 0)
      ),
      log,
      stderr: result.stderr,
      ...(rotated === undefined ? {} : { rotated })
    }
  } finally {
    await Promise.all(Object.values(network?.hops ?? {}).map((p) => p.close()))
    await world.close()
  }
}
