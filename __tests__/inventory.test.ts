/**
 * The inventory's pure parts: findings against IAM.3 and IAM.22 at their boundaries, the action's
 * marks read back, worst-first order, the SARIF log (validated against the SARIF 2.1.0 schema,
 * one result per finding, stable fingerprints), and the inputs of `mode: inventory`.
 */
import { afterEach, describe, expect, it } from '@jest/globals'
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { Ajv } from 'ajv'
import formats from 'ajv-formats'
import { formatKeyMark } from '../src/rotation/marks.js'
import { getInventoryInputs, InputError, readMode } from '../src/inputs/inputs.js'
import { inputWords, problemWords } from '../src/report/inputs.js'
import { assess, type KeyRow } from '../src/inventory/findings.js'
import type { KeyFact, UserFact } from '../src/inventory/read.js'
import { boundedJson, inventoryJson, MAX_OUTPUT_BYTES } from '../src/report/inventory-outputs.js'
import { FINGERPRINT, sarifLog, workflowPath } from '../src/report/inventory-sarif.js'
import {
  accountRefused,
  inventoryDone,
  progress,
  refusedAccounts
} from '../src/report/inventory-lines.js'

const DAY = 86_400_000
const NOW = new Date('2026-06-01T12:00:00Z')
const ago = (days: number): Date => new Date(NOW.getTime() - days * DAY)
const LIMITS = { maxKeyAgeDays: 90, unusedDays: 45 }
let n = 0
const key = (fields: Partial<KeyFact> = {}): KeyFact => ({
  accessKeyId: `AKIA${String(n++).padStart(16, '0')}`,
  status: 'Active',
  createDate: ago(10),
  lastUsed: { date: ago(1), service: 's3', region: 'us-east-1' },
  ...fields
})
const user = (userName: string, keys: KeyFact[], tags: Record<string, string> = {}): UserFact => ({
  account: '123456789012',
  userName,
  path: '/',
  arn: `arn:aws:iam::123456789012:user/${userName}`,
  keys,
  tags
})
const rules = (row: KeyRow | undefined): string[] => row?.findings.map((f) => f.rule) ?? []

describe('assess', () => {
  it('IAM.3 past the age limit, not at it; IAM.22 at the idle limit, not before', () => {
    const at90 = key({ createDate: ago(90) })
    const at91 = key({ createDate: ago(91) })
    const idle44 = key({ lastUsed: { date: ago(44), service: 's3', region: 'us-east-1' } })
    const idle45 = key({
      createDate: ago(60),
      lastUsed: { date: ago(45), service: 's3', region: 'us-east-1' }
    })
    const rows = assess([user('a', [at90, at91]), user('b', [idle44, idle45])], NOW, LIMITS)
    const of = (k: KeyFact) => rows.find((r) => r.key === k)
    expect(rules(of(at90))).toEqual([])
    expect(rules(of(at91))).toEqual(['IAM.3'])
    expect(rules(of(idle44))).toEqual([])
    expect(rules(of(idle45))).toEqual(['IAM.22'])
    expect(of(idle45)?.findings[0]).toEqual({ rule: 'IAM.22', days: 45, limit: 45 })
  })

  it('a key never used is idle since its creation; an Inactive key has no finding', () => {
    const never = key({ createDate: ago(50), lastUsed: undefined })
    const inactive = key({ status: 'Inactive', createDate: ago(400), lastUsed: undefined })
    const rows = assess([user('a', [never, inactive])], NOW, LIMITS)
    expect(rules(rows.find((r) => r.key === never))).toEqual(['IAM.22'])
    expect(rows.find((r) => r.key === never)?.idleDays).toBe(50)
    expect(rules(rows.find((r) => r.key === inactive))).toEqual([])
  })

  it("reads the action's mark on a key: state, date and targets fingerprint; others unmanaged", () => {
    const managed = key()
    const stranger = key()
    const at = ago(3)
    const tags = {
      [managed.accessKeyId]: formatKeyMark({ state: 'published', at, targets: 'abcdef012345' }),
      [stranger.accessKeyId]: 'a note someone wrote',
      team: 'web'
    }
    const rows = assess([user('a', [managed, stranger], tags)], NOW, LIMITS)
    expect(rows.find((r) => r.key === managed)?.managed).toEqual({
      state: 'published',
      at,
      targets: 'abcdef012345'
    })
    expect(rows.find((r) => r.key === stranger)?.managed).toBeUndefined()
  })

  it('worst first: two findings, then the furthest past a limit, then the oldest', () => {
    const both = key({ createDate: ago(200), lastUsed: undefined })
    const far = key({ createDate: ago(300) })
    const near = key({ createDate: ago(95) })
    const clean = key({ createDate: ago(5) })
    const rows = assess([user('z', [clean, near]), user('y', [far, both])], NOW, LIMITS)
    expect(rows.map((r) => r.key)).toEqual([both, far, near, clean])
  })
})

