import { describe, expect, it } from '@jest/globals'
import {
  fingerprint,
  formatIntent,
  formatKeyMark,
  INTENT_TAG,
  isActionTag,
  parseIntent,
  parseKeyMark,
  workflowId,
  type Intent,
  type KeyMark
} from '../src/rotation/marks.js'

/** IAM's rule for a tag value. */
const TAG_VALUE = /^[\p{L}\p{Z}\p{N}_.:/=+\-@]{0,256}$/u
const AT = new Date('2026-11-22T04:05:06.789Z')
const LEASE = new Date('2026-11-22T04:09:06.000Z')
const K1 = 'AKIAAAAAAAAAAAAAAAAA'
const K2 = 'AKIABBBBBBBBBBBBBBBB'
const K3 = 'AKIACCCCCCCCCCCCCCCC'
/** A workflow ref of 300 characters, and the id marks keep of it. */
const LONG_REF = `Acme/${'r'.repeat(60)}/.github/workflows/${'w'.repeat(300 - 104)}.yml@refs/heads/main`
const LONG = workflowId(LONG_REF)!
// An 11-digit run ID, as GitHub's run IDs are now, and a re-run.
const RUN = { id: '12345678901', attempt: 3 }

const marks: [string, KeyMark][] = [
  ['published, bare', { state: 'published', at: AT }],
  ['deactivated, bare', { state: 'deactivated', at: new Date('2026-01-01T00:00:00.000Z') }],
  ['published with run', { state: 'published', at: AT, run: { id: '100', attempt: 1 } }],
  ['deactivated with workflow', { state: 'deactivated', at: AT, workflow: 'acme/ops/rotate.yml' }],
  [
    'published with everything',
    {
      state: 'published',
      at: AT,
      run: { id: '100', attempt: 2 },
      workflow: 'acme/ops/rotate.yml',
      targets: fingerprint(['acme/app', 'AWS_ACCESS_KEY_ID'])
    }
  ],
  ['with a very long workflow', { state: 'deactivated', at: AT, run: RUN, workflow: LONG }]
]

const intents: [string, Intent][] = [
  ['no keys before, no identity', { at: AT, lease: LEASE, before: [] }],
  ['one key before', { at: AT, lease: LEASE, before: [K1] }],
  ['two keys before, with run', { at: AT, lease: LEASE, before: [K1, K2], run: RUN }],
  ['with the new key', { at: AT, lease: LEASE, before: [K1], created: K2 }],
  [
    'with everything',
    {
      at: AT,
      lease: LEASE,
      before: [K1],
      created: K2,
      run: { id: '100', attempt: 1 },
      workflow: 'acme/ops/rotate.yml'
    }
  ],
  // The longest intent the machine writes: two keys seen (an Active key and a leftover), the new
  // one named, every target to be rewritten, an 11-digit run ID and a long workflow.
  [
    'with the longest values',
    { at: AT, lease: LEASE, before: [K1, K2], created: K3, rewrite: true, run: RUN, workflow: LONG }
  ]
]

describe('key marks', () => {
  it.each(marks)('%s: round-trips within IAM tag value rules', (_, mark) => {
    const value = formatKeyMark(mark)
    expect(value).toMatch(TAG_VALUE)
    expect(value.length).toBeLessThanOrEqual(256)
    expect(parseKeyMark(value)).toEqual(mark)
    expect(parseIntent(value)).toBeUndefined()
  })

  it('reads as words in the IAM console', () => {
    expect(formatKeyMark({ state: 'published', at: AT, run: { id: '7', attempt: 2 } })).toBe(
      'Published by rotate-iam-key at 2026-11-22T04:05:06.789Z run 7.2'
    )
  })
})

describe('intents', () => {
  it.each(intents)('%s: round-trips within IAM tag value rules', (_, intent) => {
    const value = formatIntent(intent)
    expect(value.length).toBeLessThanOrEqual(256)
    expect(value).toMatch(TAG_VALUE)
    expect(parseIntent(value)).toEqual(intent)
    expect(parseKeyMark(value)).toBeUndefined()
  })

  it('writes "none" for a user without keys', () => {
    expect(formatIntent({ at: AT, lease: LEASE, before: [] })).toContain(' keys none')
  })
})

