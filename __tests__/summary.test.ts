/**
 * The job summary, as a runner writes it: `@actions/core` appends to the file named by
 * GITHUB_STEP_SUMMARY, and GitHub renders that file as Markdown with HTML. Each user's row says
 * what happened (a dry run and a key not yet due are not "rotated"), and no text that comes from
 * outside the action (errors, user and target names, AWS and GitHub answers) reaches the page as
 * HTML.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals'
import * as core from '@actions/core'
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { UserResult } from '../src/fleet.js'
import { plan } from '../src/rotation/plan.js'
import type { Outcome } from '../src/rotation/index.js'
import { fleetFailure, setOutputs, writeSummary } from '../src/report/summary.js'
import { dryRun } from './fakes/dry-run.js'

const DAY = 86_400_000
const NOW = Date.UTC(2026, 10, 22, 12)
const NOT_DUE = {
  why: 'not-due',
  key: 'AKIAOLD',
  days: 10,
  due: new Date('2027-01-11T12:00:00Z'),
  maxAgeDays: 60
} as const

let dir: string
let file: string
const saved = process.env.GITHUB_STEP_SUMMARY
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'summary-'))
  file = join(dir, 'step_summary.md')
  writeFileSync(file, '')
  // @actions/core remembers the path the first time it writes: one file for every test.
  process.env.GITHUB_STEP_SUMMARY = file
})
beforeEach(() => {
  core.summary.emptyBuffer()
  writeFileSync(file, '')
})
afterAll(() => {
  if (saved === undefined) delete process.env.GITHUB_STEP_SUMMARY
  else process.env.GITHUB_STEP_SUMMARY = saved
  rmSync(dir, { recursive: true, force: true })
})

const outcome = (o: Partial<Outcome> = {}): Outcome => ({
  userName: 'deploy-app',
  rotated: false,
  written: [],
  cleared: [],
  ...o
})

/** Write the summary for these results and return the page, as the runner would upload it. */
async function summarize(...results: UserResult[]): Promise<string> {
  await writeSummary(results)
  return readFileSync(file, 'utf8')
}

/** The table's body rows, as the text of their cells. */
function rows(page: string): string[][] {
  const table = /<table>([\s\S]*?)<\/table>/.exec(page)?.[1] ?? ''
  return [...table.matchAll(/<tr>([\s\S]*?)<\/tr>/g)]
    .slice(1)
    .map((r) => [...(r[1] as string).matchAll(/<td>([\s\S]*?)<\/td>/g)].map((c) => c[1] as string))
}

/** Every HTML tag on the page, by name. */
const tags = (page: string): string[] =>
  [...page.matchAll(/<\/?([a-zA-Z][\w-]*)/g)].map((m) => (m[1] as string).toLowerCase())

/** The tags `@actions/core` and the summary itself write. */
const OURS = ['h2', 'h3', 'table', 'tr', 'th', 'td', 'br', 'p', 'strong', 'pre', 'code']

describe('each user has a row that says what happened', () => {
  it.each<[string, UserResult, string]>([
    [
      'a rotation',
      {
        outcome: outcome({ rotated: true, newKeyId: 'AKIANEW', written: ['acme/app'] })
      },
      '✅ rotated'
    ],
    [
      'a dry run',
      {
        outcome: outcome({
          reason: { why: 'force' },
          plan: dryRun()
        })
      },
      '🔍 dry run, nothing changed'
    ],
    [
      'a key not due yet',
      {
        outcome: outcome({
          decision: 'idle',
          reason: NOT_DUE,
          nextDue: new Date('2027-01-11T12:00:00Z')
        })
      },
      '⏭️ not due (next on 2027-01-11)'
    ],
    ['a failure', { outcome: outcome(), error: 'it broke' }, '❌ failed'],
    [
      'a failure after the rotation',
      { outcome: outcome({ rotated: true, newKeyId: 'AKIANEW' }), error: 'clean-up failed' },
      '⚠️ rotated, clean-up failed'
    ]
  ])('%s', async (_, result, expected) => {
    const [row] = rows(await summarize(result))
    expect(row?.[1]).toBe(expected)
  })

  it("takes the date of a key not due yet from the plan's data, not its words", async () => {
    const created = new Date(NOW - 10 * DAY)
    const decided = plan(
      [{ id: 'AKIAOLDOLDOLDOLDOLDO', status: 'Active', created }],
      {},
      { run: { id: '1', attempt: 1 }, workflow: 'acme/ops/rotate.yml', targets: 'aaaaaaaaaaaa' },
      { now: NOW, maxAgeDays: 60, force: false, gracePeriodDays: 0, deleteOldKey: true }
    )
    if (decided.kind !== 'idle') throw new Error(`expected idle, got ${decided.kind}`)
    const [row] = rows(
      await summarize({
        outcome: outcome({ decision: 'idle', reason: decided.reason, nextDue: decided.due })
      })
    )
    expect(row?.[1]).toBe('⏭️ not due (next on 2027-01-11)')
  })

  it('a dry run lists its plan and says it cannot prove the token may write', async () => {
    const page = await summarize({
      outcome: outcome({ plan: dryRun() })
    })
    expect(page).toContain(
      [
        'Dry run, nothing changed. The run would: create a new key and verify it with STS',
        '(&#39;force&#39; is set); write A and B to acme/app; not checked:'
      ].join(' ')
    )
    expect(page).toMatch(/cannot (check|prove) that the token may write/)
  })
})

