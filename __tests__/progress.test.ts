/**
 * How a rotation goes, in words: every progress event and section (src/rotation/progress.ts) as
 * the line and level a runner's log shows (src/report/progress.ts), and why a target was missed
 * and a rotation error (src/report/progress-miss.ts, rotation-errors.ts), byte for byte the lines
 * the rotation wrote itself before it reported facts.
 */
import { describe, expect, it } from '@jest/globals'
import { levelOf, type Progress, type Section } from '../src/rotation/progress.js'
import type { Miss } from '../src/rotation/aftermath.js'
import { progressLines, sectionTitle } from '../src/report/progress.js'
import { missWords } from '../src/report/progress-miss.js'
import { rotationWords } from '../src/report/rotation-errors.js'
import { Midway } from '../src/rotation/publish.js'
import { Cancelled, NotEverywhere } from '../src/rotation/states.js'
import { RateLimited } from '../src/github/errors.js'
import { rateLimitWords } from '../src/report/github-rate-limit.js'
import { dryRun } from './fakes/dry-run.js'

/** GitHub's refusal of a listing, as the adapter records it. */
const forbidden = {
  kind: 'answered',
  status: 403,
  message: 'Resource not accessible by integration'
} as const
const CREATED = new Date('2026-08-14T12:00:00Z')
const run = { repo: 'acme/app', id: 7, attempt: 1, status: 'in_progress', url: 'https://x/7' }
const run2 = { ...run, repo: 'acme/api', id: 8, status: 'queued' }

