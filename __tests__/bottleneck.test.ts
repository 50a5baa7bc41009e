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

  it('takes every 1 ms timer out of scheduling a job, and keeps minTime', async () => {
    const before = await zeroTimers(() => new Bottleneck().schedule(() => Promise.resolve(1)))
    expect(quickenBottleneck()).toBe(true)
    expect(quickenBottleneck()).toBe(true) // once is enough; twice changes nothing
    const limiter = new Bottleneck({ maxConcurrent: 1, minTime: 100 })
    let first = 0
    const after = await zeroTimers(() =>
      limiter.schedule(() => Promise.resolve((first = Date.now())))
    )
    // Bottleneck yields several times per job, and starts it with one more; none is left.
    expect(before).toBeGreaterThanOrEqual(4)
    expect(after).toBe(0)
    const starts: number[] = []
    await Promise.all(
      [1, 2, 3].map(() => limiter.schedule(() => Promise.resolve(starts.push(Date.now()))))
    )
    // Each job starts at least minTime after the one before was due. Measured from the first
    // job, not between neighbours: a busy machine can start a job late, never one early.
    starts.forEach((start, i) => expect(start - first).toBeGreaterThanOrEqual(100 * (i + 1) - 5))
  })

  it('retries a failed job at once, and still waits when a retry asks for time', async () => {
    quickenBottleneck()
    const limiter = new Bottleneck()
    const waits = [0, 50]
    limiter.on('failed', () => waits.shift())
    const tries: number[] = []
    const started = Date.now()
    const result = await limiter.schedule(() => {
      tries.push(Date.now() - started)
      return tries.length < 3 ? Promise.reject(new Error('again')) : Promise.resolve('done')
    })
    expect(result).toBe('done')
    expect(tries).toHaveLength(3)
    expect(tries[2]! - tries[1]!).toBeGreaterThanOrEqual(45)
  })

  it('does not start a job that stop() dropped before its turn came', async () => {
    quickenBottleneck()
    const limiter = new Bottleneck()
    const ran: string[] = []
    let stopped: Promise<void> | undefined
    // 'scheduled' is emitted inside _run, after the job is set to start and before it starts.
    limiter.on('scheduled', () => {
      stopped ??= limiter.stop({ dropWaitingJobs: true })
    })
    const job = limiter.schedule(() => Promise.resolve(ran.push('ran')))
    await expect(job).rejects.toThrow(/stopped/)
    await stopped
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(ran).toEqual([])
  })
})