describe('text from outside the action is escaped', () => {
  const hostile = `AccessDenied <script>alert("x")</script> | col & 'quote'\n\nmore`

  it('an error with <script> and | is shown as text, in its code block', async () => {
    const page = await summarize({ outcome: outcome(), error: hostile })
    expect(page).not.toContain('<script>')
    expect(page).toContain(
      '<pre><code>AccessDenied &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#124; col &amp; &#39;quote&#39;\n\nmore</code></pre>'
    )
    expect(tags(page).filter((t) => !OURS.includes(t))).toEqual([])
  })

  it('user names, targets, reasons and plan lines are escaped in the table and the notes', async () => {
    const evil = '<img src=x onerror=alert(1)>'
    const page = await summarize(
      {
        outcome: outcome({
          userName: `deploy${evil}`,
          rotated: true,
          newKeyId: 'AKIANEW',
          written: [`acme/app${evil}`, 'acme/api|x'],
          reason: { why: 'age', key: `AKIA\n\n${evil}`, days: 1, maxAgeDays: 0 },
          finished: { retired: `AKIAOLD${evil}` }
        })
      },
      {
        outcome: outcome({ userName: 'dry', plan: dryRun([`app${evil}`]) })
      },
      { outcome: outcome({ userName: `failed${evil}` }), error: hostile }
    )
    expect(page).not.toContain('<img')
    expect(page).not.toContain('<script')
    expect(tags(page).filter((t) => !OURS.includes(t))).toEqual([])
    const [first] = rows(page)
    expect(first?.[0]).toBe('deploy&lt;img src=x onerror=alert(1)&gt;')
    expect(first?.[4]).toBe('acme/app&lt;img src=x onerror=alert(1)&gt;<br>acme/api&#124;x')
    // A blank line outside <pre> would end an HTML block and let the rest be read as Markdown.
    expect(page.replace(/<pre>[\s\S]*?<\/pre>\n/g, '')).not.toContain('\n\n')
  })
})

describe('workflow runs that may hold the previous key', () => {
  const base: Outcome = { userName: 'deploy', rotated: true, written: ['acme/app'], cleared: [] }
  const run = {
    repo: 'acme/app',
    id: 4_200_000_007,
    attempt: 1,
    status: 'in_progress',
    url: 'https://github.com/acme/app/actions/runs/4200000007'
  }

  it('names each run with a link, and says the previous key stays Active for a later run', async () => {
    await writeSummary([{ outcome: { ...base, inFlight: { fate: 'held', runs: [run] } } }])
    const page = readFileSync(file, 'utf8')
    expect(page).toContain('✅ rotated, old key kept for running deploys')
    expect(page).toContain(
      '<a href="https://github.com/acme/app/actions/runs/4200000007">acme/app run 4200000007</a> (in_progress)'
    )
    expect(page).toContain('A later run (due or not) retires it once they have ended')
  })

  it('escapes what GitHub returned: a URL or status cannot inject HTML', async () => {
    const evil = { ...run, url: 'https://x/"><script>alert(1)</script>', status: '<b>x</b>' }
    await writeSummary([{ outcome: { ...base, inFlight: { fate: 'revoked', runs: [evil] } } }])
    const page = readFileSync(file, 'utf8')
    expect(page).not.toContain('<script>')
    expect(page).not.toContain('<b>x</b>')
    expect(page).toContain('(&#39;in-flight-runs: revoke&#39;): these runs may fail')
  })

  it('links only to web pages: another scheme is shown as text', async () => {
    const odd = { ...run, url: 'javascript:alert(1)' }
    await writeSummary([{ outcome: { ...base, inFlight: { fate: 'held', runs: [odd] } } }])
    const page = readFileSync(file, 'utf8')
    expect(page).not.toContain('href="javascript')
    expect(page).toContain('acme/app run 4200000007')
  })

  it('a run that rotated nothing because the previous key is still held says so', async () => {
    await writeSummary([
      { outcome: { ...base, rotated: false, written: [], inFlight: { fate: 'held', runs: [run] } } }
    ])
    expect(readFileSync(file, 'utf8')).toContain('⏸️ old key still held by running deploys')
  })
})

