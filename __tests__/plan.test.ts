import { describe, expect, it } from '@jest/globals'
import type { AccessKey } from '../src/aws/key-data.js'
import {
  formatIntent,
  formatKeyMark,
  INTENT_TAG,
  type Intent,
  type KeyMark
} from '../src/rotation/marks.js'
import {
  holdsLease,
  plan,
  sameWorkflow,
  type Me,
  type Plan,
  type Policy
} from '../src/rotation/plan.js'
import { reasonWords } from '../src/report/reason.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 22, 12)
const WORKFLOW = 'acme/ops/rotate.yml'
const OTHER_WORKFLOW = 'acme/infra/keys.yml'
const TARGETS = 'aaaaaaaaaaaa'
const ME: Me = { run: { id: '100', attempt: 1 }, workflow: WORKFLOW, targets: TARGETS }
const POLICY: Policy = {
  now: NOW,
  maxAgeDays: 0,
  force: false,
  gracePeriodDays: 0,
  deleteOldKey: true
}

const OLD = 'AKIAOLDOLDOLDOLDOLDO'
const NEW = 'AKIANEWNEWNEWNEWNEWN'
const OTHER = 'AKIAOTHEROTHEROTHERO'
const GONE = 'AKIAGONEGONEGONEGONE'

const key = (id: string, status: AccessKey['status'], ageMs: number): AccessKey => ({
  id,
  status,
  created: new Date(NOW - ageMs)
})
const mark = (m: Partial<KeyMark> & { ago?: number } = {}): string => {
  const { ago = DAY, ...rest } = m
  return formatKeyMark({
    state: 'published',
    at: new Date(NOW - ago),
    run: { id: '90', attempt: 1 },
    workflow: WORKFLOW,
    targets: TARGETS,
    ...rest
  })
}
/** An intent written `ago` ms before now, whose lease ends `leaseIn` ms from now. */
const intent = (
  before: string[],
  o: { ago?: number; leaseIn?: number; run?: Intent['run']; workflow?: string } = {}
): Intent => ({
  at: new Date(NOW - (o.ago ?? 60_000)),
  lease: new Date(NOW + (o.leaseIn ?? -1)),
  before,
  run: o.run ?? { id: '99', attempt: 1 },
  workflow: o.workflow ?? WORKFLOW
})
const intentTag = (i: Intent): Record<string, string> => ({ [INTENT_TAG]: formatIntent(i) })
const ownTags = (n: number): Record<string, string> =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`team-${i}`, `value ${i}`]))

type Case = [
  string,
  AccessKey[],
  Record<string, string>,
  Partial<Policy> & { me?: Partial<Me> },
  Record<string, unknown>
]
const ids = (ks: AccessKey[] | undefined): string[] | undefined => ks?.map((k) => k.id)

/** The parts of a plan worth comparing, with keys reduced to their IDs. */
function summary(p: Plan): Record<string, unknown> {
  switch (p.kind) {
    case 'busy':
      return { kind: 'busy', run: p.intent.run }
    case 'refused': {
      const r = p.refusal
      return r.why === 'two-active'
        ? { kind: 'refused', why: r.why, keys: ids(r.keys) }
        : r.why === 'stranger'
          ? { kind: 'refused', why: r.why, current: r.current.id, stranger: r.stranger.id }
          : { kind: 'refused', ...r }
    }
    default:
      return {
        kind: p.kind,
        reason: reasonWords(p.reason),
        current: p.current?.id,
        lost: p.kind === 'rotate' ? p.lost?.key.id : undefined,
        kept: p.kind === 'rotate' ? ids(p.kept) : undefined,
        expired: ids(p.expired),
        unretired: p.unretired && [p.unretired.key.id, p.unretired.over.id],
        staleMarks: p.staleMarks,
        targetsChanged: p.targetsChanged,
        leftIntent: p.leftIntent !== undefined,
        seen: p.seen,
        stranger: p.stranger?.id,
        reactivated: p.reactivated?.key.id,
        otherWorkflow: p.otherWorkflow,
        lostHolders: p.kind === 'rotate' ? p.lost?.holders : undefined
      }
  }
}

const run = (c: Case): Record<string, unknown> => {
  const [, listed, tags, { me, ...policy }] = c
  return summary(plan(listed, tags, { ...ME, ...me }, { ...POLICY, ...policy }))
}

