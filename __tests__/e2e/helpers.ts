/** Assertions the end-to-end tests share: what AWS accepts, what must never leak, what changed. */
import { afterEach } from '@jest/globals'
import { IAMClient, TagUserCommand } from '@aws-sdk/client-iam'
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts'
import { runAction, type RunResult } from '../../emulators/runner.js'
import { TOKEN, type World } from '../../emulators/world.js'

/** The ARN AWS reports for these credentials, or the error's name when AWS refuses them. */
export async function callerArn(
  world: World,
  accessKeyId: string,
  secretAccessKey: string
): Promise<string> {
  const sts = new STSClient({
    region: 'us-east-1',
    endpoint: world.aws.url,
    credentials: { accessKeyId, secretAccessKey },
    maxAttempts: 1
  })
  try {
    return (await sts.send(new GetCallerIdentityCommand({}))).Arn ?? ''
  } catch (error) {
    return (error as Error).name
  } finally {
    sts.destroy()
  }
}

/**
 * Every line of a PEM key but its BEGIN/END markers: a key leaks as soon as one line of it does,
 * and log lines would break a whole key apart.
 */
export const pemLines = (pem: string): string[] =>
  pem
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('-----'))

/** Every credential the GitHub emulator handed out or accepts: tokens, App keys, installation tokens. */
export function gitHubCredentials(world: World): string[] {
  return [
    ...world.github.tokensAdded(),
    ...world.github.appPrivateKeys().flatMap(pemLines),
    ...world.github.installationTokensIssued().map((t) => t.token)
  ]
}

/** Every value a run must never print or write. */
export function secretsOf(world: World): string[] {
  const keys = [
    ...world.aws.users().flatMap((u) => u.keys.map((k) => k.secretAccessKey)),
    ...world.aws.createdKeyIds().map((id) => world.aws.secretOf(id))
  ]
  return [
    ...keys,
    world.admin.secretAccessKey,
    TOKEN,
    ...gitHubCredentials(world),
    ...world.oidc.jwtsIssued,
    ...world.aws.sessionSecrets()
  ]
}

/** Mutating calls the run made against either emulator. */
export function mutations(world: World): string[] {
  const aws = world.aws.log
    .map((e) => e.route)
    .filter((r) => /CreateAccessKey|UpdateAccessKey|DeleteAccessKey|TagUser|UntagUser/.test(r))
  // Minting an installation token is authentication, not a change to anything a deploy uses.
  const gh = world.github.log
    .filter((e) => e.method !== 'GET' && !e.path.endsWith('/access_tokens'))
    .map((e) => `${e.method} ${e.path}`)
  return [...aws, ...gh]
}

/**
 * Let `ms` pass for `user`: its keys' creation dates and the marks the action left (rewritten
 * through IAM's real API, as an admin could) move into the past. How a test lets days pass, or puts
 * a killed run's key beyond the in-flight window.
 */
export async function ageMarks(world: World, user: string, ms: number): Promise<void> {
  world.aws.backdateKeys(user, ms)
  world.github.backdate(ms)
  const tags = world.aws.users().find((u) => u.userName === user)?.tags ?? {}
  // Every time in a mark moves: when it was written, and until when a lease runs.
  const aged = Object.entries(tags).flatMap(([Key, Value]) =>
    /rotate-iam-key/.test(Value)
      ? [
          {
            Key,
            Value: Value.replace(/\d{4}-\d\d-\d\dT[\d:.]+Z/g, (t) =>
              new Date(Date.parse(t) - ms).toISOString()
            )
          }
        ]
      : []
  )
  if (aged.length === 0) return
  const iam = new IAMClient({
    region: 'us-east-1',
    endpoint: world.aws.url,
    credentials: world.admin
  })
  try {
    await iam.send(new TagUserCommand({ UserName: user, Tags: aged }))
  } finally {
    iam.destroy()
  }
}

/** Fail when any secret the world knows appears in anything these runs printed or wrote. */
export function expectNoLeaks(world: World, runs: RunResult[]): void {
  for (const result of runs) {
    for (const secret of secretsOf(world)) {
      if (result.everything.includes(secret)) throw new Error(`leaked ${secret.slice(0, 4)}…`)
    }
  }
}

/**
 * After each test, scan every run it recorded for leaks, then close its world. Call once per test
 * file with how to find the current world; `record` a run made otherwise, or `run` the action
 * (inputs and environment as a runner gives them) and have it recorded.
 */
export function scanRunsAfterEach(current: () => World | undefined): {
  record: (result: RunResult) => RunResult
  run: (inputs: Record<string, string>, env?: Record<string, string>) => Promise<RunResult>
} {
  const runs: RunResult[] = []
  afterEach(async () => {
    const world = current()
    try {
      if (world) expectNoLeaks(world, runs)
    } finally {
      runs.length = 0
      await world?.close()
    }
  })
  const record = (result: RunResult): RunResult => {
    runs.push(result)
    return result
  }
  const run = async (inputs: Record<string, string>, env: Record<string, string> = {}) => {
    const world = current()
    if (!world) throw new Error('start a world before running the action')
    return record(await runAction(world, inputs, env))
  }
  return { record, run }
}