describe('the outputs a dashboard reads', () => {
  const saved = process.env.GITHUB_OUTPUT
  let outputFile: string
  beforeEach(() => {
    outputFile = join(dir, 'output.txt')
    writeFileSync(outputFile, '')
    process.env.GITHUB_OUTPUT = outputFile
  })
  afterAll(() => {
    if (saved === undefined) delete process.env.GITHUB_OUTPUT
    else process.env.GITHUB_OUTPUT = saved
  })
  /** The outputs as the runner reads them from GITHUB_OUTPUT (`name<<DELIMITER`, value, delimiter). */
  const outputs = (): Record<string, string> => {
    const text = readFileSync(outputFile, 'utf8')
    const pairs = [...text.matchAll(/^([\w-]+)<<(\S+)\n([\s\S]*?)\n\2$/gm)].map(
      (m): [string, string] => [m[1] ?? '', m[3] ?? '']
    )
    return Object.fromEntries(pairs)
  }
  const day = (d: string): Date => new Date(`${d}T12:00:00Z`)

  it('counts rotated, not-due and failed users, and gives the earliest next due date', () => {
    setOutputs([
      {
        outcome: outcome({
          userName: 'a',
          rotated: true,
          decision: 'rotate',
          nextDue: day('2027-03-01')
        })
      },
      { outcome: outcome({ userName: 'b', decision: 'idle', nextDue: day('2027-01-11') }) },
      { outcome: outcome({ userName: 'c', decision: 'idle', nextDue: day('2027-02-01') }) },
      // Failed while due: its date has passed, and it is the one a dashboard must show.
      {
        outcome: outcome({ userName: 'd', decision: 'rotate', nextDue: day('2026-10-01') }),
        error: 'x'
      },
      { outcome: outcome({ userName: 'e', decision: 'rotate', plan: dryRun() }) }
    ])
    const out = outputs()
    expect([out['rotated-count'], out['not-due-count'], out['failed-count']]).toEqual([
      '1',
      '2',
      '1'
    ])
    expect(out['next-due-date']).toBe('2026-10-01')
    const results = JSON.parse(out.results ?? '[]') as Record<string, unknown>[]
    expect(results.map((r) => r['next-due-date'])).toEqual([
      '2027-03-01',
      '2027-01-11',
      '2027-02-01',
      '2026-10-01',
      null
    ])
  })

  it('a rotation that then failed counts as failed, not rotated; no date: an empty next-due-date', () => {
    setOutputs([
      { outcome: outcome({ rotated: true, decision: 'rotate' }), error: 'clean-up failed' }
    ])
    const out = outputs()
    expect([out['rotated-count'], out['not-due-count'], out['failed-count']]).toEqual([
      '0',
      '0',
      '1'
    ])
    expect(out['next-due-date']).toBe('')
  })
})

describe('the error of a run where some users failed', () => {
  it('says a cause every user shares once, with every name', () => {
    const error = "Could not assume role X with GitHub's OIDC token (AccessDenied: no)."
    expect(
      fleetFailure([
        { outcome: outcome({ userName: 'a' }), error },
        { outcome: outcome({ userName: 'b' }), error }
      ])
    ).toBe(`All 2 users failed with the same error (a, b):\n${error}`)
  })

  it('says what happened to the others, from their results: not "rotated" when one was not due', () => {
    const message = fleetFailure([
      { outcome: outcome({ userName: 'stuck', decision: 'rotate' }), error: 'two Active keys' },
      { outcome: outcome({ userName: 'deploy', decision: 'idle' }) }
    ])
    expect(message).toBe(
      "1 of 2 users failed: stuck. Each user's error is above and in the job summary; the other users: 1 not due."
    )
    expect(message).not.toContain('rotated')
  })

  it('counts each way the others ended', () => {
    expect(
      fleetFailure([
        { outcome: outcome({ userName: 'a' }), error: 'x' },
        { outcome: outcome({ userName: 'b' }), error: 'y' },
        { outcome: outcome({ userName: 'c', rotated: true, decision: 'rotate' }) },
        { outcome: outcome({ userName: 'd', rotated: true, decision: 'rotate' }) },
        { outcome: outcome({ userName: 'e', decision: 'idle' }) },
        {
          outcome: outcome({
            userName: 'f',
            decision: 'rotate',
            inFlight: { fate: 'held', runs: [] }
          })
        }
      ])
    ).toBe(
      "2 of 6 users failed: a, b. Each user's error is above and in the job summary; the other users: 2 rotated, 1 not due, 1 not rotated while running deploys hold an earlier old key."
    )
  })

  it('names no others when every user failed', () => {
    expect(
      fleetFailure([
        { outcome: outcome({ userName: 'a' }), error: 'x' },
        { outcome: outcome({ userName: 'b' }), error: 'y' }
      ])
    ).toBe("2 of 2 users failed: a, b. Each user's error is above and in the job summary.")
  })
})

