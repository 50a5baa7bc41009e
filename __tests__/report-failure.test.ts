/**
 * The message of each kind of failure, said from its facts (src/rotation/aftermath.ts): one
 * snapshot per kind. The machine tests hold the facts to what a run leaves; these hold the words.
 */
import { describe, expect, it } from '@jest/globals'
import type { Aftermath, Lease } from '../src/rotation/aftermath.js'
import { failureMessage } from '../src/report/failure.js'

const user = 'deploy'
const key = 'AKIANEW'
const old = 'AKIAOLD'
/** An AWS SDK error, as explainAws reads one. */
const aws = (name: string, message: string): Error =>
  Object.assign(new Error(message), { name, $metadata: { httpStatusCode: 400, attempts: 1 } })
const other = (message: string) => ({ error: new Error(message), kind: 'other' as const })
const released: Lease = { lease: 'released' }
const stuck: Lease = {
  lease: 'stuck',
  releaseError: 'Throttling: Rate exceeded',
  until: new Date(Date.UTC(2026, 10, 22, 12, 30))
}
const run = { repo: 'acme/app', id: 7, attempt: 1, status: 'in_progress', url: 'https://x/7' }

const KINDS: [string, Aftermath][] = [
  [
    'planned: making room failed',
    {
      at: 'planned',
      user,
      cause: { error: aws('AccessDenied', 'not allowed'), kind: 'other' },
      cleared: ['AKIALEFT']
    }
  ],
  [
    'planned: a target still holds the key to retire',
    {
      at: 'planned',
      user,
      cause: { ...other('AKIAX is Active beside…'), kind: 'still-held' },
      cleared: []
    }
  ],
  [
    'leased: the create was refused, the lease cleared',
    {
      at: 'leased',
      user,
      cause: { error: aws('AccessDenied', 'not allowed'), kind: 'other' },
      cleared: [],
      old,
      lease: { lease: 'cleared' }
    }
  ],
  [
    'leased: another run took the user over, no other key',
    {
      at: 'leased',
      user,
      cause: { ...other('another run'), kind: 'contended' },
      cleared: [],
      lease: { lease: 'yielded' }
    }
  ],
  [
    'created: verification failed, the delete failed too, the lease stuck',
    {
      at: 'created',
      user,
      cause: other('the new key AKIANEW was still refused by STS'),
      cleared: [],
      key,
      old,
      undone: { newKey: 'kept', error: 'no answer', ...stuck }
    }
  ],
  [
    'created: the plan was stale',
    {
      at: 'created',
      user,
      cause: { ...other('IAM lists AKIAODD, which the plan did not see'), kind: 'stale' },
      cleared: [],
      key,
      old,
      undone: { newKey: 'deleted', lease: 'cleared' }
    }
  ],
  [
    'created: the old key is gone, another run yielded to',
    {
      at: 'created',
      user,
      cause: { ...other('AKIAOLD is gone'), kind: 'old-gone' },
      cleared: [],
      key,
      old,
      undone: { newKey: 'deleted', lease: 'yielded', ownCleared: true }
    }
  ],
  [
    'verified: cancelled before any write',
    {
      at: 'verified',
      user,
      cause: { ...other('Cancelled before writing any secret'), kind: 'cancelled' },
      cleared: ['AKIALEFT'],
      key,
      old,
      undone: { newKey: 'deleted', lease: 'released', rewrite: true }
    }
  ],
  [
    'publishing: every target refused, the key undone',
    {
      at: 'publishing',
      user,
      cause: {
        ...other('the new key did not certainly reach every target'),
        kind: 'not-everywhere'
      },
      cleared: [],
      key,
      old,
      tried: true,
      written: [],
      refused: [
        { target: 'acme/app', why: { error: new Error('archived') } },
        { target: 'acme/api', why: { error: new Error('read-only token') } }
      ],
      doubt: [],
      holdOld: [],
      publication: { left: 'undone', undone: { newKey: 'deleted', lease: 'cleared' } }
    }
  ],
  [
    'publishing: every target holds the key, the mark failed',
    {
      at: 'publishing',
      user,
      cause: { error: aws('Throttling', 'Rate exceeded'), kind: 'other' },
      cleared: [],
      key,
      old,
      tried: true,
      written: ['acme/app', 'acme/api'],
      refused: [],
      doubt: [],
      holdOld: [],
      publication: { left: 'everywhere', lease: released }
    }
  ],
  [
    'publishing: halfway, both keys stay, the record failed',
    {
      at: 'publishing',
      user,
      cause: { error: new Error('GitHub did not answer'), kind: 'other' },
      cleared: [],
      key,
      old,
      tried: false,
      written: ['acme/app'],
      refused: [{ target: 'acme/web', why: { error: new Error('archived') } }],
      doubt: [{ target: 'acme/api', why: { stopped: true } }],
      holdOld: ['acme/ops', 'acme/lib'],
      publication: { left: 'both', recorded: { error: 'Rate exceeded' }, lease: stuck }
    }
  ],
  [
    'published: the old key deactivated, its delete failed',
    {
      at: 'published',
      user,
      cause: { error: aws('AccessDenied', 'not allowed'), kind: 'other' },
      cleared: [],
      key,
      old,
      lease: released,
      retiring: { id: old, fate: 'deactivated' },
      deletesInactive: true
    }
  ],
  [
    'published: cancelled before retiring',
    {
      at: 'published',
      user,
      cause: { ...other('Cancelled after the new key reached every target'), kind: 'cancelled' },
      cleared: [],
      key,
      old,
      lease: released,
      deletesInactive: false
    }
  ],
  [
    'draining: cancelled while a deploy holds the old key',
    {
      at: 'draining',
      user,
      cause: { ...other('Cancelled while waiting'), kind: 'cancelled' },
      cleared: [],
      key,
      old,
      lease: released,
      runs: [run],
      waitedMs: 3000
    }
  ]
]

describe('failureMessage', () => {
  it('has a kind for every state a failure can hit', () => {
    const states = new Set(KINDS.map(([, a]) => a.at))
    expect([...states]).toEqual([
      'planned',
      'leased',
      'created',
      'verified',
      'publishing',
      'published',
      'draining'
    ])
  })

  it.each(KINDS)('%s', (_, aftermath) => {
    expect(failureMessage(aftermath)).toMatchSnapshot()
  })
})
