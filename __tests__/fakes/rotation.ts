/**
 * In-memory IAM, GitHub secrets, STS and clock for in-process tests of the rotation machine.
 * IAM keeps IAM's limits (two keys, 50 tags) and answers with the SDK's error shapes; every call
 * is recorded, and faults can be injected per command.
 */
import type { RunsBlocked, RunsUnknown } from '../../src/github/inflight-facts.js'
import type { IAMClient } from '@aws-sdk/client-iam'
import type { NewKey } from '../../src/aws/key-data.js'
import type { CallerArn, Clock } from '../../src/rotation/ports.js'
import type { Written } from '../../src/rotation/ports.js'
import type { Holder } from '../../src/github/inflight-facts.js'
import type { Prepared, Secrets } from '../../src/github/secrets.js'
import type { RunsPort } from '../../src/rotation/ports.js'
import { describe, type Target } from '../../src/github/targets.js'

export const ARN = 'arn:aws:iam::123456789012:user/deploy'

export class FakeClock implements Clock {
  constructor(public t: number) {}
  now = (): number => this.t
  sleep = (ms: number): Promise<void> => {
    this.t += ms
    return Promise.resolve()
  }
}

/** An error as the AWS SDK raises it. */
export function awsError(name: string, message: string, status?: number): Error {
  const e = new Error(message) as Error & { $metadata: Record<string, unknown> }
  e.name = name
  e.$metadata = status === undefined ? {} : { httpStatusCode: status }
  return e
}

export type FaultKind =
  /** 403 AccessDenied: nothing happens. */
  | 'refused'
  /** The call acts, then its answer is lost (no status). */
  | 'lost'
  /** The call acts, then IAM answers 500. */
  | 'lost500'
  /** 400 Throttling: nothing happens. */
  | 'throttled'
  /** 409 LimitExceeded: nothing happens. */
  | 'quota'
  /** Nothing fails; only `before` runs. */
  | 'none'

export interface Fault {
  command: string
  /** Which call of that command fails, counting from 1; default: the next one. */
  nth?: number
  kind: FaultKind
  /** Runs before the call is handled (e.g. another run acting at the same moment). */
  before?: (iam: FakeIam) => void
}

export interface FakeKey {
  id: string
  secret: string
  status: 'Active' | 'Inactive'
  created: Date
}

const MUTATING = [
  'CreateAccessKeyCommand',
  'UpdateAccessKeyCommand',
  'DeleteAccessKeyCommand',
  'TagUserCommand',
  'UntagUserCommand'
]

export class FakeIam {
  keys: FakeKey[] = []
  tags: Record<string, string> = {}
  sent: { name: string; input: Record<string, unknown> }[] = []
  faults: Fault[] = []
  private counts = new Map<string, number>()
  private serial = 0

  constructor(
    private readonly clock: FakeClock,
    readonly userName = 'deploy'
  ) {}

  get client(): IAMClient {
    return this as unknown as IAMClient
  }

  /** A new key ID: `AKIA` + 16 characters, as IAM's. */
  nextId(prefix = 'KEY'): string {
    this.serial += 1
    return `AKIA${prefix}${String(this.serial).padStart(16 - prefix.length, '0')}`
  }

  addKey(o: Partial<FakeKey> & { prefix?: string } = {}): FakeKey {
    if (this.keys.length >= 2) throw new Error('seeding past the two-key limit')
    const { prefix, ...rest } = o
    const k: FakeKey = {
      id: this.nextId(prefix),
      secret: `secret-${this.serial}`,
      status: 'Active',
      created: new Date(this.clock.now()),
      ...rest
    }
    this.keys.push(k)
    return k
  }

  count(command: string): number {
    return this.sent.filter((s) => s.name === command).length
  }

  mutations(): string[] {
    return this.sent.filter((s) => MUTATING.includes(s.name)).map((s) => s.name)
  }

  inject(...faults: Fault[]): void {
    this.faults.push(...faults)
  }

  send(command: { input: Record<string, unknown> }): Promise<unknown> {
    const name = command.constructor.name
    const input = command.input
    this.sent.push({ name, input })
    const n = (this.counts.get(name) ?? 0) + 1
    this.counts.set(name, n)
    const i = this.faults.findIndex((f) => f.command === name && (f.nth ?? n) === n)
    const fault = i >= 0 ? this.faults.splice(i, 1)[0] : undefined
    fault?.before?.(this)
    const denied = `User: arn:aws:iam::123456789012:user/admin is not authorized to perform: iam:${name.replace(/Command$/, '')}`
    switch (fault?.kind) {
      case 'refused':
        return Promise.reject(awsError('AccessDenied', denied, 403))
      case 'throttled':
        return Promise.reject(awsError('Throttling', 'Rate exceeded', 400))
      case 'quota':
        return Promise.reject(
          awsError('LimitExceededException', 'Cannot exceed quota for AccessKeysPerUser: 2', 409)
        )
      case 'lost':
      case 'lost500': {
        try {
          this.handle(name, input)
        } catch {
          // the answer is lost either way
        }
        return Promise.reject(
          fault.kind === 'lost'
            ? awsError('TimeoutError', 'socket hang up')
            : awsError('InternalFailure', 'We encountered an internal error', 500)
        )
      }
      default:
        try {
          return Promise.resolve(this.handle(name, input))
        } catch (e) {
          return Promise.reject(e instanceof Error ? e : new Error(String(e)))
        }
    }
  }

