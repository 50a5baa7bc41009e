/**
 * The rotation machine in process, over in-memory IAM, GitHub and STS (./fakes/rotation.ts): for
 * each state and each kind of failure there, what the run leaves behind and what it tells a person.
 */
import { beforeAll, describe, expect, it, jest } from '@jest/globals'
import {
  fingerprint,
  formatIntent,
  formatKeyMark,
  INTENT_TAG,
  parseIntent,
  parseKeyMark,
  type Identity,
  type Intent
} from '../src/rotation/marks.js'
import type { CallerArn } from '../src/aws/verify.js'
import { iamKeys } from '../src/aws/keys.js'
import * as rotation from '../src/rotation/index.js'
import { RotationError, type Deps, type Request } from '../src/rotation/index.js'
import { describePlan } from '../src/report/dry-run.js'
import { progressLines, sectionTitle } from '../src/report/progress.js'
import { levelOf, type Progress } from '../src/rotation/progress.js'
import { missWords } from '../src/report/progress-miss.js'
import type { Missed } from '../src/rotation/aftermath.js'
import { RateLimited } from '../src/github/errors.js'
import { stopMessage } from '../src/report/rotation-failure.js'
import { budget } from '../src/budget.js'
import { budgetWords } from '../src/report/budget.js'
import { STATES } from '../src/rotation/machine.js'
import { describe as describeTarget } from '../src/github/targets.js'
import {
  ARN,
  FakeClock,
  FakeIam,
  fakeCallerArn,
  FakeRuns,
  FakeSecrets,
  type FakeKey
} from './fakes/rotation.js'

const DAY = 86_400_000

/** GitHub's secondary rate limit on writing secret `name` of acme/app, as the adapter throws it. */
const secondaryLimit = (name: string, waitMs: number): RateLimited =>
  new RateLimited(
    {
      step: {
        doing: { doing: 'write', secret: name },
        target: { kind: 'repository', owner: 'acme', repo: 'app' }
      },
      reason: { kind: 'answered', status: 403, message: 'You have exceeded a secondary rate limit' }
    },
    waitMs
  )
const NOW = Date.UTC(2026, 10, 22, 12)
const rotate = rotation.rotate

/** What a dry run would do, as the summary says it. */
const dryRun = (o: rotation.Outcome): string[] =>
  o.plan ? describePlan(o.plan.plan, o.plan.req) : []

const WORKFLOW = 'acme/ops/rotate.yml'
const ID = 'AWS_ACCESS_KEY_ID'
const SECRET = 'AWS_SECRET_ACCESS_KEY'
const APP = 'acme/app'
const API = 'acme/api'
const TARGETS = [APP, API]
const FP = fingerprint([...TARGETS, ID, SECRET])

const REQ: Request = {
  userName: 'deploy',
  targets: [
    { kind: 'repository', owner: 'acme', repo: 'app' },
    { kind: 'repository', owner: 'acme', repo: 'api' }
  ],
  secretNames: { accessKeyId: ID, secretAccessKey: SECRET },
  verifyTimeoutMs: 5000,
  deleteOldKey: true,
  maxAgeDays: 0,
  force: false,
  gracePeriodDays: 0,
  dryRun: false,
  inFlightRuns: 'wait',
  drainTimeoutMs: 600_000,
  drainCapMs: 35 * 86_400_000
}

beforeAll(() => {
  // createKey masks the secret with `::add-mask::` on stdout; Jest reports on stderr.
  jest.spyOn(process.stdout, 'write').mockImplementation(() => true)
})

interface World {
  clock: FakeClock
  iam: FakeIam
  secrets: FakeSecrets
  /** The log as the entry words it (src/report/progress.ts); warnings start with `warning: `. */
  lines: string[]
  /** What the rotation reported, as it reported it. */
  events: Progress[]
  cancel: { now: boolean }
  old: FakeKey
  deps(over?: Partial<Deps> & { attempt?: number }): Deps
}

/**
 * A user with one Active key, 100 days old, published by this workflow to both targets, which
 * hold it; optionally an Inactive leftover beside it.
 */
function world(o: { leftover?: boolean } = {}): World {
  const clock = new FakeClock(NOW)
  const iam = new FakeIam(clock)
  const secrets = new FakeSecrets(clock)
  const lines: string[] = []
  const events: Progress[] = []
  const cancel = { now: false }
  const then = NOW - 100 * DAY
  if (o.leftover) iam.addKey({ prefix: 'LEFT', status: 'Inactive', created: new Date(then - DAY) })
  const old = iam.addKey({ prefix: 'OLD', created: new Date(then) })
  iam.tags[old.id] = formatKeyMark({
    state: 'published',
    at: new Date(then),
    run: { id: '1', attempt: 1 },
    workflow: WORKFLOW,
    targets: FP
  })
  for (const t of TARGETS) {
    secrets.seed(t, ID, old.id, then)
    secrets.seed(t, SECRET, old.secret, then)
  }
  return {
    clock,
    iam,
    secrets,
    lines,
    events,
    cancel,
    old,
    deps: ({ attempt = 1, ...over } = {}) => ({
      keys: iamKeys(iam.client),
      secrets: secrets.api,
      callerArn: fakeCallerArn(iam),
      clock,
      progress: (e) => {
        events.push(e)
        const level = levelOf(e) === 'warning' ? 'warning: ' : ''
        for (const line of progressLines(e)) lines.push(`${level}${line}`)
      },
      group: (section, fn) => {
        lines.push(`group: ${sectionTitle(section)}`)
        return fn()
      },
      identity: { run: { id: '100', attempt }, workflow: WORKFLOW },
      msPerWrite: 5000,
      cancelled: () => cancel.now,
      ready: Promise.resolve(),
      ...over
    })
  }
}

/** The RotationError a call ends with. */
async function failure(p: Promise<unknown>): Promise<RotationError> {
  try {
    await p
  } catch (e) {
    expect(e).toBeInstanceOf(RotationError)
    // The message a person reads, as the entry words it (src/fleet.ts).
    const error = e as RotationError
    error.message = stopMessage(error.stop)
    return error
  }
  throw new Error('expected the rotation to fail')
}

const intentOf = (w: World): Intent | undefined =>
  w.iam.tags[INTENT_TAG] === undefined ? undefined : parseIntent(w.iam.tags[INTENT_TAG])
const holds = (w: World, target: string): string | undefined => w.secrets.value(target, ID)
const statuses = (w: World): [string, string][] => w.iam.keys.map((k) => [k.id, k.status])

/** Every target holds `key` (ID and secret). */
function expectEverywhere(w: World, key: FakeKey): void {
  for (const t of TARGETS) {
    expect([t, w.secrets.value(t, ID), w.secrets.value(t, SECRET)]).toEqual([t, key.id, key.secret])
  }
}

/** The rotation completed: one Active key, in every target, marked published; no intent. */
function expectRotated(w: World, identity: Identity = { run: { id: '100', attempt: 1 } }): FakeKey {
  expect(w.iam.keys).toHaveLength(1)
  const key = w.iam.keys[0]!
  expect(key.status).toBe('Active')
  expect(key.id).not.toBe(w.old.id)
  expectEverywhere(w, key)
  expect(Object.keys(w.iam.tags)).toEqual([key.id])
  expect(parseKeyMark(w.iam.tags[key.id]!)).toMatchObject({
    state: 'published',
    workflow: WORKFLOW,
    targets: FP,
    ...identity
  })
  return key
}

