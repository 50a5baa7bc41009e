import { describe, expect, it } from '@jest/globals'
import type { Mark } from '../src/aws/marks.js'
import {
  BusyError,
  planKeys,
  TwoActiveKeysError,
  withMarks,
  type KeyState,
  type Policy
} from '../src/plan.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 22)
const key = (
  id: string,
  status: KeyState['status'],
  ageDays: number,
  mark?: [Mark['state'], number]
): KeyState => ({
  id,
  status,
  created: new Date(NOW - ageDays * DAY),
  ...(mark ? { mark: { state: mark[0], at: new Date(NOW - mark[1] * DAY) } } : {})
})
const policy: Policy = {
  now: NOW,
  maxAgeDays: 0,
  force: false,
  gracePeriodDays: 0,
  deleteOldKey: true,
  inFlightMs: 15 * 60_000
}

const OLD = key('AKIAOLD', 'Active', 100)
const OLD_INACTIVE = key('AKIAOLD', 'Inactive', 100)
const NEW = key('AKIANEW', 'Active', 10)
const PUBLISHED = key('AKIANEW', 'Active', 1, ['published', 1])
const LOST = key('AKIANEW', 'Active', 1, ['created', 1])

describe('planKeys', () => {
  it.each([
    ['no key: first issuance', [], {}, { rotate: true, reason: 'the user has no Active key' }],
    ['one Active key: replaced', [OLD], {}, { rotate: true, current: OLD }],
    [
      'one Inactive key, no Active one: a new key is issued',
      [OLD_INACTIVE],
      {},
      { rotate: true, kept: [OLD_INACTIVE] }
    ],
    [
      'an Inactive leftover beside an Active key',
      [OLD_INACTIVE, NEW],
      {},
      { current: NEW, kept: [OLD_INACTIVE] }
    ],
    [
      'a key younger than max-age-days is not due',
      [NEW],
      { maxAgeDays: 90 },
      {
        rotate: false,
        reason: 'key AKIANEW is 10 days old; it is due on 2027-02-10 (max-age-days is 90)'
      }
    ],
    [
      'a key at max-age-days is due',
      [OLD],
      { maxAgeDays: 90 },
      { rotate: true, reason: 'key AKIAOLD is 100 days old (max-age-days is 90)' }
    ],
    [
      'force rotates a young key',
      [NEW],
      { maxAgeDays: 90, force: true },
      { rotate: true, reason: "'force' is set" }
    ],
    [
      'a published key beside an Active old one: the old one is retired first',
      [OLD, PUBLISHED],
      { maxAgeDays: 90 },
      { current: PUBLISHED, unretired: OLD, rotate: false }
    ],
    [
      'a lost key beside the old one: recovery',
      [OLD, LOST],
      { maxAgeDays: 90 },
      { current: OLD, lost: LOST, rotate: true }
    ],
    ['a lost key alone', [LOST], {}, { lost: LOST, current: undefined, rotate: true }]
  ])('%s', (_name, keys, change, expected) => {
    expect(planKeys(keys, { ...policy, ...change })).toMatchObject(expected)
  })

  it.each([
    ['in its grace period: kept', 3, 7, true, 'kept'],
    ['past its grace period: deleted', 8, 7, true, 'expired'],
    ['with grace 0: deleted', 0, 0, true, 'expired'],
    ['with delete-old-key false: kept for good', 400, 7, false, 'kept']
  ])('a deactivated key %s', (_name, inactiveDays, graceDays, deleteOldKey, where) => {
    const retired = key('AKIAOLD', 'Inactive', 100, ['deactivated', inactiveDays])
    const plan = planKeys([retired, NEW], { ...policy, gracePeriodDays: graceDays, deleteOldKey })
    expect(plan[where as 'kept' | 'expired']).toEqual([retired])
  })

  it('stops when another run created a key moments ago', () => {
    const inFlight = {
      ...LOST,
      mark: { state: 'created' as const, at: new Date(NOW - 60_000), run: '42' }
    }
    expect(() => planKeys([OLD, inFlight], policy)).toThrow(BusyError)
    expect(() => planKeys([OLD, inFlight], policy)).toThrow('by run 42')
  })

  it('refuses two Active keys no mark tells apart, naming both', () => {
    expect(() => planKeys([OLD, NEW], policy)).toThrow(TwoActiveKeysError)
    expect(() => planKeys([OLD, NEW], policy)).toThrow('AKIAOLD and AKIANEW')
  })

  it('refuses more keys than IAM allows', () => {
    expect(() => planKeys([OLD, NEW, OLD_INACTIVE], policy)).toThrow('at most two')
  })
})

describe('withMarks', () => {
  it('joins marks to keys and finds marks of keys that are gone', () => {
    const { keys, staleMarks } = withMarks(
      [{ id: 'AKIAAAAAAAAAAAAAAAAA', status: 'Active', created: new Date(NOW) }],
      {
        AKIAAAAAAAAAAAAAAAAA: 'Published by rotate-iam-key at 2026-11-20T10:00:00.000Z in run 7',
        AKIABBBBBBBBBBBBBBBB: 'Deactivated by rotate-iam-key at 2026-11-01T10:00:00.000Z',
        AKIACCCCCCCCCCCCCCCC: 'a description someone wrote by hand',
        team: 'payments'
      }
    )
    expect(keys[0]?.mark).toEqual({
      state: 'published',
      at: new Date('2026-11-20T10:00:00.000Z'),
      run: '7'
    })
    expect(staleMarks).toEqual(['AKIABBBBBBBBBBBBBBBB'])
  })
})