describe('plan: when to rotate', () => {
  it('carries the due day and the age as data, not only in its reason', () => {
    const p = plan([key(OLD, 'Active', 10 * DAY)], {}, ME, { ...POLICY, maxAgeDays: 90 })
    expect(p).toMatchObject({ kind: 'idle', ageDays: 10, due: new Date(NOW + 80 * DAY) })
  })

  it.each<Case>([
    [
      'no key: first issuance',
      [],
      {},
      {},
      { kind: 'rotate', reason: 'the user has no Active key', current: undefined, kept: [] }
    ],
    [
      'one Active key past max-age-days',
      [key(OLD, 'Active', 100 * DAY)],
      {},
      { maxAgeDays: 90 },
      {
        kind: 'rotate',
        current: OLD,
        reason: `key ${OLD} is 100 days old (max-age-days is 90)`
      }
    ],
    [
      'one Active key exactly max-age-days old',
      [key(OLD, 'Active', 90 * DAY)],
      {},
      { maxAgeDays: 90 },
      { kind: 'rotate', reason: `key ${OLD} is 90 days old (max-age-days is 90)` }
    ],
    [
      'one Active key not due: idle, with its due date',
      [key(OLD, 'Active', 10 * DAY)],
      {},
      { maxAgeDays: 90 },
      {
        kind: 'idle',
        current: OLD,
        reason: `key ${OLD} is 10 days old; it is due on 2027-02-10 (max-age-days is 90)`
      }
    ],
    [
      'force rotates a young key',
      [key(OLD, 'Active', DAY)],
      {},
      { maxAgeDays: 90, force: true },
      { kind: 'rotate', current: OLD, reason: "'force' is set" }
    ],
    [
      'max-age-days 0 rotates every run',
      [key(OLD, 'Active', 60_000)],
      {},
      {},
      { kind: 'rotate', current: OLD, reason: 'every run rotates (max-age-days is 0)' }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })
})

describe('plan: the day the key is due, as data', () => {
  const decide = (ageDays: number, policy: Partial<Policy>): Plan =>
    plan([key(OLD, 'Active', ageDays * DAY)], {}, ME, { ...POLICY, ...policy })
  const dueOf = (p: Plan): string | undefined =>
    p.kind === 'idle' || p.kind === 'rotate' ? p.due?.toISOString() : 'no due: ' + p.kind

  it('not due: the key is due max-age-days after it was created', () => {
    expect(dueOf(decide(10, { maxAgeDays: 90 }))).toBe(new Date(NOW + 80 * DAY).toISOString())
  })

  it('due: the date has passed', () => {
    const p = decide(100, { maxAgeDays: 90 })
    expect(p.kind).toBe('rotate')
    expect(dueOf(p)).toBe(new Date(NOW - 10 * DAY).toISOString())
  })

  it('forced: the date is still the one max-age-days gives', () => {
    expect(dueOf(decide(1, { maxAgeDays: 90, force: true }))).toBe(
      new Date(NOW + 89 * DAY).toISOString()
    )
  })

  it('max-age-days 0: no date, every run rotates', () => {
    expect(dueOf(decide(1, {}))).toBeUndefined()
  })
})

describe('plan: Inactive keys', () => {
  const deactivated = (daysAgo: number): Record<string, string> => ({
    [OTHER]: mark({ state: 'deactivated', ago: daysAgo * DAY, targets: undefined })
  })
  it.each<Case>([
    [
      'an Inactive leftover without a mark is kept (deleted only to make room)',
      [key(OTHER, 'Inactive', 200 * DAY), key(OLD, 'Active', 100 * DAY)],
      {},
      {},
      { kind: 'rotate', current: OLD, kept: [OTHER], expired: [], seen: [OTHER, OLD] }
    ],
    [
      'the only key Inactive: a new key is issued, the Inactive one kept',
      [key(OTHER, 'Inactive', 200 * DAY)],
      {},
      { maxAgeDays: 90 },
      { kind: 'rotate', current: undefined, kept: [OTHER], reason: 'the user has no Active key' }
    ],
    [
      'a deactivated key past its grace period expires',
      [key(OTHER, 'Inactive', 200 * DAY), key(OLD, 'Active', 10 * DAY)],
      deactivated(3),
      { gracePeriodDays: 2, maxAgeDays: 90 },
      { kind: 'idle', current: OLD, expired: [OTHER] }
    ],
    [
      'a deactivated key within its grace period is kept',
      [key(OTHER, 'Inactive', 200 * DAY), key(OLD, 'Active', 10 * DAY)],
      deactivated(3),
      { gracePeriodDays: 5 },
      { kind: 'rotate', current: OLD, expired: [], kept: [OTHER] }
    ],
    [
      'with delete-old-key false, a deactivated key never expires',
      [key(OTHER, 'Inactive', 200 * DAY), key(OLD, 'Active', 10 * DAY)],
      deactivated(300),
      { deleteOldKey: false },
      { kind: 'rotate', expired: [], kept: [OTHER] }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })
})

describe('plan: two Active keys', () => {
  it.each<Case>([
    [
      'neither published: refused, a person must choose',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      {},
      {},
      { kind: 'refused', why: 'two-active', keys: [OLD, NEW] }
    ],
    [
      'one published over the other: it is current, the other is unretired',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      { [NEW]: mark({ over: OLD }) },
      { maxAgeDays: 90 },
      { kind: 'idle', current: NEW, unretired: [OLD, NEW], stranger: undefined }
    ],
    [
      'both published: the later mark is current',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      { [OLD]: mark({ ago: 90 * DAY }), [NEW]: mark({ ago: DAY, over: OLD }) },
      {},
      { kind: 'rotate', current: NEW, unretired: [OLD, NEW] }
    ],
    [
      'a key newer than the published one, made by hand, not due: a stranger, left alone',
      [key(OLD, 'Active', 30 * DAY), key(NEW, 'Active', DAY)],
      { [OLD]: mark({ ago: 30 * DAY }) },
      { maxAgeDays: 90 },
      { kind: 'idle', current: OLD, unretired: undefined, stranger: NEW }
    ],
    [
      'a key newer than the published one, made by hand, due: refused, nothing retired',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      { [OLD]: mark({ ago: 100 * DAY }) },
      { maxAgeDays: 90 },
      { kind: 'refused', why: 'stranger', current: OLD, stranger: NEW }
    ],
    [
      'a published key whose record names another key: the second key is a stranger',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      { [NEW]: mark({ over: OTHER }) },
      { maxAgeDays: 90 },
      { kind: 'idle', current: NEW, unretired: undefined, stranger: OLD }
    ],
    [
      'forced with a stranger beside the current key: refused',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      { [NEW]: mark() },
      { force: true },
      { kind: 'refused', why: 'stranger', current: NEW, stranger: OLD }
    ],
    [
      'the action deactivated the old key and a person re-activated it: kept in its grace period',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      {
        [NEW]: mark({ over: OLD }),
        [OLD]: mark({ state: 'deactivated', ago: DAY, targets: undefined })
      },
      { maxAgeDays: 90, gracePeriodDays: 7 },
      { kind: 'idle', current: NEW, unretired: undefined, reactivated: OLD }
    ],
    [
      're-activated, and the grace period is over: retired',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 10 * DAY)],
      {
        [NEW]: mark({ over: OLD, ago: 10 * DAY }),
        [OLD]: mark({ state: 'deactivated', ago: 10 * DAY, targets: undefined })
      },
      { maxAgeDays: 90, gracePeriodDays: 7 },
      { kind: 'idle', current: NEW, unretired: [OLD, NEW], reactivated: undefined }
    ],
    [
      'published to some targets only: finished with a new key, due or not',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', DAY)],
      {
        [OLD]: mark({ ago: 100 * DAY }),
        [NEW]: mark({ ago: DAY, over: OLD, holders: ['new', 'refused'] })
      },
      { maxAgeDays: 90 },
      {
        kind: 'rotate',
        current: OLD,
        lost: NEW,
        lostHolders: ['new', 'refused'],
        unretired: undefined
      }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })
})

describe('plan: leases', () => {
  const keys = [key(OLD, 'Active', 100 * DAY)]
  it.each<Case>([
    [
      'a live lease of another run: busy',
      keys,
      intentTag(intent([OLD], { leaseIn: 60_000 })),
      {},
      { kind: 'busy', run: { id: '99', attempt: 1 } }
    ],
    [
      'a live lease of a later attempt of this run: busy',
      keys,
      intentTag(intent([OLD], { leaseIn: 60_000, run: { id: '100', attempt: 2 } })),
      {},
      { kind: 'busy' }
    ],
    [
      'a live lease of an earlier attempt of this run: taken over',
      keys,
      intentTag(intent([OLD], { leaseIn: 60_000, run: { id: '100', attempt: 0 } })),
      { me: { run: { id: '100', attempt: 2 } } },
      { kind: 'rotate', current: OLD, leftIntent: true }
    ],
    [
      'a live lease whose run GitHub says ended: taken over',
      keys,
      intentTag(intent([OLD], { leaseIn: 60_000 })),
      { me: { leaseHolderEnded: true } },
      { kind: 'rotate', current: OLD, leftIntent: true, lost: undefined }
    ],
    [
      'a released lease (lease = now): taken over',
      keys,
      intentTag(intent([OLD], { leaseIn: 0 })),
      {},
      { kind: 'rotate', current: OLD, leftIntent: true }
    ],
    [
      'an unreadable intent is no lease',
      keys,
      { [INTENT_TAG]: 'Rotating by somebody' },
      {},
      { kind: 'rotate', current: OLD, leftIntent: false }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })

  it('holdsLease: expiry, re-runs and ended runs', () => {
    const i = intent([], { leaseIn: 1000, run: { id: '100', attempt: 1 } })
    expect(holdsLease(i, ME, NOW)).toBe(true) // the same attempt is not an earlier one
    expect(holdsLease(i, { ...ME, run: { id: '101', attempt: 1 } }, NOW)).toBe(true)
    expect(holdsLease(i, { ...ME, run: { id: '100', attempt: 2 } }, NOW)).toBe(false)
    expect(holdsLease(i, { ...ME, run: { id: '101', attempt: 1 } }, NOW + 1000)).toBe(false)
    // Expired, not released, and GitHub says the run is still in progress: it may still write.
    const other = { ...ME, run: { id: '101', attempt: 1 } }
    expect(holdsLease(i, { ...other, leaseHolderRunning: true }, NOW + 1000)).toBe(true)
    // Released by its run: taken over at once, whatever GitHub says.
    expect(holdsLease({ ...i, released: true }, { ...other, leaseHolderRunning: true }, NOW)).toBe(
      false
    )
    expect(
      holdsLease(i, { ...ME, run: { id: '101', attempt: 1 }, leaseHolderEnded: true }, NOW)
    ).toBe(false)
  })
})

describe('plan: announced and lost keys (marks identify, no clock matching)', () => {
  it.each<Case>([
    [
      'an ended run’s unpublished key, not in `before`: lost',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 60_000)],
      intentTag(intent([OLD], { ago: 61_000 })),
      { maxAgeDays: 90 },
      {
        kind: 'rotate',
        current: OLD,
        lost: NEW,
        reason: `key ${NEW} was created by a run that ended before publishing it, and its secret is lost`
      }
    ],
    [
      'lost even when it is the only key',
      [key(NEW, 'Active', 60_000)],
      intentTag(intent([OLD])),
      {},
      { kind: 'rotate', current: undefined, lost: NEW }
    ],
    [
      'an announced key with its own published mark is not lost',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 60_000)],
      { ...intentTag(intent([OLD])), [NEW]: mark({ ago: 1000, over: OLD }) },
      { maxAgeDays: 90 },
      { kind: 'idle', current: NEW, lost: undefined, unretired: [OLD, NEW] }
    ],
    [
      'a key created in the same second as the intent but listed in `before` is not lost',
      [key(OLD, 'Active', 60_000)],
      intentTag(intent([OLD], { ago: 60_000 })),
      {},
      {
        kind: 'rotate',
        current: OLD,
        lost: undefined,
        reason: 'every run rotates (max-age-days is 0)'
      }
    ],
    [
      'an announced Inactive key is not lost: it is a leftover',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Inactive', 60_000)],
      intentTag(intent([OLD])),
      {},
      { kind: 'rotate', current: OLD, lost: undefined, kept: [NEW] }
    ],
    [
      'two announced keys: refused',
      [key(NEW, 'Active', 50_000), key(OTHER, 'Active', 40_000)],
      intentTag(intent([OLD])),
      {},
      { kind: 'refused', why: 'two-active', keys: [NEW, OTHER] }
    ],
    [
      'a key created after the failed run released its lease is a stranger, not its lost key',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 30_000)],
      { ...intentTag(intent([OLD], { ago: 60_000, leaseIn: -50_000 })), [OLD]: mark() },
      { maxAgeDays: 365 },
      { kind: 'idle', current: OLD, lost: undefined, stranger: NEW }
    ],
    [
      'the intent names its key: only that one is lost; another is a stranger',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 50_000)],
      {
        ...intentTag({ ...intent([OLD], { ago: 60_000, leaseIn: -1 }), created: OTHER }),
        [OLD]: mark()
      },
      { maxAgeDays: 365 },
      { kind: 'idle', current: OLD, lost: undefined, stranger: NEW }
    ],
    [
      'a key created inside the lease of a run that never learned it: lost',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 50_000)],
      intentTag(intent([OLD], { ago: 60_000, leaseIn: -1 })),
      { maxAgeDays: 365 },
      { kind: 'rotate', current: OLD, lost: NEW }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })
})

