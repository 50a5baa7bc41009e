/**
 * The outcome folded from the facts the steps record (src/rotation/facts.ts): what a run that
 * stopped midway leaves in the outputs and the summary comes from the facts recorded before the
 * failure, folded once, then from what the failure left.
 */
import { describe, expect, it } from '@jest/globals'
import type { Aftermath } from '../src/rotation/aftermath.js'
import { clearedOf, rateLimitWaitOf, type Fact } from '../src/rotation/facts.js'
import { foldFacts, foldFailure, foldPlan } from '../src/rotation/fold.js'
import type { Plan } from '../src/rotation/plan.js'
import type { Outcome } from '../src/rotation/types.js'

const OLD = 'AKIAOLD'
const CREATED = new Date('2026-01-01T00:00:00Z')
const RUN = {
  repo: 'acme/app',
  id: 7,
  attempt: 1,
  status: 'in_progress',
  url: 'https://github.com/run/7'
}

const outcome = (): Outcome => ({ userName: 'deploy', rotated: false, written: [], cleared: [] })

function fold(facts: Fact[], aftermath?: Aftermath): Outcome {
  const o = outcome()
  foldFacts(o, facts)
  if (aftermath) foldFailure(o, aftermath)
  return o
}

const retiring: Fact = { kind: 'old', id: OLD, created: CREATED }

describe('fold: the old key', () => {
  it('deactivated, then the delete failed: deactivated, no more', () => {
    const o = fold([retiring, { kind: 'deactivated', id: OLD }])
    expect(o.old).toEqual({ id: OLD, created: CREATED, fate: 'deactivated' })
  })

  it('deactivation failed: kept', () => {
    expect(fold([retiring]).old).toEqual({ id: OLD, created: CREATED, fate: 'kept' })
  })

  it('deleted, with its last use', () => {
    const use = { date: new Date('2026-02-01T00:00:00Z'), service: 'sts' }
    const facts: Fact[] = [
      retiring,
      { kind: 'deactivated', id: OLD },
      { kind: 'deleted', id: OLD },
      { kind: 'lastUse', use }
    ]
    expect(fold(facts).old).toEqual({ id: OLD, created: CREATED, fate: 'deleted', lastUse: use })
  })

  it('left for its grace period', () => {
    const facts: Fact[] = [
      retiring,
      { kind: 'deactivated', id: OLD },
      { kind: 'deleteAfter', id: OLD, day: '2026-03-01' }
    ]
    expect(fold(facts).old).toEqual({
      id: OLD,
      created: CREATED,
      fate: 'deactivated',
      deleteAfter: '2026-03-01'
    })
  })

  it('a later key replaces an earlier one, as it happened: a retirement, then a hold', () => {
    const facts: Fact[] = [
      { kind: 'old', id: 'AKIAFIRST', created: CREATED },
      { kind: 'deactivated', id: 'AKIAFIRST' },
      { kind: 'deleted', id: 'AKIAFIRST' },
      retiring
    ]
    expect(fold(facts).old).toEqual({ id: OLD, created: CREATED, fate: 'kept' })
  })

  it('a fate with no key to retire changes nothing', () => {
    expect(fold([{ kind: 'deactivated', id: OLD }]).old).toBeUndefined()
  })
})

describe('fold: in-flight runs', () => {
  it('known, then retiring the key failed after deactivation: both survive', () => {
    const facts: Fact[] = [
      { kind: 'inFlight', fate: 'revoked', runs: [RUN] },
      retiring,
      { kind: 'deactivated', id: OLD }
    ]
    const o = fold(facts)
    expect(o.inFlight).toStrictEqual({ fate: 'revoked', runs: [RUN] })
    expect(o.old?.fate).toBe('deactivated')
  })

  it('waited out, then the retirement failed while draining: the failure says they still hold it', () => {
    const aftermath: Aftermath = {
      at: 'draining',
      user: 'deploy',
      cause: { error: new Error('throttled'), kind: 'other' },
      cleared: [],
      key: 'AKIANEW',
      old: OLD,
      lease: { lease: 'released' },
      runs: [RUN],
      waitedMs: 5000
    }
    const facts: Fact[] = [
      { kind: 'inFlight', fate: 'waited', runs: [RUN], waitedMs: 4000 },
      retiring
    ]
    expect(fold(facts, aftermath).inFlight).toStrictEqual({
      fate: 'held',
      runs: [RUN],
      waitedMs: 5000
    })
  })

  it('GitHub could not say: unknown, with why, and no other field', () => {
    const why = {
      kind: 'refused',
      reason: { kind: 'answered', status: 403, message: 'no' }
    } as const
    const o = fold([{ kind: 'inFlight', fate: 'unknown', runs: [], why }])
    expect(o.inFlight).toStrictEqual({ fate: 'unknown', runs: [], why })
  })
})