  private key(input: Record<string, unknown>): FakeKey {
    const k = this.keys.find((k) => k.id === input.AccessKeyId)
    if (!k) {
      throw awsError(
        'NoSuchEntityException',
        `The Access Key with id ${String(input.AccessKeyId)} cannot be found.`,
        404
      )
    }
    return k
  }

  private handle(name: string, input: Record<string, unknown>): unknown {
    switch (name) {
      case 'GetUserCommand':
        return {
          User: {
            UserName: this.userName,
            Arn: ARN,
            Tags: Object.entries(this.tags).map(([Key, Value]) => ({ Key, Value }))
          }
        }
      case 'ListAccessKeysCommand':
        return {
          AccessKeyMetadata: this.keys.map((k) => ({
            AccessKeyId: k.id,
            Status: k.status,
            CreateDate: k.created,
            UserName: this.userName
          }))
        }
      case 'CreateAccessKeyCommand': {
        if (this.keys.length >= 2) {
          throw awsError(
            'LimitExceededException',
            'Cannot exceed quota for AccessKeysPerUser: 2',
            409
          )
        }
        const k = this.addKey()
        return { AccessKey: { AccessKeyId: k.id, SecretAccessKey: k.secret, Status: 'Active' } }
      }
      case 'UpdateAccessKeyCommand':
        this.key(input).status = input.Status as FakeKey['status']
        return {}
      case 'DeleteAccessKeyCommand': {
        const k = this.key(input)
        this.keys = this.keys.filter((x) => x !== k)
        return {}
      }
      case 'TagUserCommand': {
        const next = { ...this.tags }
        for (const t of input.Tags as { Key: string; Value: string }[]) next[t.Key] = t.Value
        if (Object.keys(next).length > 50) {
          throw awsError('LimitExceededException', 'Cannot exceed quota for TagsPerUser: 50', 409)
        }
        this.tags = next
        return {}
      }
      case 'UntagUserCommand':
        for (const k of input.TagKeys as string[]) delete this.tags[k]
        return {}
      case 'GetAccessKeyLastUsedCommand':
        this.key(input)
        return { AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }
      default:
        throw new Error(`FakeIam: ${name} is not faked`)
    }
  }
}

export interface StoredSecret {
  value: string
  updatedAt: Date
}

export interface WriteFault {
  /** `describe(target)`, e.g. `acme/api`; any target when absent. */
  target?: string
  /** Secret name; any when absent. */
  name?: string
  /** Which matching write fails, from 1; default: the next one. */
  nth?: number
  message?: string
  /**
   * refused (default): GitHub answers 403 and stores nothing. lost: GitHub stores the secret,
   * then the answer is lost (a 502 after retries). unanswered: nothing stored, no answer.
   */
  kind?: 'refused' | 'lost' | 'unanswered'
  /** Runs when the fault fires. */
  before?: () => void
}

/** A GitHub failure as `Secrets.write` raises it: the request error (when GitHub answered) as its cause. */
export function gitHubError(message: string, status?: number): Error {
  const cause =
    status === undefined
      ? Object.assign(new Error('fetch failed'), { name: 'HttpError', status: 500 })
      : Object.assign(new Error(message), { name: 'HttpError', status, response: { status } })
  return new Error(message, { cause })
}

/** GitHub's secrets in memory: `updated_at` in whole seconds, from the clock. */
export class FakeSecrets {
  store = new Map<string, Map<string, StoredSecret>>()
  writes: { target: string; name: string; value: string }[] = []
  faults: WriteFault[] = []
  private matched = new Map<WriteFault, number>()

  constructor(private readonly clock: FakeClock) {}

  get api(): Secrets {
    return this as unknown as Secrets
  }

  /** Seed a target's secret as written at `at`. */
  seed(target: string, name: string, value: string, at: number): void {
    this.scope(target).set(name, { value, updatedAt: new Date(Math.floor(at / 1000) * 1000) })
  }

  value(target: string, name: string): string | undefined {
    return this.store.get(target)?.get(name)?.value
  }

