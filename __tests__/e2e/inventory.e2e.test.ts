/**
 * End to end: `mode: inventory` over an account of 1,000 seeded users with mixed keys (old,
 * unused, managed, unmanaged, Inactive, none), through the bundled action. It reads and changes
 * nothing: no IAM write, no GitHub request at all. Its JSON output matches the seeded truth, the
 * SARIF file validates against the SARIF 2.1.0 schema with one result per finding and
 * fingerprints stable across runs (a fixed finding's disappears), and the summary lists the worst
 * first. The run's time and IAM request count are printed for the record.
 */
import { describe, expect, it } from '@jest/globals'
import { mkdtempSync, readFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DeleteAccessKeyCommand, IAMClient } from '@aws-sdk/client-iam'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import type { SeedUser } from '../../emulators/aws/index.js'
import { startWorld, type World } from '../../emulators/world.js'
import { formatKeyMark } from '../../src/rotation/marks.js'
import { mutations, scanRunsAfterEach } from './helpers.js'

let world: World | undefined
const { run } = scanRunsAfterEach(() => world)

const DAY = 86_400_000
const ago = (days: number): Date => new Date(Date.now() - days * DAY)
const used = (days: number) => ({ date: ago(days), serviceName: 's3', region: 'eu-west-1' })
const READS = new Set([
  'sts:AssumeRoleWithWebIdentity',
  'sts:GetCallerIdentity',
  'iam:ListUsers',
  'iam:ListAccessKeys',
  'iam:GetAccessKeyLastUsed',
  'iam:ListUserTags'
])

/** What each kind of seeded user has, and the findings its keys must get (90 and 45 days). */
const KINDS: Array<{ keys: NonNullable<SeedUser['keys']>; expect: string[][]; path?: string }> = [
  { keys: [], expect: [] }, // no key: not in the inventory
  { keys: [{ createDate: ago(10), lastUsed: used(1) }], expect: [[]] },
  { keys: [{ createDate: ago(200), lastUsed: used(1) }], expect: [['IAM.3']] },
  { keys: [{ createDate: ago(100) }], expect: [['IAM.3', 'IAM.22']] }, // old and never used
  { keys: [{ createDate: ago(60), lastUsed: used(50) }], expect: [['IAM.22']] },
  {
    keys: [
      { createDate: ago(5), lastUsed: used(1) },
      { status: 'Inactive', createDate: ago(300) }
    ],
    expect: [[], []]
  },
  {
    keys: [
      {
        createDate: ago(10),
        lastUsed: used(2),
        tag: formatKeyMark({ state: 'published', at: ago(10), targets: 'abcdef012345' })
      }
    ],
    expect: [[]]
  },
  {
    keys: [
      {
        createDate: ago(120),
        lastUsed: used(1),
        tag: formatKeyMark({ state: 'published', at: ago(120), targets: '0123456789ab' })
      }
    ],
    expect: [['IAM.3']]
  },
  { keys: [{ createDate: ago(30) }], expect: [[]] }, // never used, but young
  { keys: [{ createDate: ago(46) }], expect: [['IAM.22']], path: '/deploy/' }
]

interface Truth {
  user: string
  status: string
  findings: string[]
  managed: string | null
  lastUsed: string | null
}

/** Seed `count` users of the kinds above in turn; the truth of every key, by key ID. */
function seed(w: World, count: number): Map<string, Truth> {
  const seeds = Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number]
    return {
      userName: `svc-${String(i).padStart(4, '0')}`,
      path: kind.path ?? '/',
      keys: kind.keys,
      tags: { team: `t${i % 7}` }
    }
  })
  const ids = w.aws.seedUsers(seeds)
  const truth = new Map<string, Truth>()
  seeds.forEach((s, i) => {
    const kind = KINDS[i % KINDS.length] as (typeof KINDS)[number]
    ;(ids.get(s.userName) ?? []).forEach((id, k) => {
      const key = kind.keys[k]
      truth.set(id, {
        user: s.userName,
        status: key?.status ?? 'Active',
        findings: kind.expect[k] ?? [],
        managed: key?.tag ? 'published' : null,
        lastUsed: key?.lastUsed ? 's3' : null
      })
    })
  })
  // The world's own users: the admin's key (new, used by nobody in this run) and the deploy
  // user's 95-day-old key, never used.
  truth.set(w.admin.accessKeyId, {
    user: 'admin',
    status: 'Active',
    findings: [],
    managed: null,
    lastUsed: null
  })
  truth.set(w.oldKey.accessKeyId, {
    user: 'deploy',
    status: 'Active',
    findings: ['IAM.3', 'IAM.22'],
    managed: null,
    lastUsed: null
  })
  return truth
}