/** Nothing of the user changed: the old key alone, in every target; the lease released or gone. */
function expectUnchanged(w: World, o: { intent: 'none' | 'released' }): void {
  expect(statuses(w)).toEqual([[w.old.id, 'Active']])
  expectEverywhere(w, w.old)
  const intent = intentOf(w)
  if (o.intent === 'none') expect(intent).toBeUndefined()
  else {
    expect(intent).toBeDefined()
    expect(intent!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
    expect(intent!.before).toContain(w.old.id)
  }
}

/** A callerArn that runs `effect` on its first call, then answers as `inner` does. */
const onFirstCall =
  (inner: CallerArn, effect: () => void): CallerArn =>
  (key) => {
    effect()
    effect = () => undefined
    return inner(key)
  }

describe('rotate: success', () => {
  it('creates, verifies, publishes to every target, then deletes the old key', async () => {
    const w = world()
    const oldMark = w.iam.tags[w.old.id]
    const out = await rotate(w.deps(), REQ)
    const key = expectRotated(w)
    expect(out).toMatchObject({
      rotated: true,
      newKeyId: key.id,
      old: { id: w.old.id, fate: 'deleted' },
      written: TARGETS,
      cleared: [],
      reason: { why: 'every-run' }
    })
    expect(w.iam.mutations()).toEqual([
      'TagUserCommand', // intent
      'CreateAccessKeyCommand',
      'TagUserCommand', // intent naming the new key
      'TagUserCommand', // published mark
      'UpdateAccessKeyCommand',
      'DeleteAccessKeyCommand',
      'UntagUserCommand'
    ])
    // What the log shows, in order, as the entry words each event; warnings marked.
    expect(w.lines).toEqual([
      'group: Plan: access keys of IAM user deploy',
      `${w.old.id} Active, created ${w.old.created.toISOString()} (${oldMark})`,
      'Rotating: every run rotates (max-age-days is 0)',
      'group: Read the public key of 2 target(s)',
      'group: Create access key',
      `Created ${key.id}`,
      'group: Verify the new key with STS',
      'Verified after 0 ms (1 attempt(s))',
      `${APP}: ${ID}, ${SECRET} written`,
      `${API}: ${ID}, ${SECRET} written`,
      `group: Retire the old key ${w.old.id}`,
      `Old key ${w.old.id} deleted`
    ])
    expect(w.events).toContainEqual({
      kind: 'decided',
      decision: 'rotate',
      reason: { why: 'every-run' }
    })
    // ID then secret, target after target
    expect(w.secrets.writes.map((x) => `${x.target} ${x.name}`)).toEqual([
      `${APP} ${ID}`,
      `${APP} ${SECRET}`,
      `${API} ${ID}`,
      `${API} ${SECRET}`
    ])
  })

  it('a write that lands while its answer is lost, on every retry: GitHub’s record shows it, and the rotation completes', async () => {
    const w = world()
    w.secrets.faults.push(
      { target: APP, name: ID, kind: 'lost' },
      { target: API, name: SECRET, kind: 'lost' }
    )
    const out = await rotate(w.deps(), REQ)
    expectRotated(w)
    expect(out.written).toEqual([APP, API])
    expect(out.old).toMatchObject({ id: w.old.id, fate: 'deleted' })
  })

  it('with a grace period, the old key stays Inactive and marked', async () => {
    const w = world()
    const out = await rotate(w.deps(), { ...REQ, gracePeriodDays: 7 })
    expect(out.old).toMatchObject({ fate: 'deactivated', deleteAfter: '2026-11-29' })
    expect(statuses(w)).toEqual([
      [w.old.id, 'Inactive'],
      [out.newKeyId, 'Active']
    ])
    expect(parseKeyMark(w.iam.tags[w.old.id]!)).toMatchObject({ state: 'deactivated' })
    expect(w.iam.tags[INTENT_TAG]).toBeUndefined()
  })

  it('a dry run changes nothing and says what it would do', async () => {
    const w = world()
    const out = await rotate(w.deps(), { ...REQ, dryRun: true })
    expect(w.iam.mutations()).toEqual([])
    expect(w.secrets.writes).toEqual([])
    expect(dryRun(out)).toContain(`deactivate ${w.old.id}, then delete it`)
    expect(w.lines).toContain(`Dry run: deactivate ${w.old.id}, then delete it`)
  })
})

interface FailureCase {
  /** The state the failure hits, and what fails. */
  name: string
  leftover?: boolean
  arrange(w: World): Partial<Deps> | void
  /** Phrases the message must hold; `OLD` and `NEW` stand for the key IDs. */
  says: string[]
  then(w: World, e: RotationError): void
}

/** The ID of the key this run created (deleted or not): the last one IAM issued. */
const createdId = (w: World): string | undefined =>
  w.iam.sent
    .filter((s) => s.name === 'DeleteAccessKeyCommand' || s.name === 'UpdateAccessKeyCommand')
    .map((s) => s.input.AccessKeyId as string)
    .find((id) => id !== w.old.id) ?? w.iam.keys.find((k) => k.id !== w.old.id)?.id

const nothingWritten = (w: World): void => {
  expect(w.secrets.writes).toEqual([])
  expectEverywhere(w, w.old)
}

const FAILURES: FailureCase[] = [
  {
    name: 'planned: deleting an Inactive leftover is refused',
    leftover: true,
    arrange: (w) => w.iam.inject({ command: 'DeleteAccessKeyCommand', kind: 'refused' }),
    says: [
      'AWS failed while finishing earlier runs and making room for a new key (AccessDenied:',
      'Allow the admin role the IAM actions',
      'No key was created. Run the workflow again'
    ],
    then: (w) => {
      expect(w.iam.keys.map((k) => k.status)).toEqual(['Inactive', 'Active'])
      expect(w.iam.mutations()).toEqual(['DeleteAccessKeyCommand'])
      expect(w.iam.tags[INTENT_TAG]).toBeUndefined()
      nothingWritten(w)
    }
  },
  {
    name: 'planned: writing the intent is throttled, after the leftover was deleted',
    leftover: true,
    arrange: (w) => w.iam.inject({ command: 'TagUserCommand', kind: 'throttled' }),
    says: ['(Throttling: Rate exceeded)', 'No key was created; deleted before: LEFT'],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(0)
    }
  },
  {
    name: 'leased: CreateAccessKey is refused',
    arrange: (w) => w.iam.inject({ command: 'CreateAccessKeyCommand', kind: 'refused' }),
    says: [
      'AWS failed while creating a new access key for deploy (AccessDenied:',
      'No new key was kept and no target was changed; OLD still works.',
      'Run the workflow again'
    ],
    then: (w, e) => {
      expectUnchanged(w, { intent: 'none' })
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(1)
      // Refused for good: no key, so the intent goes rather than being released.
      expect(e.aftermath).toMatchObject({
        at: 'leased',
        old: w.old.id,
        lease: { lease: 'cleared' }
      })
    }
  },
  {
    name: 'leased: CreateAccessKey is throttled (the SDK gave up)',
    arrange: (w) => w.iam.inject({ command: 'CreateAccessKeyCommand', kind: 'throttled' }),
    says: ['(Throttling: Rate exceeded)', 'No new key was kept', 'OLD still works.'],
    then: (w) => expectUnchanged(w, { intent: 'none' })
  },
  {
    name: 'leased: CreateAccessKey hits the key quota with no other key in sight (sent once)',
    arrange: (w) => w.iam.inject({ command: 'CreateAccessKeyCommand', kind: 'quota' }),
    says: ['IAM allows two access keys per user', 'No new key was kept', 'OLD still works.'],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(1)
    }
  },
  {
    name: 'leased: every CreateAccessKey answer is lost: each orphan is deleted, no key kept',
    arrange: (w) =>
      w.iam.inject(
        { command: 'CreateAccessKeyCommand', kind: 'lost' },
        { command: 'CreateAccessKeyCommand', kind: 'lost500' },
        { command: 'CreateAccessKeyCommand', kind: 'lost' }
      ),
    says: [
      'CreateAccessKey went 3 times without a definite answer',
      'No new key was kept and no target was changed; deleted before:',
      'OLD still works.'
    ],
    then: (w, e) => {
      expectUnchanged(w, { intent: 'released' })
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(3)
      expect(w.iam.count('DeleteAccessKeyCommand')).toBe(3)
      expect(e.outcome.cleared).toHaveLength(3)
      expect(e.outcome.newKeyId).toBeUndefined()
    }
  },
  {
    name: 'created: STS never accepts the new key',
    arrange: () => ({
      callerArn: () => Promise.reject(Object.assign(new Error('invalid'), { name: 'Invalid' }))
    }),
    says: [
      'Verification failed: the new key NEW was still refused by STS after 4 s and 5 attempts',
      'The new key NEW was deleted again. No target was changed; OLD still works.'
    ],
    then: (w, e) => {
      expectUnchanged(w, { intent: 'none' })
      nothingWritten(w)
      expect(e.outcome.newKeyId).toBeUndefined()
      expect(w.clock.now() - NOW).toBeGreaterThanOrEqual(4000)
      // The facts the message is said from: the new key deleted, the intent cleared.
      expect(e.aftermath).toEqual({
        at: 'created',
        user: 'deploy',
        cause: { kind: 'other', error: expect.any(Error) },
        cleared: [],
        key: createdId(w),
        old: w.old.id,
        undone: { newKey: 'deleted', lease: 'cleared' }
      })
    }
  },
  {
    name: 'created: STS says the key is someone else’s',
    arrange: () => ({ callerArn: () => Promise.resolve('arn:aws:iam::123456789012:user/other') }),
    says: [
      `Verification failed: the new key NEW authenticates as arn:aws:iam::123456789012:user/other, not as ${ARN}`,
      'The new key NEW was deleted again.'
    ],
    then: (w) => expectUnchanged(w, { intent: 'none' })
  },
  {
    name: 'created: naming the new key in the intent is refused',
    arrange: (w) => w.iam.inject({ command: 'TagUserCommand', nth: 2, kind: 'refused' }),
    says: ['(AccessDenied:', 'The new key NEW was deleted again. No target was changed'],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      nothingWritten(w)
    }
  },
  {
    name: 'created: cancelled while verifying',
    arrange: (w) => ({
      callerArn: onFirstCall(
        () => Promise.reject(new Error('not yet')),
        () => (w.cancel.now = true)
      )
    }),
    says: ['Cancelled while verifying', 'The new key NEW was deleted again.', 'OLD still works.'],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      nothingWritten(w)
    }
  },
  {
    name: 'verified: cancelled once the key verified, before any write',
    arrange: (w) => ({ callerArn: onFirstCall(fakeCallerArn(w.iam), () => (w.cancel.now = true)) }),
    says: [
      'Cancelled before writing any secret',
      'The new key NEW was deleted again. No target was changed.'
    ],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      nothingWritten(w)
    }
  },
  {
    name: 'publishing, every target refuses its first write: the key is deleted, no target holds it',
    arrange: (w) => {
      w.secrets.faults.push({ target: APP }, { target: API })
    },
    says: [
      'GitHub refused it for good at acme/app (GitHub denied writing secret AWS_ACCESS_KEY_ID for acme/app (403',
      'before anything was written there',
      'The new key NEW was deleted again. No target holds it; OLD still works.',
      'Give the token or App write access'
    ],
    then: (w) => {
      expectUnchanged(w, { intent: 'none' })
      expect(w.secrets.writes).toEqual([])
    }
  },
  {
    name: 'publishing, the first target refuses its first write: the others still get the key, both keys stay',
    arrange: (w) => {
      w.secrets.faults.push({ target: APP })
    },
    says: [
      'Both access keys stay Active and neither is deleted: acme/api holds the new key NEW, as GitHub confirmed; GitHub refused it for good at acme/app (',
      'that target keeps the old key OLD',
      'Make acme/app writable'
    ],
    then: (w, e) => {
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      expect(holds(w, APP)).toBe(w.old.id)
      expect(holds(w, API)).toBe(created)
      // What each target holds, recorded on the new key for the next run.
      expect(parseKeyMark(w.iam.tags[created]!)).toMatchObject({
        state: 'published',
        over: w.old.id,
        holders: ['refused', 'new'],
        targets: FP
      })
      expect(e.outcome.holders).toEqual({ refused: [APP], doubt: [], old: [] })
      expect(e.aftermath).toMatchObject({
        at: 'publishing',
        cause: { kind: 'not-everywhere' },
        key: created,
        old: w.old.id,
        tried: true,
        written: [API],
        refused: [
          {
            target: APP,
            why: {
              miss: 'refused',
              error: expect.objectContaining({ message: expect.stringContaining('GitHub denied') })
            }
          }
        ],
        doubt: [],
        holdOld: [],
        publication: { left: 'both', recorded: true, lease: { lease: 'released' } }
      })
      const [refused] = (e.aftermath as { refused: Missed[] }).refused
      expect(missWords(refused!.why)).toContain('GitHub denied')
    }
  },
  {
    name: 'publishing: a target refuses the secret; its ID is put back and the others get the key',
    arrange: (w) => {
      w.secrets.faults.push({ target: APP, name: SECRET })
    },
    says: [
      'GitHub refused it for good at acme/app (GitHub denied writing secret AWS_SECRET_ACCESS_KEY for acme/app',
      'acme/api holds the new key NEW'
    ],
    then: (w) => {
      expect(w.lines).toContain(`${APP}: ${ID} put back to ${w.old.id}, matching its secret`)
      expect(holds(w, APP)).toBe(w.old.id)
      expect(w.secrets.writes.map((x) => [x.target, x.name])).toEqual([
        [APP, ID],
        [APP, ID],
        [API, ID],
        [API, SECRET]
      ])
    }
  },
  {
    name: 'publishing, 1 of 2 written: the second target refuses',
    arrange: (w) => {
      w.secrets.faults.push({ target: API })
    },
    says: [
      'GitHub denied writing secret AWS_ACCESS_KEY_ID for acme/api',
      'Both access keys stay Active and neither is deleted: acme/app holds the new key NEW, as GitHub confirmed; GitHub refused it for good at acme/api'
    ],
    then: (w, e) => {
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      expect(holds(w, APP)).toBe(created)
      expect(holds(w, API)).toBe(w.old.id)
      const intent = intentOf(w)!
      expect(intent.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
      expect(intent).toMatchObject({ before: [w.old.id], created })
      expect(parseKeyMark(w.iam.tags[created]!)).toMatchObject({ holders: ['new', 'refused'] })
      expect(e.outcome).toMatchObject({ written: [APP], newKeyId: created })
    }
  },
  {
    name: 'publishing: no answer and GitHub shows nothing, twice: in doubt, neither key deleted, recorded',
    arrange: (w) => {
      w.secrets.faults.push(
        { target: API, name: SECRET, kind: 'unanswered' },
        { target: API, name: SECRET, kind: 'unanswered' }
      )
    },
    says: [
      'acme/app holds the new key NEW, as GitHub confirmed',
      'acme/api (GitHub failed while writing secret AWS_SECRET_ACCESS_KEY for acme/api (no response: timed out)',
      'may hold a mixed pair of the two keys until the next run reads GitHub',
      'Run the workflow again (due or not'
    ],
    then: (w, e) => {
      expect(e.message).not.toMatch(/deleted again|No target holds/)
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      // The ID landed, the secret did not: a mixed pair the next run repairs.
      expect(holds(w, API)).toBe(created)
      expect(parseKeyMark(w.iam.tags[created]!)).toMatchObject({ holders: ['new', 'doubt'] })
      expect(e.outcome.holders).toEqual({ refused: [], doubt: [API], old: [] })
    }
  },
  {
    name: 'publishing, all written: marking the key published is refused',
    arrange: (w) => w.iam.inject({ command: 'TagUserCommand', nth: 3, kind: 'refused' }),
    says: [
      'recording that NEW reached every target (AccessDenied:',
      'Every target holds the new key NEW, as GitHub confirmed, and both keys stay Active',
      'only the mark saying so failed'
    ],
    then: (w, e) => {
      expect(e.message).not.toMatch(/still hold/)
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      expect(intentOf(w)!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
    }
  },
  {
    name: 'draining: the runner cancels while a deploy still holds the old key',
    arrange: (w) => {
      const runs = new FakeRuns(w.clock, w.iam)
      runs.add(APP, 7, w.old.id, NOW + 3_600_000)
      const { api } = runs
      runs.api = {
        ...api,
        running: (r) => ((w.cancel.now = true), api.running(r))
      }
      return { runs: runs.api }
    },
    says: [
      'Cancelled while waiting for workflow runs that may sign with OLD',
      'The new key NEW is verified and in every target; OLD stays Active, because acme/app run 7 may still sign with it',
      'it retires OLD once those runs have ended, without writing any target'
    ],
    then: (w, e) => {
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      expect(parseKeyMark(w.iam.tags[created]!)).toMatchObject({
        state: 'published',
        over: w.old.id
      })
      expect(intentOf(w)).toMatchObject({ released: true })
      expect(e.outcome.inFlight).toMatchObject({ fate: 'held', runs: [{ repo: APP, id: 7 }] })
      expect(e.aftermath).toMatchObject({
        at: 'draining',
        cause: { kind: 'cancelled' },
        key: created,
        old: w.old.id,
        lease: { lease: 'released' },
        runs: [{ repo: APP, id: 7 }]
      })
    }
  },
  {
    name: 'published: deactivating the old key is refused',
    arrange: (w) => w.iam.inject({ command: 'UpdateAccessKeyCommand', kind: 'refused' }),
    says: [
      'AWS failed while retiring the old key OLD (AccessDenied:',
      "The new key NEW is verified and in every target; only the old key's clean-up failed.",
      'Run the workflow again: it finishes the clean-up.'
    ],
    then: (w, e) => {
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [created, 'Active']
      ])
      expect(parseKeyMark(w.iam.tags[created]!)).toMatchObject({ state: 'published' })
      expect(intentOf(w)!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
      expectEverywhere(w, w.iam.keys[1]!)
      expect(e.aftermath).toMatchObject({
        at: 'published',
        key: created,
        old: w.old.id,
        lease: { lease: 'released' },
        retiring: { id: w.old.id, fate: 'kept' },
        deletesInactive: true
      })
    }
  },
  {
    name: 'published: deleting the old key acts but its answer is lost',
    arrange: (w) => w.iam.inject({ command: 'DeleteAccessKeyCommand', kind: 'lost' }),
    says: ['(TimeoutError: socket hang up)', "only the old key's clean-up failed"],
    then: (w) => {
      expect(w.iam.keys).toHaveLength(1)
      expectEverywhere(w, w.iam.keys[0]!)
    }
  },
  {
    name: 'published: deleting the old key is refused while its mark goes beside it',
    arrange: (w) => w.iam.inject({ command: 'DeleteAccessKeyCommand', kind: 'refused' }),
    says: [
      'AWS failed while retiring the old key OLD (AccessDenied:',
      "only the old key's clean-up failed",
      'OLD is Inactive, so nothing can sign with it: the next rotation deletes it to make room',
      "'aws iam delete-access-key --user-name deploy --access-key-id OLD'"
    ],
    then: (w) => {
      const created = createdId(w)!
      expect(statuses(w)).toEqual([
        [w.old.id, 'Inactive'],
        [created, 'Active']
      ])
      // Sent side by side: the mark was removed although the delete failed.
      const sent = w.iam.sent.map((c) => c.name)
      expect(sent.slice(sent.indexOf('DeleteAccessKeyCommand'))).toEqual([
        'DeleteAccessKeyCommand',
        'UntagUserCommand',
        'TagUserCommand' // the lease released
      ])
      expect(w.iam.tags[w.old.id]).toBeUndefined()
      expect(intentOf(w)!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
      expectEverywhere(w, w.iam.keys[1]!)
    }
  },
  {
    name: 'published: removing the marks is refused after the old key was deleted',
    arrange: (w) => w.iam.inject({ command: 'UntagUserCommand', kind: 'refused' }),
    says: ['(AccessDenied:', 'OLD is deleted; the next run clears its mark.'],
    then: (w) => {
      expect(w.iam.keys).toHaveLength(1)
      expect(w.iam.tags[w.old.id]).toBeDefined()
      expectEverywhere(w, w.iam.keys[0]!)
    }
  },
  {
    name: 'published: cancelled once every target holds the new key',
    arrange: (w) =>
      w.iam.inject({
        command: 'TagUserCommand',
        nth: 3,
        kind: 'none',
        before: () => (w.cancel.now = true)
      }),
    says: [
      'Cancelled after the new key reached every target; OLD was not retired yet.',
      'Run the workflow again: it finishes the clean-up.'
    ],
    then: (w) => {
      expect(w.iam.keys.map((k) => k.status)).toEqual(['Active', 'Active'])
      expectEverywhere(w, w.iam.keys[1]!)
    }
  }
]

describe('rotate: a failure in each state', () => {
  it('has a case for every state a failure can hit', () => {
    const hit = new Set(FAILURES.map((c) => c.name.split(/[:,]/)[0]))
    expect(STATES.filter((s) => !hit.has(s))).toEqual(['retired', 'held'])
  })

  it.each(FAILURES.map((c) => [c.name, c] as const))('%s', async (_, c) => {
    const w = world({ leftover: c.leftover })
    const over = c.arrange(w) ?? {}
    const e = await failure(rotate(w.deps(over), REQ))
    const NEW = createdId(w) ?? '(no new key)'
    for (const phrase of c.says) {
      const expected = phrase
        .replaceAll('OLD', w.old.id)
        .replaceAll('NEW', NEW)
        .replaceAll('LEFT', 'AKIALEFT')
      expect(e.message).toContain(expected)
    }
    c.then(w, e)
  })
})

describe('rotate: the next run after a retirement that stopped halfway', () => {
  it.each([
    ['the delete was refused (the mark went)', 'DeleteAccessKeyCommand'],
    ['removing the marks was refused (the key went)', 'UntagUserCommand']
  ])('%s: the next rotation finishes it', async (_, command) => {
    const w = world()
    w.iam.inject({ command, kind: 'refused' })
    await failure(rotate(w.deps(), REQ))
    const first = w.iam.keys.find((k) => k.id !== w.old.id)!
    await rotate(w.deps(), REQ)
    const key = expectRotated(w)
    expect(w.iam.keys.map((k) => k.id)).toEqual([key.id])
    expect(w.iam.count('DeleteAccessKeyCommand')).toBe(command === 'DeleteAccessKeyCommand' ? 3 : 2)
    // No mark of a deleted key is left behind, and the user's tags hold only the new key's.
    expect(Object.keys(w.iam.tags)).toEqual([key.id])
    expect(first.id).not.toBe(key.id)
  })
})

describe('rotate: CreateAccessKey', () => {
  it.each(['lost', 'lost500'] as const)(
    'an answer %s once: the orphan is deleted, the next create succeeds',
    async (kind) => {
      const w = world()
      w.iam.inject({ command: 'CreateAccessKeyCommand', kind })
      const out = await rotate(w.deps(), REQ)
      const key = expectRotated(w)
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(2)
      expect(out.cleared).toHaveLength(1)
      expect(out.cleared[0]).not.toBe(key.id)
      expect(w.lines.join('\n')).toContain(
        `IAM created ${out.cleared[0]} but its answer was lost, so its secret was never seen: deleted it`
      )
    }
  )

  it.each([
    ['without touching the intent', false],
    ['and took over the intent', true],
    ['took over the intent and already cleared it', 'cleared']
  ] as const)(
    'LimitExceeded because another run created a key %s: back off, delete nothing of theirs',
    async (_, takesIntent) => {
      const w = world()
      let theirs: FakeKey | undefined
      let theirIntent: string | undefined
      w.iam.inject({
        command: 'CreateAccessKeyCommand',
        kind: 'none',
        before: (iam) => {
          theirs = iam.addKey({ prefix: 'THEIRS' })
          if (takesIntent) {
            theirIntent = formatIntent({
              at: new Date(NOW),
              lease: new Date(NOW + 600_000),
              before: [w.old.id],
              run: { id: '200', attempt: 1 },
              workflow: WORKFLOW
            })
            iam.tags[INTENT_TAG] = theirIntent
          }
          // The other run finished first: its intent, which replaced this run's, is gone too.
          if (takesIntent === 'cleared') delete iam.tags[INTENT_TAG]
        }
      })
      const e = await failure(rotate(w.deps(), REQ))
      expect(e.message).toContain(
        takesIntent === 'cleared'
          ? `another run took over IAM user deploy while this run was creating a key: IAM refused this run's key for its two-key limit, lists ${theirs!.id}`
          : takesIntent
            ? `another run took over IAM user deploy while this run was creating a key (keys it did not see before: ${theirs!.id})`
            : `another run created ${theirs!.id} for IAM user deploy at the same time`
      )
      expect(e.message).toContain('Another run is rotating this user')
      expect(e.message).toContain(`${w.old.id} still works`)
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [theirs!.id, 'Active']
      ])
      expect(w.iam.count('CreateAccessKeyCommand')).toBe(1)
      expect(w.iam.count('DeleteAccessKeyCommand')).toBe(0)
      if (takesIntent === true) expect(w.iam.tags[INTENT_TAG]).toBe(theirIntent)
      if (takesIntent === 'cleared') expect(w.iam.tags[INTENT_TAG]).toBeUndefined()
      nothingWritten(w)
    }
  )
})