const EVENTS: [Progress, 'info' | 'warning', string][] = [
  [
    { kind: 'key', id: 'AKIAOLD', status: 'Active', created: CREATED, mark: 'Published by x' },
    'info',
    'AKIAOLD Active, created 2026-08-14T12:00:00.000Z (Published by x)'
  ],
  [
    { kind: 'key', id: 'AKIAOLD', status: 'Inactive', created: CREATED },
    'info',
    'AKIAOLD Inactive, created 2026-08-14T12:00:00.000Z'
  ],
  [
    { kind: 'taking-over', run: '42' },
    'info',
    'GitHub says run 42 has ended: taking over its lease'
  ],
  [
    { kind: 'reactivated', key: 'AKIAOLD', until: new Date('2026-12-01T12:00:00Z') },
    'info',
    'AKIAOLD was re-activated after the action deactivated it: kept until 2026-12-01'
  ],
  [
    { kind: 'stranger', key: 'AKIAODD', beside: 'AKIAOLD' },
    'warning',
    "AKIAODD is Active beside AKIAOLD, and the action's records do not account for it: left alone"
  ],
  [
    { kind: 'stranger', key: 'AKIAODD' },
    'warning',
    "AKIAODD is Active beside the current key, and the action's records do not account for it: left alone"
  ],
  [
    { kind: 'decided', decision: 'rotate', reason: { why: 'every-run' } },
    'info',
    'Rotating: every run rotates (max-age-days is 0)'
  ],
  [
    { kind: 'decided', decision: 'idle', reason: { why: 'no-key' } },
    'info',
    'Not rotating: the user has no Active key'
  ],
  [
    { kind: 'targets-changed' },
    'info',
    'The list of targets changed since the current key was published'
  ],
  [
    { kind: 'forget-failed', error: new Error('Rate exceeded') },
    'warning',
    "Forgetting an earlier run's intent failed: Rate exceeded"
  ],
  [
    { kind: 'expired', key: 'AKIAOLD', since: CREATED },
    'info',
    'Deleted AKIAOLD: Inactive since 2026-08-14T12:00:00.000Z, past its grace period'
  ],
  [
    { kind: 'deleting-early', key: 'AKIAOLD' },
    'warning',
    'Deleting AKIAOLD before its grace period ends: the user needs room for a new key'
  ],
  [
    { kind: 'holders', newer: ['acme/api'], lost: 'AKIALOST', older: [], current: 'AKIAOLD' },
    'info',
    'acme/api holds AKIALOST; no target hold AKIAOLD'
  ],
  [
    {
      kind: 'holders',
      newer: ['acme/api', 'acme/web'],
      lost: 'AKIALOST',
      older: ['acme/app'],
      current: 'AKIAOLD'
    },
    'info',
    'acme/api, acme/web hold AKIALOST; acme/app holds AKIAOLD'
  ],
  [
    { kind: 'both-held', lost: 'AKIALOST', newer: ['acme/api'], current: 'AKIAOLD' },
    'warning',
    [
      'Both keys are held: deleting AKIALOST, whose holders acme/api were written by the run',
      'that created it; they are without a working key until the new one is written there (first).',
      'AKIAOLD stays until every target holds the new key.'
    ].join(' ')
  ],
  [
    { kind: 'id-put-back', target: 'acme/app', name: 'ID', key: 'AKIAOLD' },
    'info',
    'acme/app: ID put back to AKIAOLD, matching its secret'
  ],
  [
    { kind: 'id-set', target: 'acme/app', name: 'ID', key: 'AKIANEW' },
    'info',
    'acme/app: ID set to AKIANEW, matching its secret'
  ],
  [
    { kind: 'writable-again', target: 'acme/app', name: 'ID', key: 'AKIAOLD' },
    'info',
    'acme/app takes writes again: ID rewritten as AKIAOLD'
  ],
  [
    { kind: 'lost-answer', key: 'AKIAX' },
    'warning',
    'IAM created AKIAX but its answer was lost, so its secret was never seen: deleted it'
  ],
  [
    { kind: 'create-again', attempt: 2 },
    'info',
    'CreateAccessKey had no definite answer (attempt 2): IAM kept no key; once more'
  ],
  [{ kind: 'created', key: 'AKIANEW' }, 'info', 'Created AKIANEW'],
  [
    { kind: 'verified', afterMs: 4200, attempts: 3 },
    'info',
    'Verified after 4200 ms (3 attempt(s))'
  ],
  [
    { kind: 'renew-failed', error: new Error('Rate exceeded') },
    'warning',
    'Renewing the lease failed: Rate exceeded'
  ],
  [
    { kind: 'renew-failed', error: new Error('Rate exceeded'), waiting: true },
    'warning',
    'Renewing the lease before waiting failed: Rate exceeded'
  ],
  [
    { kind: 'rate-limited', waitMs: 3_599_001, writesLeft: 3 },
    'warning',
    [
      'GitHub answered a secret write with a rate limit. Waiting 3600 s as GitHub asks,',
      'the lease kept over the wait, then writing again (3 write(s) left).'
    ].join(' ')
  ],
  [
    { kind: 'missed', target: 'acme/app', why: { miss: 'refused', error: new Error('archived.') } },
    'warning',
    'acme/app: archived'
  ],
  [
    { kind: 'written', target: 'acme/app', names: ['ID', 'SECRET'] },
    'info',
    'acme/app: ID, SECRET written'
  ],
  [
    { kind: 'waiting', key: 'AKIAOLD', runs: [run, run2] },
    'info',
    'Waiting for workflow runs that may still sign with AKIAOLD: acme/app run 7 (in_progress), acme/api run 8 (queued)'
  ],
  [
    { kind: 'waiting', key: 'AKIAOLD', runs: [run], upToMs: 600_000 },
    'info',
    'Waiting up to 10 min for workflow runs that may still sign with AKIAOLD: acme/app run 7 (in_progress)'
  ],
  [
    { kind: 'cannot-tell', key: 'AKIAOLD', why: { kind: 'refused', reason: forbidden } },
    'warning',
    "Cannot tell which workflow runs hold AKIAOLD: GitHub refused a listing (403: Resource not accessible by integration): the token or App needs the repository permission 'Actions: Read' (and 'Metadata: Read' to list an organization's repositories)"
  ],
  [
    { kind: 'still-waiting', why: { kind: 'failed', reason: { kind: 'timeout' } } },
    'warning',
    'Workflow runs: GitHub did not answer a listing of workflow runs (no response: timed out); still waiting'
  ],
  [
    { kind: 'stopped-waiting', key: 'AKIAOLD', runs: [run] },
    'info',
    'Stopped waiting: acme/app run 7 (in_progress) still may sign with AKIAOLD'
  ],
  [
    { kind: 'runs-ended', key: 'AKIAOLD' },
    'info',
    'Every workflow run that may have held AKIAOLD has ended'
  ],
  [
    { kind: 'retiring-blind', how: 'revoke', why: { kind: 'failed', reason: { kind: 'timeout' } } },
    'warning',
    "Cannot tell which workflow runs may still sign with the old key (GitHub did not answer a listing of workflow runs (no response: timed out)); retiring it anyway ('in-flight-runs: revoke'): a deploy running now may fail"
  ],
  [
    { kind: 'retiring-blind', how: 'capped', why: { kind: 'failed', reason: { kind: 'timeout' } } },
    'warning',
    "Cannot tell which workflow runs may still sign with the old key (GitHub did not answer a listing of workflow runs (no response: timed out)); retiring it anyway (past 'drain-cap-days'): a deploy running now may fail"
  ],
  [
    { kind: 'retiring-held', how: 'revoke', runs: [run, run2] },
    'warning',
    "Revoking the old key at once ('in-flight-runs: revoke'): acme/app run 7, acme/api run 8 may still sign with it and will fail when they do"
  ],
  [
    { kind: 'retiring-held', how: 'capped', runs: [run] },
    'warning',
    "Retiring the old key past 'drain-cap-days': acme/app run 7 still runs and may fail"
  ],
  [
    { kind: 'retiring-held', how: 'capped', runs: [run, run2] },
    'warning',
    "Retiring the old key past 'drain-cap-days': acme/app run 7, acme/api run 8 still run and may fail"
  ],
  [
    { kind: 'kept-active', key: 'AKIAOLD', runs: 2 },
    'info',
    'AKIAOLD stays Active for 2 workflow run(s) that may still sign with it: a later run retires it'
  ],
  [
    { kind: 'kept-active', key: 'AKIAOLD', runs: 0 },
    'info',
    'AKIAOLD stays Active: a later run retires it'
  ],
  [
    { kind: 'inactive-until', key: 'AKIAOLD', day: '2026-12-01' },
    'info',
    'AKIAOLD stays Inactive until 2026-12-01; a run after that deletes it'
  ],
  [{ kind: 'retired', key: 'AKIAOLD', fate: 'deleted' }, 'info', 'Old key AKIAOLD deleted'],
  [{ kind: 'old-gone', key: 'AKIAOLD' }, 'warning', 'AKIAOLD no longer exists'],
  [
    { kind: 'old-gone', key: 'AKIAOLD', other: 'AKIAODD' },
    'warning',
    'AKIAOLD no longer exists; AKIAODD is Active beside the new key and this run did not plan for it: left alone'
  ]
]

