import { describe, expect, it } from '@jest/globals'
import type { AccessKey } from '../src/aws/keys.js'
import { planKeys, TwoActiveKeysError } from '../src/plan.js'

const key = (id: string, status: AccessKey['status'], day: number): AccessKey => ({
  id,
  status,
  created: new Date(Date.UTC(2026, 0, day))
})
const A1 = key('AKIAOLD', 'Active', 1)
const I1 = key('AKIAOLD', 'Inactive', 1)
const A2 = key('AKIANEW', 'Active', 2)
const I2 = key('AKIANEW', 'Inactive', 2)

describe('planKeys', () => {
  it.each([
    ['no key: first issuance', [], {}],
    ['one Active key: it is replaced', [A1], { old: A1 }],
    ['one Inactive key: it is replaced', [I1], { old: I1 }],
    ['older Inactive leftover beside an Active key', [I1, A2], { old: A2, leftover: I1 }],
    ['newer Inactive leftover beside an Active key', [A1, I2], { old: A1, leftover: I2 }],
    ['two Inactive keys: the older one is the leftover', [I1, I2], { old: I2, leftover: I1 }]
  ])('%s', (_name, keys, plan) => {
    expect(planKeys(keys)).toEqual(plan)
  })

  it('refuses two Active keys, naming both', () => {
    expect(() => planKeys([A1, A2])).toThrow(TwoActiveKeysError)
    expect(() => planKeys([A1, A2])).toThrow('AKIAOLD and AKIANEW')
  })

  it('refuses more keys than IAM allows', () => {
    expect(() => planKeys([I1, I2, A1])).toThrow('at most two')
  })
})