describe('fold: what the run cleared and recovered', () => {
  const facts: Fact[] = [
    { kind: 'cleared', id: 'AKIAGONE' },
    { kind: 'cleared', id: 'AKIALOST' },
    {
      kind: 'recovery',
      lostKey: 'AKIALOST',
      deleted: 'AKIALOST',
      affected: ['acme/app', 'acme/api']
    },
    { kind: 'window', target: 'acme/api', ms: 1200 },
    { kind: 'rateLimitWait', ms: 1000 },
    { kind: 'rateLimitWait', ms: 2500 }
  ]

  it('cleared in order; the window on the target it belongs to; the waits summed', () => {
    const o = fold(facts)
    expect(o.cleared).toEqual(['AKIAGONE', 'AKIALOST'])
    expect(o.recovery).toStrictEqual({
      lostKey: 'AKIALOST',
      deleted: 'AKIALOST',
      affected: [{ target: 'acme/app' }, { target: 'acme/api', windowMs: 1200 }]
    })
    expect(o.rateLimitWaitMs).toBe(3500)
  })

  it('the same facts answer the steps that read them', () => {
    expect(clearedOf(facts)).toEqual(['AKIAGONE', 'AKIALOST'])
    expect(rateLimitWaitOf(facts)).toBe(3500)
    expect(rateLimitWaitOf([])).toBeUndefined()
    expect(fold([]).rateLimitWaitMs).toBeUndefined()
  })

  it('folding leaves the facts as they were', () => {
    const copy = structuredClone(facts)
    fold(facts)
    expect(facts).toEqual(copy)
  })
})

describe('fold: what the plan found and a step learned', () => {
  it('a key found beside the new one replaces the stranger the plan reported', () => {
    const o = outcome()
    o.stranger = { id: 'AKIAPLAN', created: CREATED, lastUse: { date: CREATED } }
    foldFacts(o, [{ kind: 'stranger', id: 'AKIAOTHER', created: CREATED }])
    expect(o.stranger).toStrictEqual({ id: 'AKIAOTHER', created: CREATED })
  })

  it('what an earlier run left finished: retired or kept', () => {
    expect(fold([{ kind: 'finished', finished: { kept: OLD } }]).finished).toEqual({ kept: OLD })
  })
})

describe('fold: the plan', () => {
  type Decided = Extract<Plan, { kind: 'idle' | 'rotate' }>
  const key = { id: 'AKIAX', status: 'Active' as const, created: CREATED }
  const NOT_DUE = { why: 'not-due', key: 'AKIAX', days: 10, due: CREATED, maxAgeDays: 90 } as const
  const idle = {
    kind: 'idle',
    reason: NOT_DUE,
    targetsChanged: false,
    expired: [],
    staleMarks: [],
    seen: []
  } as unknown as Decided

  it('copies the decision and its reason; an unchanged target list says nothing', () => {
    const o = outcome()
    foldPlan(o, idle)
    expect(o).toStrictEqual({
      ...outcome(),
      decision: 'idle',
      reason: NOT_DUE,
      targetsChanged: undefined
    })
  })

  it('the day a re-activated key is kept until; a stranger with its last use when IAM said', () => {
    const o = outcome()
    const until = new Date('2026-04-02T12:00:00Z')
    const use = { date: CREATED }
    foldPlan(o, { ...idle, due: until, reactivated: { key, until }, stranger: key }, use)
    expect(o.reactivated).toEqual({ id: 'AKIAX', until: '2026-04-02' })
    expect(o.stranger).toStrictEqual({ id: 'AKIAX', created: CREATED, lastUse: use })
    expect(o.nextDue).toBe(until)
    const unknown = outcome()
    foldPlan(unknown, { ...idle, stranger: key })
    expect(unknown.stranger).toStrictEqual({ id: 'AKIAX', created: CREATED })
  })
})