describe('rotate: nothing changes before the plan allows it', () => {
  it('a live lease of another run: busy', async () => {
    const w = world()
    const intent: Intent = {
      at: new Date(NOW - 30_000),
      lease: new Date(NOW + 120_000),
      before: [w.old.id],
      run: { id: '99', attempt: 1 },
      workflow: WORKFLOW
    }
    w.iam.tags[INTENT_TAG] = formatIntent(intent)
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain(
      `IAM user deploy is being rotated by run 99 (attempt 1) of ${WORKFLOW}, which started at ${intent.at.toISOString()} and holds it until ${intent.lease.toISOString()}. Nothing was changed.`
    )
    expect(w.iam.mutations()).toEqual([])
    nothingWritten(w)
  })

  it('a live lease whose run GitHub says ended is taken over', async () => {
    const w = world()
    w.iam.tags[INTENT_TAG] = formatIntent({
      at: new Date(NOW - 30_000),
      lease: new Date(NOW + 120_000),
      before: [w.old.id],
      run: { id: '99', attempt: 1 }
    })
    const runEnded = jest.fn((i: Intent) => Promise.resolve(i.run?.id === '99'))
    await rotate(w.deps({ runEnded }), REQ)
    expect(runEnded).toHaveBeenCalledTimes(1)
    expectRotated(w)
  })

  it('a lease that ran out while GitHub says its run is still in progress: busy, its key not taken for lost', async () => {
    const w = world()
    const at = NOW - 600_000
    const lost = w.iam.addKey({ prefix: 'LOST', created: new Date(at + 1000) })
    w.iam.tags[INTENT_TAG] = formatIntent({
      at: new Date(at),
      lease: new Date(NOW - 60_000),
      before: [w.old.id],
      run: { id: '99', attempt: 1 },
      workflow: WORKFLOW
    })
    const e = await failure(rotate(w.deps({ runEnded: () => Promise.resolve(false) }), REQ))
    expect(e.message).toContain('whose lease ran out at')
    expect(e.message).toContain('GitHub says the run is still in progress')
    expect(w.iam.mutations()).toEqual([])
    expect(statuses(w)).toEqual([
      [w.old.id, 'Active'],
      [lost.id, 'Active']
    ])
    // GitHub cannot tell (no 'Actions: Read'): the lease is over, the key is recovered.
    await rotate(w.deps({ runEnded: () => Promise.resolve(undefined) }), REQ)
    expectRotated(w)
  })

  it('a released lease is taken over at once, without asking GitHub', async () => {
    const w = world()
    w.iam.tags[INTENT_TAG] = formatIntent({
      at: new Date(NOW - 600_000),
      lease: new Date(NOW - 60_000),
      released: true,
      before: [w.old.id],
      run: { id: '99', attempt: 1 },
      workflow: WORKFLOW
    })
    const runEnded = jest.fn(() => Promise.resolve(false))
    await rotate(w.deps({ runEnded }), REQ)
    expect(runEnded).not.toHaveBeenCalled()
    expectRotated(w)
  })

  it('48 tags of the user’s own: refused before any change', async () => {
    const w = world()
    for (let i = 0; i < 48; i++) w.iam.tags[`team-${i}`] = `value ${i}`
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain(
      'IAM user deploy has 48 tags of its own; IAM allows 50 per user and the action needs 3 for its marks (it has 2). Nothing was changed. Remove 1 tag(s)'
    )
    expect(w.iam.mutations()).toEqual([])
    expect(w.iam.sent.map((s) => s.name).sort()).toEqual([
      'GetUserCommand',
      'ListAccessKeysCommand'
    ])
    nothingWritten(w)
  })

  it('the tag quota filled meanwhile: TagUser is sent once, and the message says what to do', async () => {
    const w = world()
    for (let i = 0; i < 46; i++) w.iam.tags[`team-${i}`] = `value ${i}`
    w.iam.inject({
      command: 'TagUserCommand',
      kind: 'none',
      before: (iam) => {
        for (let i = 46; i < 49; i++) iam.tags[`team-${i}`] = `value ${i}`
      }
    })
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain('Cannot exceed quota for TagsPerUser: 50')
    expect(e.message).toContain('IAM allows 50 tags per user and the action needs 3 of them')
    expect(e.message).toContain('No key was created')
    expect(w.iam.count('TagUserCommand')).toBe(1)
    expect(w.iam.count('CreateAccessKeyCommand')).toBe(0)
  })

  it('cancelled before the run starts: nothing changed', async () => {
    const w = world()
    w.cancel.now = true
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toBe('Cancelled before any change; nothing was changed.')
    expect(w.iam.mutations()).toEqual([])
  })

  it('cancelled while making room: stops before creating a key', async () => {
    const w = world({ leftover: true })
    w.iam.inject({
      command: 'DeleteAccessKeyCommand',
      kind: 'none',
      before: () => (w.cancel.now = true)
    })
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain('Cancelled before creating a key')
    expect(e.message).toMatch(/No key was created; deleted before: AKIALEFT\d+\./)
    expectUnchanged(w, { intent: 'none' })
    expect(w.iam.count('CreateAccessKeyCommand')).toBe(0)
  })
})