describe('SARIF', () => {
  const schema = JSON.parse(
    readFileSync(join(import.meta.dirname, 'fixtures/sarif-schema-2.1.0.json'), 'utf8')
  ) as Record<string, unknown>
  // draft-04's `id` is draft-07's `$id` (see fixtures/sarif-schema-2.1.0.SOURCE.md)
  const { $schema: _draft, id, ...rest } = schema
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false })
  formats.default(ajv)
  const validate = ajv.compile({ $id: id as string, ...rest })

  const rows = assess(
    [
      user('old', [key({ createDate: ago(200), lastUsed: undefined }), key()]),
      user('fine', [key()])
    ],
    NOW,
    LIMITS
  )
  const log = sarifLog(rows, LIMITS, '.github/workflows/inventory.yml') as {
    runs: Array<{ results: Array<Record<string, unknown>> }>
  }
  const results = log.runs[0]?.results ?? []

  it('validates against the SARIF 2.1.0 schema', () => {
    expect(validate(log)).toBe(true)
    expect(validate.errors ?? []).toEqual([])
  })

  it('the schema check can fail: a result without a message is refused', () => {
    const broken = structuredClone(log)
    delete broken.runs[0]?.results[0]?.message
    expect(validate(broken)).toBe(false)
  })

  it('one result per finding, each with a file location and the key as a logical location', () => {
    expect(results.map((r) => r.ruleId)).toEqual(['IAM.3', 'IAM.22'])
    for (const r of results) {
      expect(r).toMatchObject({
        locations: [
          {
            physicalLocation: { artifactLocation: { uri: '.github/workflows/inventory.yml' } },
            logicalLocations: [{ kind: 'resource' }]
          }
        ]
      })
    }
  })

  it('fingerprints: the same for the same finding on a later day, distinct per rule and key', () => {
    const later = assess(
      [user('old', rows[0] ? [rows[0].key] : [])],
      new Date(NOW.getTime() + 7 * DAY),
      LIMITS
    )
    const again = sarifLog(later, LIMITS, 'x') as typeof log
    const prints = (l: typeof log) =>
      (l.runs[0]?.results ?? []).map(
        (r) => (r.partialFingerprints as Record<string, string>)[FINGERPRINT]
      )
    expect(prints(again)).toEqual(prints(log))
    expect(new Set(prints(log)).size).toBe(results.length)
  })

  it('the workflow file from GITHUB_WORKFLOW_REF', () => {
    expect(workflowPath('acme/ops/.github/workflows/inv.yml@refs/heads/main')).toBe(
      '.github/workflows/inv.yml'
    )
  })
})

describe('inventory JSON', () => {
  it('a key never used has last-used null; dates are ISO', () => {
    const [row] = inventoryJson(
      assess([user('a', [key({ lastUsed: undefined, createDate: ago(3) })])], NOW, LIMITS)
    ) as Array<Record<string, unknown>>
    expect(row).toMatchObject({ 'last-used': null, 'age-days': 3, managed: null, findings: [] })
    expect(row?.['create-date']).toBe(ago(3).toISOString())
  })
})

describe('the inventory output within 1 MB', () => {
  const rows = (count: number) =>
    inventoryJson(
      assess(
        [
          user(
            'a-rather-long-service-user-name',
            Array.from({ length: count }, () =>
              key({
                createDate: ago(400),
                lastUsed: { date: ago(100), service: 'secretsmanager', region: 'ap-southeast-2' }
              })
            ),
            {}
          )
        ],
        NOW,
        LIMITS
      )
    )

  it('whole when it fits; past the limit the worst keys that fit, as valid JSON', () => {
    expect(boundedJson(rows(3)).kept).toBe(3)
    const big = rows(5000)
    const { json, kept } = boundedJson(big)
    expect(kept).toBeLessThan(5000)
    expect(Buffer.byteLength(json)).toBeLessThanOrEqual(MAX_OUTPUT_BYTES)
    expect(JSON.parse(json)).toEqual(big.slice(0, kept))
    // what the README promises: over 2,000 keys, each with two findings and long names, fit
    expect(kept).toBeGreaterThan(2000)
  })
})