describe('plan: one owner per user', () => {
  it.each<Case>([
    [
      'the current key was published by another workflow: refused, naming both',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ workflow: OTHER_WORKFLOW }) },
      {},
      { kind: 'refused', why: 'owner', key: OLD, theirs: OTHER_WORKFLOW, ours: WORKFLOW }
    ],
    [
      'the same workflow in other case: goes ahead',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ workflow: 'ACME/Ops/rotate.yml' }) },
      {},
      { kind: 'rotate', current: OLD, targetsChanged: false }
    ],
    [
      'another workflow of the same repository ("rotate now" beside the schedule): goes ahead, named',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ workflow: 'acme/ops/rotate-now.yml' }) },
      {},
      { kind: 'rotate', current: OLD, otherWorkflow: 'acme/ops/rotate-now.yml' }
    ],
    [
      'a long workflow path kept as a prefix and a hash compares whole: refused',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ workflow: 'acme/ops/.github/workflow+0123456789abcdef' }) },
      {},
      { kind: 'refused', why: 'owner' }
    ],
    [
      'a mark without a workflow: goes ahead',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ workflow: undefined }) },
      {},
      { kind: 'rotate', current: OLD }
    ],
    [
      'the same workflow with other targets: goes ahead, targets changed',
      [key(OLD, 'Active', 100 * DAY)],
      { [OLD]: mark({ targets: 'bbbbbbbbbbbb' }) },
      {},
      { kind: 'rotate', current: OLD, targetsChanged: true }
    ],
    [
      'a lost key whose intent is another workflow’s: refused',
      [key(OLD, 'Active', 100 * DAY), key(NEW, 'Active', 60_000)],
      intentTag(intent([OLD], { workflow: OTHER_WORKFLOW })),
      {},
      { kind: 'refused', why: 'owner', key: NEW, theirs: OTHER_WORKFLOW, ours: WORKFLOW }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })

  it('sameWorkflow ignores case only', () => {
    expect(sameWorkflow('Acme/Ops/rotate.yml', 'acme/ops/ROTATE.YML')).toBe(true)
    expect(sameWorkflow('acme/ops/rotate.yml', 'acme/ops/rotate2.yml')).toBe(false)
  })
})