describe('tags that are not the action’s', () => {
  it.each([
    '',
    'deploy key for the payments service',
    'Published by someone else at 2026-11-22T04:05:06.789Z',
    'Published by rotate-iam-key at yesterday',
    'Published by rotate-iam-key at 2026-13-45T99:99:99.000Z',
    'published by rotate-iam-key at 2026-11-22T04:05:06.789Z'
  ])('%j is neither a mark nor an intent', (value) => {
    expect(parseKeyMark(value)).toBeUndefined()
    expect(parseIntent(value)).toBeUndefined()
  })

  it('an intent without a lease or keys is no intent', () => {
    expect(parseIntent('Rotating by rotate-iam-key at 2026-11-22T04:05:06.789Z')).toBeUndefined()
    expect(
      parseIntent(
        'Rotating by rotate-iam-key at 2026-11-22T04:05:06.789Z lease 2026-11-22T04:09:06.000Z'
      )
    ).toBeUndefined()
    expect(
      parseIntent('Rotating by rotate-iam-key at 2026-11-22T04:05:06.789Z lease soon keys none')
    ).toBeUndefined()
  })
})

describe('workflowId', () => {
  it.each<[string | undefined, string | undefined]>([
    ['acme/ops/.github/workflows/rotate.yml@refs/heads/main', 'acme/ops/rotate.yml'],
    ['Acme/Ops/.github/workflows/rotate.yml@refs/heads/main', 'acme/ops/rotate.yml'],
    ['ACME/OPS/.github/workflows/Rotate.yml@refs/tags/v1', 'acme/ops/Rotate.yml'],
    ['acme/ops/.github/workflows/rotate.yml', 'acme/ops/rotate.yml'],
    ['acme/ops/rotate.yml', 'acme/ops/rotate.yml'],
    ['acme/ops/.github/workflows/rotate keys.yml@main', 'acme/ops/rotate_keys.yml'],
    [undefined, undefined],
    ['', undefined],
    ['garbage', undefined],
    ['acme/rotate.yml@main', undefined],
    ['@refs/heads/main', undefined]
  ])('%j -> %j', (ref, id) => {
    expect(workflowId(ref)).toBe(id)
  })

  it('the branch does not matter', () => {
    expect(workflowId('acme/ops/.github/workflows/r.yml@refs/heads/a')).toBe(
      workflowId('acme/ops/.github/workflows/r.yml@refs/pull/1/merge')
    )
  })

  it('a 300-character ref is shortened, tag-safe and still tells workflows apart', () => {
    expect(LONG_REF).toHaveLength(300)
    expect(LONG).toMatch(TAG_VALUE)
    expect(LONG).not.toContain(' ')
    expect(LONG.length).toBeLessThanOrEqual(72)
    expect(LONG.startsWith(`acme/${'r'.repeat(20)}`)).toBe(true)
    const other = workflowId(LONG_REF.replace('www.yml', 'wwx.yml'))!
    expect(other).not.toBe(LONG)
    expect(other.length).toBe(LONG.length)
  })
})

describe('isActionTag', () => {
  const mark = formatKeyMark({ state: 'published', at: AT })
  it.each<[string, string, boolean]>([
    [INTENT_TAG, formatIntent({ at: AT, lease: LEASE, before: [] }), true],
    [INTENT_TAG, 'anything: the tag key is the action’s', true],
    [K1, mark, true],
    [K1, formatKeyMark({ state: 'deactivated', at: AT, workflow: LONG }), true],
    [K1, 'the payments deploy key', false],
    [K1, formatIntent({ at: AT, lease: LEASE, before: [] }), false],
    ['team', mark, false],
    ['akiaaaaaaaaaaaaaaaaa', mark, false],
    ['cost-center', '1234', false]
  ])('%s = %j: %s', (key, value, expected) => {
    expect(isActionTag(key, value)).toBe(expected)
  })
})

describe('fingerprint', () => {
  const a = fingerprint(['acme/app', 'acme/api', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])
  it('is short hex, tag-safe', () => {
    expect(a).toMatch(/^[0-9a-f]{12}$/)
  })
  it('ignores order, case and repeats', () => {
    expect(
      fingerprint([
        'AWS_SECRET_ACCESS_KEY',
        'Acme/API',
        'aws_access_key_id',
        'acme/app',
        'acme/app'
      ])
    ).toBe(a)
  })
  it('changes with the list', () => {
    expect(fingerprint(['acme/app', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY'])).not.toBe(a)
    expect(
      fingerprint(['acme/app', 'acme/api', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY_2'])
    ).not.toBe(a)
  })
})