describe('progress in words', () => {
  it.each(EVENTS)('%j', (event, level, line) => {
    expect(levelOf(event)).toBe(level)
    expect(progressLines(event)).toEqual([line])
  })

  it('a dry run shows its plan line by line', () => {
    const { plan, req } = dryRun(['app', 'api'])
    expect(progressLines({ kind: 'dry-run', plan, req })).toEqual([
      "Dry run: create a new key and verify it with STS ('force' is set)",
      'Dry run: write A and B to acme/app',
      'Dry run: write A and B to acme/api',
      'Dry run: not checked: that the token may write these secrets (GitHub has no dry-run write)'
    ])
    expect(levelOf({ kind: 'dry-run', plan, req })).toBe('info')
  })

  it.each<[Section, string]>([
    [{ section: 'plan', user: 'deploy' }, 'Plan: access keys of IAM user deploy'],
    [{ section: 'read-targets', count: 2 }, 'Read the public key of 2 target(s)'],
    [{ section: 'create' }, 'Create access key'],
    [{ section: 'verify' }, 'Verify the new key with STS'],
    [{ section: 'retire-old', key: 'AKIAOLD' }, 'Retire the old key AKIAOLD'],
    [{ section: 'retire-replaced', key: 'AKIAOLD' }, 'Retire AKIAOLD, replaced by an earlier run'],
    [{ section: 'recover', key: 'AKIALOST' }, 'Recover AKIALOST, whose secret an ended run lost']
  ])('section %j', (section, title) => {
    expect(sectionTitle(section)).toBe(title)
  })
})

describe('why a target was missed, in words', () => {
  const denied = new Error('GitHub denied it.')
  it.each<[Miss, string]>([
    [{ miss: 'refused', error: denied }, 'GitHub denied it'],
    [
      { miss: 'no-old', error: denied, target: 'acme/app' },
      'GitHub denied it; acme/app has no old key to go back to'
    ],
    [
      { miss: 'not-back', error: denied, name: 'ID', key: 'AKIAOLD', again: undefined },
      'GitHub denied it; putting ID back to AKIAOLD failed too (no answer)'
    ],
    [
      { miss: 'unseen', error: denied },
      "GitHub denied it; GitHub's record does not show either write yet"
    ],
    [
      { miss: 'unseen', error: undefined, unseen: 'SECRET' },
      "no answer; GitHub's record does not show the write of SECRET yet"
    ],
    [{ miss: 'stopped' }, 'the run stopped while writing it']
  ])('%j', (miss, words) => {
    expect(missWords(miss)).toBe(words)
  })
})

describe("the rotation's own errors in words", () => {
  it('a rate limit met between two writes names the mixed pair it may leave', () => {
    const limited = new RateLimited(
      {
        step: {
          doing: { doing: 'write', secret: 'ID' },
          target: { kind: 'repository', owner: 'acme', repo: 'app' }
        },
        reason: { kind: 'answered', status: 429, message: 'secondary rate limit' }
      },
      5_000
    )
    expect(rotationWords(new Midway(limited, 'acme/app', 'ID'))).toBe(
      `${rateLimitWords(limited.limit, 5_000)} (acme/app's ID may already hold the new key ID: a mixed pair until its secret is written)`
    )
  })

  it.each<[string, Cancelled | NotEverywhere]>([
    ['Cancelled before creating a key', new Cancelled({ at: 'before-create' })],
    ['Cancelled while verifying', new Cancelled({ at: 'verifying' })],
    ['Cancelled before writing any secret', new Cancelled({ at: 'before-writing' })],
    ['Cancelled after the new key reached every target', new Cancelled({ at: 'published' })],
    [
      'Cancelled while waiting for workflow runs that may sign with AKIAOLD',
      new Cancelled({ at: 'draining', key: 'AKIAOLD' })
    ],
    ["Cancelled while waiting for GitHub's rate limit", new Cancelled({ at: 'rate-limit' })],
    ['the new key did not certainly reach every target', new NotEverywhere()]
  ])('%s', (words, error) => {
    expect(rotationWords(error)).toBe(words)
  })
})