describe('rotate: the next run completes what a failed one left', () => {
  it('a target refused for good: the next runs keep both keys while it still refuses, and finish once it takes writes', async () => {
    const w = world()
    w.secrets.faults.push({ target: API })
    await failure(rotate(w.deps(), REQ))
    const unfinished = w.iam.keys[1]!
    w.clock.t += 60_000

    // Not due, and due: acme/api still refuses, so no key is taken from it or from acme/app.
    for (const req of [{ ...REQ, maxAgeDays: 365 }, REQ]) {
      w.secrets.faults.push({ target: API, name: ID })
      const writes = w.secrets.writes.length
      const e = await failure(rotate(w.deps({ attempt: 2 }), req))
      expect(e.message).toContain(
        `${API} refused the key ${unfinished.id} for good when an earlier run wrote it, and holds ${w.old.id}; ${APP} holds ${unfinished.id}. Both keys stay Active`
      )
      expect(e.message).toContain('Make acme/api writable')
      expect(e.message).not.toMatch(/Run the workflow again \(a re-run/)
      expect(statuses(w)).toEqual([
        [w.old.id, 'Active'],
        [unfinished.id, 'Active']
      ])
      expect(w.secrets.writes).toHaveLength(writes)
    }

    // A person made acme/api writable: the next run sees it take writes, and finishes.
    const out = await rotate(w.deps({ attempt: 3 }), { ...REQ, maxAgeDays: 365 })
    expect(w.lines).toContain(`${API} takes writes again: ${ID} rewritten as ${w.old.id}`)
    const key = expectRotated(w, { run: { id: '100', attempt: 3 } })
    expect(key.id).not.toBe(unfinished.id)
    // acme/app held the key given up: it is written first.
    expect(out.recovery).toMatchObject({
      lostKey: unfinished.id,
      deleted: unfinished.id,
      affected: [{ target: APP, windowMs: expect.any(Number) }]
    })
    expect(out.old).toMatchObject({ id: w.old.id, fate: 'deleted' })
  })

  it('a target that still refuses, and a person says go (force): the key acme/app holds is given up, acme/api keeps the old one', async () => {
    const w = world()
    w.secrets.faults.push({ target: API })
    await failure(rotate(w.deps(), REQ))
    const unfinished = w.iam.keys[1]!
    w.clock.t += 60_000
    w.secrets.faults.push({ target: API, name: ID }, { target: API, name: ID })
    const e = await failure(rotate(w.deps({ attempt: 2 }), { ...REQ, force: true }))
    expect(e.message).toContain('GitHub refused it for good at acme/api')
    const fresh = w.iam.keys.find((k) => k.id !== w.old.id)!
    expect(fresh.id).not.toBe(unfinished.id)
    expect(statuses(w)).toEqual([
      [w.old.id, 'Active'],
      [fresh.id, 'Active']
    ])
    expect(holds(w, APP)).toBe(fresh.id)
    expect(holds(w, API)).toBe(w.old.id)
  })

  it('a target in doubt: the next run, not due, reads GitHub’s record, repairs it and finishes', async () => {
    const w = world()
    w.secrets.faults.push(
      { target: API, name: SECRET, kind: 'unanswered' },
      { target: API, name: SECRET, kind: 'unanswered' }
    )
    await failure(rotate(w.deps(), REQ))
    const unfinished = w.iam.keys[1]!
    w.clock.t += 60_000

    const out = await rotate(w.deps({ attempt: 2 }), { ...REQ, maxAgeDays: 365 })
    // acme/api's ID landed, its secret did not: the old ID goes back beside the old secret.
    expect(w.lines).toContain(`${API}: ${ID} put back to ${w.old.id}, matching its secret`)
    expect(out.recovery).toMatchObject({ deleted: unfinished.id, affected: [{ target: APP }] })
    expectRotated(w, { run: { id: '100', attempt: 2 } })
  })

  it('the old key not retired: a run that is not due retires it and forgets the intent', async () => {
    const w = world()
    w.iam.inject({ command: 'UpdateAccessKeyCommand', kind: 'refused' })
    await failure(rotate(w.deps(), REQ))
    w.clock.t += 60_000

    const out = await rotate(w.deps({ attempt: 2 }), { ...REQ, maxAgeDays: 90 })
    expect(out.rotated).toBe(false)
    expect(out.finished).toEqual({ retired: w.old.id })
    // the key of the first attempt stays, published by it
    expectRotated(w)
  })

  it('the old key not retired: a run that rotates retires it first', async () => {
    const w = world()
    w.iam.inject({ command: 'UpdateAccessKeyCommand', kind: 'refused' })
    await failure(rotate(w.deps(), REQ))
    w.clock.t += 60_000

    await rotate(w.deps({ attempt: 2 }), REQ)
    expectRotated(w, { run: { id: '100', attempt: 2 } })
  })
})

describe('rotate: a key lost by a killed run', () => {
  /** A run of this workflow announced a key, created it, wrote it to `holders`, and was killed. */
  function killed(holders: string[]): { w: World; lost: FakeKey; intent: Intent } {
    const w = world()
    const at = NOW - 3600_000
    const intent: Intent = {
      at: new Date(at),
      lease: new Date(at + 300_000),
      before: [w.old.id],
      run: { id: '77', attempt: 1 },
      workflow: WORKFLOW
    }
    w.iam.tags[INTENT_TAG] = formatIntent(intent)
    const lost = w.iam.addKey({ prefix: 'LOST', created: new Date(at + 1000) })
    for (const t of holders) {
      w.secrets.seed(t, ID, lost.id, at + 5000)
      w.secrets.seed(t, SECRET, lost.secret, at + 5000)
    }
    return { w, lost, intent }
  }

  it('one target holds it: the lost key is deleted, that target is written first', async () => {
    const { w, lost } = killed([API])
    const out = await rotate(w.deps(), REQ)
    expect(out.reason).toEqual({ why: 'lost', key: lost.id, reached: false })
    expect(w.lines).toContain(`group: Recover ${lost.id}, whose secret an ended run lost`)
    expect(w.lines).toContain(`${API} holds ${lost.id}; ${APP} holds ${w.old.id}`)
    expect(w.events).toContainEqual({
      kind: 'holders',
      newer: [API],
      lost: lost.id,
      older: [APP],
      current: w.old.id
    })
    expect(out.recovery).toEqual({
      lostKey: lost.id,
      deleted: lost.id,
      affected: [{ target: API, windowMs: expect.any(Number) }]
    })
    expect(w.secrets.writes[0]).toMatchObject({ target: API, name: ID })
    expect(out.old).toMatchObject({ id: w.old.id, fate: 'deleted' })
    expectRotated(w)
  })

  it('a recovery left a target without a working key, then failed: the next run rewrites every target, due or not', async () => {
    const { w, lost } = killed([API])
    const never = (): Promise<string> => Promise.reject(new Error('not yet'))
    const e = await failure(rotate(w.deps({ callerArn: never }), REQ))
    expect(e.message).toContain('Verification failed')
    // acme/api holds the deleted lost key: broken until a run writes it again.
    expect(holds(w, API)).toBe(lost.id)
    expect(intentOf(w)).toMatchObject({ rewrite: true })
    expect(intentOf(w)!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
    const next = await rotate(w.deps({ attempt: 2 }), { ...REQ, maxAgeDays: 365 })
    expect(next.reason).toEqual({ why: 'rewrite' })
    expectRotated(w, { run: { id: '100', attempt: 2 } })
  })

  it('no target holds it: deleted, no window', async () => {
    const { w, lost } = killed([])
    const out = await rotate(w.deps(), REQ)
    expect(out.recovery).toEqual({ lostKey: lost.id, deleted: lost.id, affected: [] })
    expect(w.secrets.writes[0]).toMatchObject({ target: APP })
    expectRotated(w)
  })

  it('every target holds it: the old key is the one deleted, and the lost one retired', async () => {
    const { w, lost } = killed([APP, API])
    const out = await rotate(w.deps(), REQ)
    expect(out.recovery).toEqual({ lostKey: lost.id, deleted: w.old.id, affected: [] })
    expect(out.old).toMatchObject({ id: lost.id, fate: 'deleted' })
    expectRotated(w)
  })

  it('a target with only the lost key’s ID written gets the old ID back', async () => {
    const { w, lost } = killed([])
    w.secrets.seed(APP, ID, lost.id, NOW - 3000_000)
    const out = await rotate(w.deps(), REQ)
    expect(w.lines).toContain(`${APP}: ${ID} put back to ${w.old.id}, matching its secret`)
    expect(out.recovery).toMatchObject({ deleted: lost.id, affected: [] })
    expectRotated(w)
  })
})

describe('rotate: the lease over a long publication', () => {
  it('covers the planned work, is renewed while writes run long, and never lapses mid-publication', async () => {
    const w = world()
    const write = w.secrets.write.bind(w.secrets)
    const left: number[] = []
    // Each write takes a minute, far beyond the 5 s the lease planned per write.
    w.secrets.write = async (p, name, value) => {
      left.push(intentOf(w)!.lease.getTime() - w.clock.now())
      w.clock.t += 60_000
      return write(p, name, value)
    }
    await rotate(w.deps(), REQ)
    expectRotated(w)
    expect(left).toHaveLength(4)
    // At every write another run planning now would find the lease live.
    for (const ms of left) expect(ms).toBeGreaterThan(0)
    const intents = w.iam.sent.filter(
      (c) =>
        c.name === 'TagUserCommand' &&
        (c.input.Tags as { Key: string }[]).some((t) => t.Key === INTENT_TAG)
    )
    // The intent, the intent naming the new key, then at least one renewal during publication.
    expect(intents.length).toBeGreaterThanOrEqual(3)
  })

  it('sizes the first lease from the verification timeout and every planned write', async () => {
    const w = world()
    let first: Intent | undefined
    w.iam.faults.push({
      command: 'CreateAccessKeyCommand',
      kind: 'none',
      before: () => (first = intentOf(w))
    })
    await rotate(w.deps(), REQ)
    const span = first!.lease.getTime() - first!.at.getTime()
    expect(span).toBeGreaterThanOrEqual(REQ.verifyTimeoutMs + TARGETS.length * 2 * 5000)
  })
})

describe('rotate: rate limits while publishing', () => {
  /** Writes refused for a rate limit `times` times, from the `from`th write on. */
  function limited(w: World, times: number, waitMs: number, from = 1): void {
    const write = w.secrets.write.bind(w.secrets)
    let n = 0
    w.secrets.write = (p, name, value) => {
      n += 1
      if (n >= from && times > 0) {
        times -= 1
        return Promise.reject(secondaryLimit(name, waitMs))
      }
      return write(p, name, value)
    }
  }

  it('waits as long as GitHub asks, the lease kept over the wait, and finishes', async () => {
    const w = world()
    limited(w, 2, 3_600_000, 2)
    const leases: number[] = []
    const sleep = w.clock.sleep
    w.clock.sleep = (ms) => {
      leases.push(intentOf(w)!.lease.getTime() - (w.clock.now() + ms))
      return sleep(ms)
    }
    const out = await rotate(w.deps(), REQ)
    expectRotated(w)
    expect(out.rateLimitWaitMs).toBe(7_200_000)
    // Each wait ends with the lease still live: no other run takes the user over meanwhile.
    expect(leases.filter((ms) => ms > 0)).toHaveLength(leases.length)
    expect(w.lines.join('\n')).toContain('Waiting 3600 s as GitHub asks')
  })

  it('stops when the waits would outlast a job, both keys Active and the lease released', async () => {
    const w = world()
    limited(w, 10, 3 * 3_600_000, 3)
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain(
      'GitHub rate-limited writing secret AWS_ACCESS_KEY_ID for acme/app (403: You have exceeded a secondary rate limit)'
    )
    expect(e.message).toContain('Both access keys stay Active')
    expect(statuses(w).map(([, s]) => s)).toEqual(['Active', 'Active'])
    expect(intentOf(w)!.lease.getTime()).toBeLessThanOrEqual(w.clock.now())
  })
})

describe('rotate: IAM reads that lag its writes', () => {
  it('a listing that does not show the new key yet proves nothing: read again until it does', async () => {
    const w = world()
    const send = w.iam.send.bind(w.iam)
    let lists = 0
    w.iam.send = async (command) => {
      const answer = await send(command)
      if (command.constructor.name !== 'ListAccessKeysCommand' || ++lists !== 2) return answer
      // The first listing after CreateAccessKey is as IAM was before it.
      const { AccessKeyMetadata } = answer as { AccessKeyMetadata: { AccessKeyId: string }[] }
      return { AccessKeyMetadata: AccessKeyMetadata.filter((k) => k.AccessKeyId === w.old.id) }
    }
    await rotate(w.deps(), REQ)
    expect(lists).toBe(3)
    expectRotated(w)
  })

  it('after a lost CreateAccessKey answer, an intent IAM does not show yet is read again, never taken for another run', async () => {
    const w = world()
    w.iam.inject({ command: 'CreateAccessKeyCommand', kind: 'lost' })
    const send = w.iam.send.bind(w.iam)
    let users = 0
    w.iam.send = async (command) => {
      const answer = await send(command)
      if (command.constructor.name !== 'GetUserCommand' || ++users !== 2) return answer
      const { User } = answer as { User: { Tags: { Key: string }[] } }
      return { User: { ...User, Tags: User.Tags.filter((t) => t.Key !== INTENT_TAG) } }
    }
    await rotate(w.deps(), REQ)
    expect(users).toBe(3)
    expect(w.lines.join('\n')).not.toContain('another run took over')
    expectRotated(w)
  })

  it('the key the run planned to retire is gone by the first listing after the create: the plan was stale, nothing published', async () => {
    const w = world()
    w.iam.inject({
      command: 'ListAccessKeysCommand',
      nth: 2,
      kind: 'none',
      before: (iam) => {
        iam.keys = iam.keys.filter((k) => k.id !== w.old.id)
      }
    })
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain(
      `IAM no longer lists ${w.old.id}, the key this run planned to retire`
    )
    expect(w.iam.keys).toEqual([])
    expect(intentOf(w)).toBeUndefined()
    expect(w.secrets.writes).toEqual([])
  })

  it('the old key gone when the run retires it: a fresh listing, and a key nobody planned for left alone and named', async () => {
    const w = world()
    w.iam.inject({
      command: 'UpdateAccessKeyCommand',
      kind: 'none',
      before: (iam) => {
        iam.keys = iam.keys.filter((k) => k.id !== w.old.id)
        iam.addKey({ prefix: 'HAND' })
      }
    })
    const out = await rotate(w.deps(), REQ)
    const hand = w.iam.keys.find((k) => k.id.startsWith('AKIAHAND'))!
    expect(out.stranger).toMatchObject({ id: hand.id })
    expect(w.lines.join('\n')).toContain(`${w.old.id} no longer exists; ${hand.id} is Active`)
    expect(hand.status).toBe('Active')
  })

  /** From the second listing on, a key created before the run announced itself; `retired`: the old key gone too. */
  function stalePlan(w: ReturnType<typeof world>, retired: boolean): void {
    w.iam.inject({
      command: 'ListAccessKeysCommand',
      nth: 2,
      kind: 'none',
      before: (iam) => {
        if (retired) iam.keys = iam.keys.filter((k) => k.id !== w.old.id)
        iam.keys.push({
          id: 'AKIAUNSEEN0000000001',
          secret: 'unseen',
          status: 'Active',
          created: new Date(NOW - 5000)
        })
      }
    })
  }

  it('a key the stale plan did not show, created before the run announced itself: the run deletes its own key and says why', async () => {
    const w = world()
    // Listed only from the second listing on: the plan read IAM as it was seconds earlier.
    stalePlan(w, false)
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain('which the listing this run planned from did not show')
    expect(e.message).toContain('Run the workflow again: it plans from a fresh read.')
    expect(e.message).toContain(`${w.old.id} still works`)
    expect(e.message).not.toContain('Another run is rotating')
    expect(w.iam.keys.map((k) => k.id)).toEqual([w.old.id, 'AKIAUNSEEN0000000001'])
    expect(intentOf(w)).toBeUndefined()
    nothingWritten(w)
  })

  it('a run that came first rotated the user between the plan and the create: stale, and the retired key is not said to work', async () => {
    const w = world()
    // Another run's key in, the old key it retired out.
    stalePlan(w, true)
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain(
      `and no longer lists ${w.old.id}, the key this run planned to retire`
    )
    expect(e.message).toContain('another run rotated the user first')
    expect(e.message).not.toContain(`${w.old.id} still works`)
    expect(w.iam.keys.map((k) => k.id)).toEqual(['AKIAUNSEEN0000000001'])
    expect(intentOf(w)).toBeUndefined()
    nothingWritten(w)
  })
})

describe('rotate: the lease and cancellation while writing', () => {
  it('a renewal that fails with too little lease left for the next write: stops between targets, lease released', async () => {
    const w = world()
    // Verification took long: the lease no longer covers the writes, and renewing it is refused.
    const callerArn: CallerArn = (key) => {
      w.clock.t += 150_000
      return fakeCallerArn(w.iam)(key)
    }
    w.iam.inject({ command: 'TagUserCommand', nth: 3, kind: 'refused' })
    const e = await failure(rotate(w.deps({ callerArn, writeWorstMs: 60_000 }), REQ))
    expect(e.message).toContain('could not be renewed and runs out at')
    expect(e.message).toContain('the run stopped between two targets')
    // Nothing was written, so nothing holds the new key: it is deleted again.
    expect(e.message).toContain('No target holds it')
    expect(w.secrets.writes).toEqual([])
    expectUnchanged(w, { intent: 'none' })
  })

  it('the first lease covers a write at its worst beside the planned ones', async () => {
    const w = world()
    let lease = 0
    w.iam.inject({
      command: 'CreateAccessKeyCommand',
      kind: 'none',
      before: () => (lease = intentOf(w)!.lease.getTime() - NOW)
    })
    await rotate(w.deps({ writeWorstMs: 300_000 }), REQ)
    expect(lease).toBe(5000 + 4 * 5000 + 300_000 + 120_000)
  })

  it('cancelled while waiting out a rate limit: the wait ends, both keys stay, the lease is released', async () => {
    const w = world()
    const write = w.secrets.write.bind(w.secrets)
    let n = 0
    w.secrets.write = (p, name, value) =>
      ++n === 3 ? Promise.reject(secondaryLimit(name, 600_000)) : write(p, name, value)
    // The runner's SIGINT arrives during the wait: the clock's sleep ends at once.
    w.clock.sleep = () => {
      w.cancel.now = true
      return Promise.resolve()
    }
    const e = await failure(rotate(w.deps(), REQ))
    expect(e.message).toContain("Cancelled while waiting for GitHub's rate limit")
    expect(e.message).toContain('acme/app holds the new key')
    expect(statuses(w).map(([, s]) => s)).toEqual(['Active', 'Active'])
    expect(intentOf(w)).toMatchObject({ released: true })
  })
})

describe("rotate: GitHub's hourly budget", () => {
  it('a user whose writes do not fit is refused before any change', async () => {
    const w = world()
    const targets = Array.from({ length: 251 }, (_, i) => ({
      kind: 'repository' as const,
      owner: 'acme',
      repo: `r${i}`
    }))
    const refusal = budget([{ targets }], 'token')
    if (refusal.fits) throw new Error('251 repositories fit')
    const e = await failure(rotate(w.deps({ takeWrites: () => refusal.refusal }), REQ))
    expect(e.message).toBe(budgetWords(refusal.refusal))
    expect(e.message).toContain(
      '502 secret writes as the token (at least 1 h 1 s): more than the 500 writes GitHub allows'
    )
    expect(w.iam.mutations()).toEqual([])
    expect(w.secrets.writes).toEqual([])
  })

  it('a user that is not due takes nothing from the budget', async () => {
    const w = world()
    const taken: number[] = []
    await rotate(w.deps({ takeWrites: (targets) => (taken.push(targets.length), undefined) }), {
      ...REQ,
      maxAgeDays: 365
    })
    expect(taken).toEqual([])
  })
})

describe('rotate: workflow runs that may still hold the old key', () => {
  const MIN = 60_000
  const setup = (): { w: World; runs: FakeRuns } => {
    const w = world()
    return { w, runs: new FakeRuns(w.clock, w.iam) }
  }

  it('with none in flight, the old key goes at once; the listing is told when each target was written', async () => {
    const { w, runs } = setup()
    await rotate(w.deps({ runs: runs.api }), REQ)
    expectRotated(w)
    expect(runs.written).toHaveLength(1)
    expect(runs.written[0]!.map((x) => describeTarget(x.p.target))).toEqual(TARGETS)
    for (const x of runs.written[0]!) expect(x.at.getTime()).toBeLessThanOrEqual(w.clock.now())
  })

  it('waits for a deploy that holds the old key, then retires it; the deploy never loses it', async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 4 * MIN)
    const outcome = await rotate(w.deps({ runs: runs.api }), REQ)
    expectRotated(w)
    expect(runs.check()).toEqual([])
    expect(w.clock.now()).toBeGreaterThanOrEqual(NOW + 4 * MIN)
    // Noticed within one look (15 s at most) of the run's end.
    expect(w.clock.now()).toBeLessThan(NOW + 4 * MIN + 16_000)
    expect(outcome.inFlight).toMatchObject({ fate: 'waited', runs: [{ repo: APP, id: 7 }] })
    expect(outcome.old?.fate).toBe('deleted')
    // The lease covered the wait: renewed while waiting.
    const renewals = w.iam.sent.filter(
      (c) => c.name === 'TagUserCommand' && JSON.stringify(c.input).includes('Rotating')
    )
    expect(renewals.length).toBeGreaterThan(2)
  })

  it('at the bound, the old key stays Active, marked with the runs; the run ends well, and a later run retires it once they end', async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 25 * MIN)
    runs.add(API, 8, w.old.id, NOW + 3 * MIN)
    const first = await rotate(w.deps({ runs: runs.api }), REQ)
    expect(first.rotated).toBe(true)
    expect(first.inFlight).toMatchObject({ fate: 'held', runs: [{ id: 7 }] })
    expect(first.old).toMatchObject({ id: w.old.id, fate: 'kept' })
    const created = w.iam.keys.find((k) => k.id !== w.old.id)!
    expect(statuses(w)).toEqual([
      [w.old.id, 'Active'],
      [created.id, 'Active']
    ])
    expect(parseKeyMark(w.iam.tags[w.old.id]!)).toMatchObject({
      state: 'held',
      runs: { ids: [7], more: 0 }
    })
    expect(w.iam.tags[INTENT_TAG]).toBeUndefined()
    expectEverywhere(w, created)
    // A later run, not due, while run 7 still runs: waits its bound, keeps the key.
    w.clock.t = NOW + 12 * MIN
    const second = await rotate(w.deps({ runs: runs.api }), { ...REQ, maxAgeDays: 90 })
    expect(second.inFlight).toMatchObject({ fate: 'held', runs: [{ id: 7 }] })
    expect(statuses(w)[0]).toEqual([w.old.id, 'Active'])
    // Once it ended: retired, no target rewritten.
    const writes = w.secrets.writes.length
    w.clock.t = NOW + 30 * MIN
    const third = await rotate(w.deps({ runs: runs.api }), { ...REQ, maxAgeDays: 90 })
    expect(third.finished).toEqual({ retired: w.old.id })
    expect(w.secrets.writes.length).toBe(writes)
    expect(statuses(w)).toEqual([[created.id, 'Active']])
    expect(runs.check()).toEqual([])
    // The later run listed runs queued before the publication, by the published mark's time.
    const published = parseKeyMark(w.iam.tags[created.id]!)!
    expect(runs.written[2]!.every((x) => x.at.getTime() === published.at.getTime())).toBe(true)
  })

  it('a due run whose previous key is still held rotates nothing and says so', async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 3 * 3_600_000)
    await rotate(w.deps({ runs: runs.api }), REQ)
    const keysBefore = statuses(w)
    w.clock.t = NOW + 20 * MIN
    const outcome = await rotate(w.deps({ runs: runs.api }), REQ)
    expect(outcome.rotated).toBe(false)
    expect(outcome.inFlight?.fate).toBe('held')
    expect(statuses(w)).toEqual(keysBefore)
    expect(runs.check()).toEqual([])
  })

  it("'revoke' retires the old key at once and names the runs that will fail", async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 60 * MIN)
    const outcome = await rotate(w.deps({ runs: runs.api }), { ...REQ, inFlightRuns: 'revoke' })
    expectRotated(w)
    expect(outcome.inFlight).toMatchObject({ fate: 'revoked', runs: [{ repo: APP, id: 7 }] })
    expect(w.lines.join('\n')).toContain('acme/app run 7 may still sign with it and will fail')
    expect(runs.check()).not.toEqual([])
  })

  it('says the listing is next once, as the last write goes out, so the adapter can get ready', async () => {
    const { w, runs } = setup()
    const writesWhenTold: number[] = []
    runs.onAhead = () => writesWhenTold.push(w.secrets.writes.length)
    await rotate(w.deps({ runs: runs.api }), REQ)
    expectRotated(w)
    // two targets, two secrets each: told after the first target's pair, before the last's
    expect(writesWhenTold).toEqual([2])
    expect(runs.written).toHaveLength(1)
  })

  it("'ignore' does not look", async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 60 * MIN)
    let told = 0
    runs.onAhead = () => (told += 1)
    await rotate(w.deps({ runs: runs.api }), { ...REQ, inFlightRuns: 'ignore' })
    expectRotated(w)
    expect(runs.written).toEqual([])
    expect(told).toBe(0)
  })

  it('when GitHub cannot say which runs hold it, the old key stays Active', async () => {
    const { w, runs } = setup()
    runs.unknown = { kind: 'failed', reason: { kind: 'unanswered' } }
    const outcome = await rotate(w.deps({ runs: runs.api }), REQ)
    expect(outcome.rotated).toBe(true)
    expect(outcome.inFlight).toMatchObject({ fate: 'unknown', why: runs.unknown })
    expect(w.lines.join('\n')).toContain('Cannot tell which workflow runs hold AKIA')
    expect(w.lines.join('\n')).toContain(
      ': GitHub did not answer a listing of workflow runs (no response)'
    )
    expect(statuses(w)[0]).toEqual([w.old.id, 'Active'])
    expect(parseKeyMark(w.iam.tags[w.old.id]!)).toMatchObject({ state: 'held' })
  })

  it("past 'drain-cap-days' since the publication, the old key goes with a warning naming the runs", async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 90 * DAY)
    await rotate(w.deps({ runs: runs.api }), { ...REQ, drainTimeoutMs: 0 })
    w.clock.t = NOW + 36 * DAY
    const outcome = await rotate(w.deps({ runs: runs.api }), { ...REQ, maxAgeDays: 90 })
    expect(outcome.inFlight).toMatchObject({ fate: 'capped', runs: [{ id: 7 }] })
    expect(w.iam.keys).toHaveLength(1)
    expect(w.lines.join('\n')).toContain("past 'drain-cap-days': acme/app run 7 still runs")
  })

  it('a token that cannot list runs is refused before any change, naming the permission', async () => {
    const { w, runs } = setup()
    runs.missing = { kind: 'denied', repositories: ['acme/app'] }
    const e = await failure(rotate(w.deps({ runs: runs.api }), REQ))
    expect(e.message).toContain(
      "The token or App cannot list the workflow runs of acme/app: give it the repository permission 'Actions: Read'"
    )
    expect(w.iam.mutations()).toEqual([])
    expect(w.secrets.writes).toEqual([])
  })

  it('with a grace period, deactivation waits for the drain too', async () => {
    const { w, runs } = setup()
    runs.add(APP, 7, w.old.id, NOW + 2 * MIN)
    const outcome = await rotate(w.deps({ runs: runs.api }), { ...REQ, gracePeriodDays: 7 })
    expect(runs.check()).toEqual([])
    expect(outcome.old).toMatchObject({ fate: 'deactivated' })
    expect(statuses(w)[0]).toEqual([w.old.id, 'Inactive'])
  })
})