  private scope(target: string): Map<string, StoredSecret> {
    let s = this.store.get(target)
    if (!s) this.store.set(target, (s = new Map<string, StoredSecret>()))
    return s
  }

  prepare(target: Target, _names: string[]): Promise<Prepared> {
    return Promise.resolve({
      target,
      client: {} as Prepared['client'],
      key: { keyId: 'key-1', key: 'public' },
      extra: {}
    })
  }

  write(p: Prepared, name: string, value: string): Promise<void> {
    const target = describe(p.target)
    let fault: WriteFault | undefined
    for (const f of this.faults) {
      if ((f.target ?? target) !== target || (f.name ?? name) !== name) continue
      const n = (this.matched.get(f) ?? 0) + 1
      this.matched.set(f, n)
      if (!fault && (f.nth ?? n) === n) fault = f
    }
    if (fault) {
      this.faults = this.faults.filter((f) => f !== fault)
      fault.before?.()
      if (fault.kind === 'lost') {
        this.writes.push({ target, name, value })
        this.seed(target, name, value, this.clock.now())
        return Promise.reject(
          gitHubError(
            fault.message ??
              `GitHub failed while writing secret ${name} for ${target} (502: Bad Gateway).`,
            502
          )
        )
      }
      if (fault.kind === 'unanswered') {
        return Promise.reject(
          gitHubError(
            fault.message ??
              `GitHub failed while writing secret ${name} for ${target} (no response: timed out).`
          )
        )
      }
      return Promise.reject(
        gitHubError(
          fault.message ??
            `GitHub denied writing secret ${name} for ${target} (403: Resource not accessible by personal access token).`,
          403
        )
      )
    }
    this.writes.push({ target, name, value })
    this.seed(target, name, value, this.clock.now())
    return Promise.resolve()
  }

  updatedAt(p: Prepared, name: string): Promise<Date | undefined> {
    return Promise.resolve(this.store.get(describe(p.target))?.get(name)?.updatedAt)
  }
}

/** STS: a key authenticates as the user when it exists, is Active and its secret matches. */
export function fakeCallerArn(iam: FakeIam): CallerArn {
  return (key: NewKey) => {
    const k = iam.keys.find((k) => k.id === key.id)
    if (k && k.status === 'Active' && k.secret === key.secret) return Promise.resolve(ARN)
    return Promise.reject(
      awsError(
        'InvalidClientTokenId',
        'The security token included in the request is invalid.',
        403
      )
    )
  }
}

/**
 * Workflow runs that may hold the old key, as github/inflight.ts reports them: each run ends at a
 * time on the fake clock. While a run has not ended, `violations` records every moment the key it
 * holds (`holds`) was not Active in `iam`: the promise is that it never is.
 */
export class FakeRuns {
  runs: (Holder & { endsAt: number; holds: string })[] = []
  written: Written[][] = []
  violations: string[] = []
  /** Called when the rotation says the listing is next (`ahead`). */
  onAhead?: () => void
  /** What `check` answers (a missing permission), and whether listings fail. */
  missing?: RunsBlocked
  unknown?: RunsUnknown
  constructor(
    private readonly clock: FakeClock,
    private readonly iam: FakeIam
  ) {}

  add(repo: string, id: number, holds: string, endsAt: number): void {
    const url = `https://github.com/${repo}/actions/runs/${id}`
    this.runs.push({ repo, id, attempt: 1, status: 'in_progress', url, endsAt, holds })
  }

  private live(): (Holder & { endsAt: number; holds: string })[] {
    const now = this.clock.now()
    for (const r of this.runs) {
      const key = this.iam.keys.find((k) => k.id === r.holds)
      if (r.endsAt > now && key?.status !== 'Active')
        this.violations.push(`${r.repo} run ${r.id} holds ${r.holds}, ${key?.status ?? 'deleted'}`)
    }
    return this.runs.filter((r) => r.endsAt > now)
  }

  private strip = (r: Holder & { endsAt: number; holds: string }): Holder => {
    const { endsAt: _e, holds: _h, ...h } = r
    return h
  }

  api: RunsPort = {
    check: () => Promise.resolve(this.missing),
    ahead: () => this.onAhead?.(),
    holding: (written) => {
      this.written.push(written)
      if (this.unknown) return Promise.resolve({ unknown: this.unknown })
      return Promise.resolve({ runs: this.live().map(this.strip) })
    },
    running: (runs) => {
      if (this.unknown) return Promise.resolve({ unknown: this.unknown })
      const live = this.live()
      return Promise.resolve({
        runs: runs.filter((h) => live.some((r) => r.id === h.id)).map((h) => ({ ...h }))
      })
    }
  }

  /** Check the promise once more, after the rotation is over. */
  check(): string[] {
    this.live()
    return this.violations
  }
}
