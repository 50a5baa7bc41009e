import { afterEach, describe, expect, it, jest } from '@jest/globals'
import Bottleneck from 'bottleneck/light.js'
import { quickenBottleneck } from '../src/github/bottleneck.js'

/** Zero-delay timers set while `fn` runs. */
async function zeroTimers(fn: () => Promise<unknown>): Promise<number> {
  const spy = jest.spyOn(globalThis, 'setTimeout')
  try {
    await fn()
    return spy.mock.calls.filter(([, ms]) => !ms).length
  } finally {
    spy.mockRestore()
  }
}

describe('quickenBottleneck', () => {
  afterEach(() => {
    jest.restoreAllMocks()
  })

  it('takes the 1 ms timers out of scheduling a job, and keeps minTime', async () => {
    const before = await zeroTimers(() => new Bottleneck().schedule(() => Promise.resolve(1)))
    expect(quickenBottleneck()).toBe(true)
    expect(quickenBottleneck()).toBe(true) // once is enough; twice changes nothing
    const limiter = new Bottleneck({ maxConcurrent: 1, minTime: 100 })
    let first = 0
    const after = await zeroTimers(() =>
      limiter.schedule(() => Promise.resolve((first = Date.now())))
    )
    // Bottleneck yields several times per job; what is left is the one timer that starts it.
    expect(before).toBeGreaterThanOrEqual(4)
    expect(after).toBeLessThanOrEqual(1)
    const starts: number[] = []
    await Promise.all(
      [1, 2, 3].map(() => limiter.schedule(() => Promise.resolve(starts.push(Date.now()))))
    )
    // Each job starts at least minTime after the one before was due. Measured from the first
    // job, not between neighbours: a busy machine can start a job late, never one early.
    starts.forEach((start, i) => expect(start - first).toBeGreaterThanOrEqual(100 * (i + 1) - 5))
  })
})
