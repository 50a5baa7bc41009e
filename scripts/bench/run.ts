/**
 * One measured rotation: a seeded world with latency on every emulator response, the bundled
 * action run as a runner runs it, and what the emulators' request logs say about it.
 */
import { startAwsEmulator } from '../../emulators/aws/index.js'
import { startGitHubEmulator } from '../../emulators/github/index.js'
import { startOidcEmulator } from '../../emulators/oidc/index.js'
import { runAction } from '../../emulators/runner.js'
import type { LogEntry } from '../../emulators/shared/server.js'
import { TOKEN, USER, roleInputs, type World } from '../../emulators/world.js'
import {
  diffRequests,
  lowerBound,
  minimumRequests,
  PACE_MS,
  paced,
  type Bound,
  type RequestDiff,
  type Scenario
} from './bound.js'
import { spawnAction } from './spawn.js'

export const reposFor = (s: Scenario): string[] =>
  Array.from({ length: s.scopes }, (_, i) => (i === 0 ? 'acme/app' : `acme/app-${i + 1}`))

/**
 * `startWorld` seeded the same way, plus what it cannot do yet: GitHub's secondary rate limit
 * (writes a second apart) and latency on the OIDC token service too.
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
  const oldKey = aws.seedAccessKey(USER, { createDate: new Date(Date.now() - 95 * 86_400_000) })
  for (const repo of reposFor(s)) github.addRepository(repo)
  github.addToken(TOKEN, { repositories: 'all', secrets: 'write' })
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
  for (const emulator of [aws, github, oidc]) {
    emulator.latencyMs = latencyMs
    emulator.log.length = 0
  }
  return world
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
  /** New key accepted (createDate + propagation) → successful GetCallerIdentity arrives. */
  verifyLagMs: number
  /** Arrival times (ms after spawn) of the milestones on the chain. */
  marks: Record<string, number>
  log: Logged[]
  stderr: string
}

/** Run the action (dist/index.js, or `script`) once in a fresh world and measure it. */
export async function measure(s: Scenario, latencyMs: number, script?: string): Promise<Measured> {
  const world = await startBenchWorld(s, latencyMs)
  try {
    const inputs = roleInputs(world, { repositories: reposFor(s).join('\n') })
    const result = script
      ? await spawnAction(world, inputs, script)
      : await runAction(world, inputs)
    const t0 = result.startedAt
    const named = (service: string, log: LogEntry[]): Logged[] =>
      log.map((e) => ({
        route: `${service} ${e.route}`,
        status: e.status,
        at: e.time - t0,
        ...(e.principal ? { principal: e.principal } : {})
      }))
    const log = [
      ...named('aws', world.aws.log),
      ...named('github', world.github.log),
      ...named('oidc', world.oidc.log)
    ].sort((a, b) => a.at - b.at)

    const [newKeyId] = world.aws.createdKeyIds()
    const created = world.aws.keys(USER).find((k) => k.accessKeyId === newKeyId)?.createDate
    const verified = log.find(
      (e) => e.route === 'aws sts:GetCallerIdentity' && e.status === 200 && e.principal === newKeyId
    )
    const first = (route: string): number => log.find((e) => e.route.endsWith(route))?.at ?? NaN
    const last = (route: string): number => log.findLast((e) => e.route.endsWith(route))?.at ?? NaN
    const firstAt = log[0]?.at ?? NaN
    const lastAt = log.at(-1)?.at ?? NaN

    const bound = lowerBound(s, latencyMs)
    const minimum = minimumRequests(s, latencyMs)
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
      verifyLagMs:
        created && verified ? verified.at + t0 - (created.getTime() + s.propagationMs) : NaN,
      marks: {
        token: first('GET /idtoken'),
        create: first('iam:CreateAccessKey'),
        verified: verified?.at ?? NaN,
        firstPut: first('secrets/{secret_name}'),
        lastPut: last('secrets/{secret_name}'),
        delete: last('iam:DeleteAccessKey'),
        exit: result.ms
      },
      log,
      stderr: result.stderr
    }
  } finally {
    await world.close()
  }
}