describe('plan: tags', () => {
  const keys = [key(OLD, 'Active', 100 * DAY)]
  it.each<Case>([
    ['47 own tags: goes ahead', keys, ownTags(47), {}, { kind: 'rotate' }],
    ['48 own tags: refused', keys, ownTags(48), {}, { kind: 'refused', why: 'tags', own: 48 }],
    ['50 own tags: refused', keys, ownTags(50), {}, { kind: 'refused', why: 'tags', own: 50 }],
    [
      '47 own tags plus the intent and key marks: goes ahead',
      [key(OTHER, 'Inactive', 200 * DAY), ...keys],
      {
        ...ownTags(47),
        ...intentTag(intent([OLD])),
        [OLD]: mark(),
        [OTHER]: mark({ state: 'deactivated' })
      },
      {},
      { kind: 'rotate', current: OLD }
    ],
    [
      'a key-ID tag the action did not write counts as the user’s own',
      keys,
      { ...ownTags(47), [OTHER]: 'the old payments key' },
      {},
      { kind: 'refused', why: 'tags', own: 48 }
    ],
    [
      'marks of deleted keys are listed to forget',
      keys,
      { [OLD]: mark(), [GONE]: mark({ state: 'deactivated' }), [OTHER]: 'not a mark' },
      {},
      { kind: 'rotate', current: OLD, staleMarks: [GONE] }
    ]
  ])('%s', (...c) => {
    expect(run(c)).toMatchObject(c[4])
  })
})