interface Row {
  account: string
  'iam-user-name': string
  'access-key-id': string
  status: string
  'last-used': { service: string } | null
  managed: { state: string } | null
  findings: Array<{ rule: string }>
}

const asTruth = (rows: Row[]): Map<string, Truth> =>
  new Map(
    rows.map((r) => [
      r['access-key-id'],
      {
        user: r['iam-user-name'],
        status: r.status,
        findings: r.findings.map((f) => f.rule),
        managed: r.managed?.state ?? null,
        lastUsed: r['last-used']?.service ?? null
      }
    ])
  )

function sarifValidator() {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, '../fixtures/sarif-schema-2.1.0.json'), 'utf8')
  ) as Record<string, unknown>
  const { $schema: _draft, id, ...rest } = schema
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
  formats.default(ajv)
  return ajv.compile({ $id: id as string, ...rest })
}

interface Sarif {
  runs: Array<{
    results: Array<{ ruleId: string; partialFingerprints: Record<string, string> }>
  }>
}
const prints = (s: Sarif): string[] =>
  s.runs[0]?.results.map((r) => Object.values(r.partialFingerprints).join()) ?? []

describe('mode: inventory', () => {
  it('1,000 users: matches the seeded truth, changes nothing, SARIF valid and stable', async () => {
    const w = (world = await startWorld())
    const truth = seed(w, 1000)
    const dir = mkdtempSync(join(tmpdir(), 'inventory-'))
    const inputs = {
      mode: 'inventory',
      'role-to-assume': w.roleArn,
      'sarif-file': join(dir, 'first.sarif')
    }
    const from = w.aws.log.length
    const result = await run(inputs)
    expect(result.log).not.toMatch(/Error/)
    expect(result.code).toBe(0)

    // Read-only: nothing but the reads, no change anywhere, not one GitHub request.
    const routes = w.aws.log.slice(from).map((e) => e.route)
    expect(routes.filter((r) => !READS.has(r))).toEqual([])
    expect(mutations(w)).toEqual([])
    expect(w.github.log).toEqual([])
    // Tags are read only for users with keys: 900 seeded, the admin and the deploy user.
    expect(routes.filter((r) => r === 'iam:ListUserTags')).toHaveLength(902)
    expect(routes.filter((r) => r === 'iam:ListUsers').length).toBeGreaterThanOrEqual(2)

    // The JSON output is the truth, key for key.
    const rows = JSON.parse(result.outputs.inventory ?? '[]') as Row[]
    expect(rows).toHaveLength(truth.size)
    expect(asTruth(rows)).toEqual(truth)
    const file = result.outputs['inventory-file'] ?? ''
    expect(JSON.parse(readFileSync(file, 'utf8'))).toEqual(rows)
    const findings = [...truth.values()].reduce((n, t) => n + t.findings.length, 0)
    expect(result.outputs['inventory-key-count']).toBe(String(truth.size))
    expect(result.outputs['inventory-finding-count']).toBe(String(findings))

    // SARIF: valid, one result per finding, each fingerprint once.
    expect(result.outputs['sarif-file']).toBe(inputs['sarif-file'])
    const sarif = JSON.parse(readFileSync(inputs['sarif-file'], 'utf8')) as Sarif
    const validate = sarifValidator()
    expect(validate(sarif)).toBe(true)
    expect(sarif.runs[0]?.results).toHaveLength(findings)
    expect(new Set(prints(sarif)).size).toBe(findings)

    // The summary: worst first (two findings, then one, then none), progress in the log.
    const cells = [...result.summary.matchAll(/<tr>(.*?)<\/tr>/gs)].map((m) => m[1] as string)
    const data = cells.slice(1)
    const count = (row: string): number => (row.match(/IAM\.(3|22):/g) ?? []).length
    const counts = data.map(count)
    expect(counts[0]).toBe(2)
    expect([...counts].sort((a, b) => b - a)).toEqual(counts)
    expect(result.summary).toContain('nothing was changed')
    expect(result.summary).toContain(
      `${truth.size} keys of 902 users with keys (1002 users listed in 1 account): ${findings} findings`
    )
    expect(result.log).toMatch(/Account \d{12}: 250 of \d+ users listed so far read/)
    expect(result.log).toContain('all 1002 users read')

    const requests = routes.filter((r) => r.startsWith('iam:')).length
    console.log(
      `inventory of 1,000 users (1,002 in the account, ${truth.size} keys): ${result.ms} ms for the whole step, ${requests} IAM requests (${routes.filter((r) => r === 'iam:ListUsers').length} ListUsers pages), ${findings} findings`
    )

    // A second run: the same fingerprints. Fix one finding (delete its key): only its goes.
    const [fixedId] = [...truth].find(([, t]) => t.findings.includes('IAM.3')) ?? []
    const fixedUser = truth.get(fixedId ?? '')?.user ?? ''
    const admin = new IAMClient({
      region: 'us-east-1',
      endpoint: w.aws.url,
      credentials: w.admin,
      maxAttempts: 1
    })
    await admin.send(new DeleteAccessKeyCommand({ UserName: fixedUser, AccessKeyId: fixedId }))
    admin.destroy()
    const again = await run({ ...inputs, 'sarif-file': join(dir, 'second.sarif') })
    expect(again.code).toBe(0)
    const second = JSON.parse(readFileSync(join(dir, 'second.sarif'), 'utf8')) as Sarif
    const gone = prints(sarif).filter((p) => !prints(second).includes(p))
    expect(gone).toHaveLength(truth.get(fixedId ?? '')?.findings.length ?? -1)
    expect(prints(second).filter((p) => !prints(sarif).includes(p))).toEqual([])
  }, 180_000)

  it('several accounts: each listed through its own role; a role that refuses fails its account alone', async () => {
    const w = (world = await startWorld())
    const b = w.aws.addAccount('222222222222')
    const c = w.aws.addAccount('333333333333')
    const roleIn = (account: typeof b, subject: string): string =>
      account.createRole('inventory', { audience: 'sts.amazonaws.com', subject }).arn
    const roleB = roleIn(b, 'repo:acme/ops:*')
    const roleC = roleIn(c, 'repo:other/repo:*') // trusts another repository
    b.seedUsers([{ userName: 'b-old', keys: [{ createDate: ago(200), lastUsed: used(1) }] }])
    c.seedUsers([{ userName: 'c-user', keys: [{ createDate: ago(10) }] }])
    const dir = mkdtempSync(join(tmpdir(), 'inventory-'))
    const result = await run({
      mode: 'inventory',
      'role-to-assume': w.roleArn,
      'inventory-roles': `${roleB}\n${roleC}`,
      'sarif-file': join(dir, 'accounts.sarif')
    })
    // Account C's role refused: the run fails, naming it with the trust-policy hint...
    expect(result.code).toBe(1)
    expect(result.log).toContain(`Could not assume role ${roleC}`)
    expect(result.log).toContain('1 of 3 accounts could not be listed')
    // ...and the other two accounts are listed in full.
    const rows = JSON.parse(result.outputs.inventory ?? '[]') as Row[]
    const byAccount = (id: string): string[] =>
      rows
        .filter((r) => r.account === id)
        .map((r) => r['iam-user-name'])
        .sort()
    expect(byAccount('123456789012')).toEqual(['admin', 'deploy'])
    expect(byAccount('222222222222')).toEqual(['b-old'])
    expect(byAccount('333333333333')).toEqual([])
    expect(rows.find((r) => r['iam-user-name'] === 'b-old')?.findings.map((f) => f.rule)).toEqual([
      'IAM.3'
    ])
    expect(mutations(w)).toEqual([])
  })

  it("refuses a rotation's inputs before any request", async () => {
    const w = (world = await startWorld())
    const result = await run({ mode: 'inventory', 'iam-user-name': 'deploy' })
    expect(result.code).toBe(1)
    expect(result.log).toContain("remove 'iam-user-name'")
    expect(w.aws.log).toEqual([])
    expect(w.github.log).toEqual([])
  })

  it('a role without the inventory statement: says which statement to add', async () => {
    const w = (world = await startWorld())
    // A role whose IAM permissions reach only /deploy/ users, as the rotation's statements do.
    const { arn } = w.aws.createRole('rotate-only', {
      audience: 'sts.amazonaws.com',
      subject: 'repo:acme/ops:*',
      usersPath: '/deploy/'
    })
    const result = await run({ mode: 'inventory', 'role-to-assume': arn })
    expect(result.code).toBe(1)
    expect(result.log).toContain("IAM denied the inventory's reads")
    expect(result.log).toContain("'InventoryReadAllUsers'")
    expect(result.log).toContain('Nothing was changed')
    expect(mutations(w)).toEqual([])
  })

  it('throttled by IAM, it backs off and still reads every user', async () => {
    const w = (world = await startWorld())
    const truth = seed(w, 200)
    w.aws.iamRequestsPerSecond = 150
    const result = await run({ mode: 'inventory', 'role-to-assume': w.roleArn })
    expect(result.code).toBe(0)
    expect(w.aws.iamThrottled).toBeGreaterThan(0)
    const rows = JSON.parse(result.outputs.inventory ?? '[]') as Row[]
    expect(asTruth(rows)).toEqual(truth)
    console.log(
      `throttled inventory of 200 users: ${result.ms} ms, ${w.aws.iamThrottled} requests refused with Throttling and retried`
    )
  }, 180_000)
})