describe("the inventory's lines", () => {
  it('says how far the reads are, and what they found', () => {
    expect(progress({ account: '111', read: 250, listed: 900, done: false })).toBe(
      'Account 111: 250 of 900 users listed so far read'
    )
    expect(progress({ account: '111', read: 900, listed: 900, done: true })).toBe(
      'Account 111: all 900 users read'
    )
    const found = { keys: 12, findings: 3, requests: 40, ms: 1234 }
    expect(inventoryDone(2, found, 'out/inventory.sarif')).toBe(
      'Inventory: 2 account(s), 12 keys, 3 findings; 40 IAM calls in 1.2 s; SARIF in out/inventory.sarif'
    )
  })

  it('fails with each account that could not be listed, or how many when others were', () => {
    const one = accountRefused('arn:aws:iam::1:role/r', 'refused')
    expect(one).toBe('Account of arn:aws:iam::1:role/r: refused')
    expect(accountRefused(undefined, 'refused')).toBe('refused')
    expect(refusedAccounts([one, 'two'], 2, 0)).toBe(`${one}\ntwo`)
    expect(refusedAccounts([one], 3, 2)).toBe(
      '1 of 3 accounts could not be listed (each error is above); the inventory holds the other 2.'
    )
  })
})

describe('inputs of mode inventory', () => {
  const set = (inputs: Record<string, string>): void => {
    for (const k of Object.keys(process.env)) if (k.startsWith('INPUT_')) delete process.env[k]
    for (const [k, v] of Object.entries(inputs)) process.env[`INPUT_${k.toUpperCase()}`] = v
  }
  afterEach(() => set({}))
  const problems = (env: NodeJS.ProcessEnv = {}): string[] => {
    try {
      getInventoryInputs(env)
      return []
    } catch (e) {
      return (e as InputError).problems.map(problemWords)
    }
  }

  it('mode: rotate by default, inventory when asked, anything else refused by name', () => {
    set({})
    expect(readMode()).toBe('rotate')
    set({ mode: 'Inventory' })
    expect(readMode()).toBe('inventory')
    set({ mode: 'audit' })
    expect(() => readMode()).toThrow(InputError)
    let words = ''
    try {
      readMode()
    } catch (e) {
      words = inputWords(e)
    }
    expect(words).toMatch(
      /^Invalid input: 'mode' must be 'rotate' .* or 'inventory'.*, got 'audit'\n/
    )
  })

  it('needs no token, user or target; defaults 90 and 45; the SARIF file in RUNNER_TEMP', () => {
    set({ mode: 'inventory' })
    expect(getInventoryInputs({ RUNNER_TEMP: '/tmp/runner' })).toEqual({
      roles: [],
      region: 'us-east-1',
      limits: { maxKeyAgeDays: 90, unusedDays: 45 },
      sarifFile: '/tmp/runner/rotate-iam-key-inventory.sarif'
    })
  })

  it('refuses the inputs of a rotation, naming each, and bad thresholds', () => {
    set({
      mode: 'inventory',
      'iam-user-name': 'deploy',
      repositories: 'acme/app',
      'github-token': 'ghp_x',
      'inventory-unused-days': '0'
    })
    const found = problems()
    expect(found).toHaveLength(2)
    expect(found[0]).toMatch(/remove 'iam-user-name', 'repositories', 'github-token'/)
    expect(found[1]).toMatch(/^'inventory-unused-days'/)
  })

  it('inventory-roles: each further account, assumed as role-to-assume is; a bad ARN refused', () => {
    const a = 'arn:aws:iam::111111111111:role/inventory'
    const b = 'arn:aws:iam::222222222222:role/inventory'
    set({ mode: 'inventory', 'role-to-assume': a, 'inventory-roles': `${b}\n${a}` })
    const how = {
      audience: 'sts.amazonaws.com',
      sessionName: 'rotate-iam-key',
      durationSeconds: 900
    }
    expect(getInventoryInputs({}).roles).toEqual([
      { arn: a, ...how },
      { arn: b, ...how }
    ])
    // Without role-to-assume the listed roles alone; a China role with a us region is refused.
    set({ mode: 'inventory', 'inventory-roles': `${b},arn:aws-cn:iam::333333333333:role/x` })
    const found = problems()
    expect(found).toHaveLength(1)
    expect(found[0]).toMatch(
      /^'inventory-roles' 'arn:aws-cn:iam::333333333333:role\/x': .*partition aws-cn/
    )
  })

  it('a relative sarif-file is under the workspace', () => {
    set({ mode: 'inventory', 'sarif-file': 'out/keys.sarif' })
    expect(getInventoryInputs({ GITHUB_WORKSPACE: '/w' }).sarifFile).toBe('/w/out/keys.sarif')
  })
})