describe('rotate: a dry run says what happens to running deploys', () => {
  it.each([
    ['wait', 'once the workflow runs that may still sign with it have ended (waiting up to 10 min'],
    ['revoke', 'at once, naming the workflow runs that may still sign with it']
  ] as const)('%s', async (mode, says) => {
    const w = world()
    const outcome = await rotate(w.deps(), { ...REQ, dryRun: true, inFlightRuns: mode })
    expect(dryRun(outcome).join('\n')).toContain(says)
    expect(w.iam.mutations()).toEqual([])
  })
})

describe("rotate: 'revoke' when GitHub cannot list the runs", () => {
  it('retires the old key and warns that a running deploy may fail', async () => {
    const w = world()
    const runs = new FakeRuns(w.clock, w.iam)
    runs.unknown = { kind: 'failed', reason: { kind: 'unanswered' } }
    const outcome = await rotate(w.deps({ runs: runs.api }), { ...REQ, inFlightRuns: 'revoke' })
    expectRotated(w)
    expect(outcome.inFlight).toMatchObject({ fate: 'revoked', why: runs.unknown })
    expect(w.lines.join('\n')).toContain(
      'Cannot tell which workflow runs may still sign with the old key (GitHub did not answer a listing of workflow runs (no response)); retiring it anyway'
    )
  })
})