describe('the note on why a user was rotated or not', () => {
  const everyRun = 'every run rotates (max-age-days is 0)'
  const EVERY_RUN = { why: 'every-run' } as const
  it.each<[string, UserResult, string]>([
    [
      'a rotation gives its reason',
      { outcome: outcome({ rotated: true, decision: 'rotate', reason: EVERY_RUN }) },
      `Rotated: ${everyRun}.`
    ],
    [
      'a user not due gives why not',
      { outcome: outcome({ decision: 'idle', reason: NOT_DUE }) },
      'Not rotated: key AKIAOLD is 10 days old; it is due on 2027-01-11 (max-age-days is 60).'
    ],
    [
      'a failed rotation says it failed',
      { outcome: outcome({ decision: 'rotate', reason: EVERY_RUN }), error: 'it broke' },
      `Planned to rotate: ${everyRun}. Not rotated: the rotation failed; what happened is below.`
    ],
    [
      'a rotation held back by running deploys says so',
      {
        outcome: outcome({
          decision: 'rotate',
          reason: EVERY_RUN,
          inFlight: { fate: 'held', runs: [] }
        })
      },
      `Planned to rotate: ${everyRun}. Not rotated: the key an earlier rotation replaced is still Active for running deploys`
    ],
    [
      'a dry run says it is one',
      { outcome: outcome({ decision: 'rotate', reason: EVERY_RUN, plan: dryRun() }) },
      `Planned to rotate: ${everyRun}. Not rotated: this is a dry run.`
    ]
  ])('%s', async (_, result, expected) => {
    const page = await summarize(result)
    expect(page).toContain(expected)
    // A reason to rotate never explains a user that was not rotated.
    expect(page).not.toContain(`Not rotated: ${everyRun}`)
  })
})

describe('many accounts', () => {
  it('groups the users by AWS account, a table each, in the order the accounts first appear', async () => {
    const page = await summarize(
      { outcome: outcome({ userName: 'a1' }), account: '111111111111' },
      { outcome: outcome({ userName: 'b1' }), account: '222222222222', error: 'refused' },
      { outcome: outcome({ userName: 'a2' }), account: '111111111111' }
    )
    const sections = page.split(/<h3>/).slice(1)
    expect(sections.map((s) => /^([^<]*)<\/h3>/.exec(s)?.[1])).toEqual([
      'AWS account 111111111111',
      'AWS account 222222222222',
      'What happened to b1'
    ])
    expect(rows(sections[0] ?? '').map((r) => r[0])).toEqual(['a1', 'a2'])
    expect(rows(sections[1] ?? '').map((r) => r[0])).toEqual(['b1'])
  })

  it('puts users whose account is not known (credentials that never answered) in a group of their own', async () => {
    const page = await summarize(
      { outcome: outcome({ userName: 'a1' }), account: '111111111111' },
      { outcome: outcome({ userName: 'x' }), error: 'no credentials' }
    )
    const sections = page.split(/<h3>/).slice(1)
    expect(sections.map((s) => /^([^<]*)<\/h3>/.exec(s)?.[1])).toEqual([
      'AWS account 111111111111',
      'AWS account not known',
      'What happened to x'
    ])
    expect(rows(sections[1] ?? '').map((r) => r[0])).toEqual(['x'])
  })

  it('keeps one table when every user is in one account', async () => {
    const page = await summarize(
      { outcome: outcome({ userName: 'a1' }), account: '111111111111' },
      { outcome: outcome({ userName: 'a2' }), account: '111111111111' }
    )
    expect(page).not.toContain('AWS account')
    expect(rows(page).map((r) => r[0])).toEqual(['a1', 'a2'])
  })
})
