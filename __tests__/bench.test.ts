import { describe, expect, it } from '@jest/globals'
import {
  diffRequests,
  idealPhases,
  lowerBound,
  median,
  medianRun,
  minimumRequests,
  neededAttempts,
  ROUTES,
  type Scenario
} from '../scripts/bench/bound.js'

const oneRepo = (propagationMs: number): Scenario => ({
  name: 'one',
  scopes: 1,
  secretsPerScope: 2,
  users: 1,
  propagationMs
})
const fifty = (propagationMs: number): Scenario => ({ ...oneRepo(propagationMs), scopes: 50 })

describe('lower bound', () => {
  it('is the chain of round trips when nothing waits', () => {
    const b = lowerBound(oneRepo(0), 50)
    // OIDC, AssumeRole, plan, create, verify, 2 PUT, deactivate, delete
    expect(b.chain).toBe(9)
    expect(b.ms).toBe(450)
    expect(b.terms).toHaveLength(1)
  })

  it('adds the propagation CreateAccessKey does not already cover', () => {
    const b = lowerBound(oneRepo(5000), 50)
    expect(b.ms).toBe(9 * 50 + 4950)
    expect(lowerBound(oneRepo(30), 50).ms).toBe(450)
  })

  it('paces writes a second apart only above 10 writes', () => {
    const paced = lowerBound(fifty(0), 50)
    expect(paced.chain).toBe(107)
    expect(paced.ms).toBe(107 * 50 + 99 * 1000)
    const five: Scenario = { ...oneRepo(0), scopes: 5 } // 10 writes: not paced
    expect(
      lowerBound(five, 50)
        .terms.map((t) => t.what)
        .join()
    ).not.toMatch(/pacing/)
  })

  it('splits into phases that sum to the bound', () => {
    for (const s of [oneRepo(0), oneRepo(5000), fifty(0), fifty(5000)]) {
      const sum = idealPhases(s, 50).reduce((a, t) => a + t.ms, 0)
      expect(sum).toBe(lowerBound(s, 50).ms)
    }
  })
})

describe('minimum requests', () => {
  it('polls GetCallerIdentity once a second from the CreateAccessKey response', () => {
    expect(neededAttempts(0, 50)).toBe(1)
    expect(neededAttempts(50, 50)).toBe(1)
    expect(neededAttempts(1000, 50)).toBe(2)
    expect(neededAttempts(5000, 50)).toBe(6)
  })

  it('counts one public key and two PUTs per repository', () => {
    const min = minimumRequests(fifty(5000), 50)
    expect(min.get(ROUTES.publicKey)).toBe(50)
    expect(min.get(ROUTES.put)).toBe(100)
    expect(min.get(ROUTES.verify)).toBe(6)
    expect([...min.values()].reduce((a, b) => a + b)).toBe(150 + 7 + 6)
  })

  it('lists every route above or below the minimum with its statuses', () => {
    const min = minimumRequests(oneRepo(0), 50)
    const logged = [...min.entries()].flatMap(([route, n]) =>
      Array.from({ length: n }, () => ({ route, status: 200 }))
    )
    expect(diffRequests(logged, min)).toEqual([])
    const more = [
      ...logged.filter((e) => e.route !== ROUTES.getUser),
      { route: ROUTES.put, status: 403 },
      { route: 'aws iam:GetAccessKeyLastUsed', status: 200 }
    ]
    expect(diffRequests(more, min)).toEqual([
      { route: 'aws iam:GetAccessKeyLastUsed', extra: 1, statuses: '200×1' },
      { route: ROUTES.put, extra: 1, statuses: '200×2 403×1' },
      { route: ROUTES.getUser, extra: -1, statuses: '' }
    ])
  })
})

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([3, 1, 2])).toBe(2)
    expect(median([4, 1, 3, 2])).toBe(2.5)
    expect(median([])).toBeNaN()
  })

  it('picks the run with the median wall time', () => {
    const runs = [{ wallMs: 9 }, { wallMs: 1 }, { wallMs: 5 }, { wallMs: 7 }]
    expect(medianRun(runs).wallMs).toBe(5)
  })
})
