import { describe, expect, it } from '@jest/globals'
import { verifyKey, VerifyError } from '../src/rotation/verify.js'
import type { CallerArn, Clock } from '../src/rotation/ports.js'
import { errorWords } from '../src/report/error.js'

const ARN = 'arn:aws:iam::123456789012:user/deploy'
const key = { id: 'AKIANEW', secret: 'not-a-real-secret' }

/** A clock whose sleep advances time instantly; each call to the check costs `callMs`. */
function fakeClock(): Clock & { t: number; sleeps: number[] } {
  const clock = {
    t: 0,
    sleeps: [] as number[],
    now: () => clock.t,
    sleep: (ms: number) => {
      clock.sleeps.push(ms)
      clock.t += ms
      return Promise.resolve()
    }
  }
  return clock
}

/** Fails with InvalidClientTokenId until `readyAt` (clock time), then answers `arn`. */
function propagating(clock: { t: number }, readyAt: number, callMs = 100, arn = ARN): CallerArn {
  return () => {
    clock.t += callMs
    if (clock.t < readyAt) {
      const e = new Error('The security token included in the request is invalid.')
      e.name = 'InvalidClientTokenId'
      return Promise.reject(e)
    }
    return Promise.resolve(arn)
  }
}

describe('verifyKey', () => {
  it('succeeds at once when the key already works', async () => {
    const clock = fakeClock()
    await expect(verifyKey(key, ARN, propagating(clock, 0), clock, 60_000)).resolves.toEqual({
      afterMs: 100,
      attempts: 1
    })
  })

  it('polls about once a second, counting the call time into the interval', async () => {
    const clock = fakeClock()
    const result = await verifyKey(key, ARN, propagating(clock, 3_050), clock, 60_000)
    expect(result.attempts).toBe(4)
    expect(clock.sleeps).toEqual([900, 900, 900])
    // Accepted at 3.05 s, noticed at 3.1 s: the lag is one call, not a second.
    expect(result.afterMs).toBe(3_100)
  })

  it('gives up after the timeout, naming the key and the last answer', async () => {
    const clock = fakeClock()
    const verifying = verifyKey(key, ARN, propagating(clock, Infinity), clock, 5_000)
    await expect(verifying).rejects.toThrow(VerifyError)
    await expect(
      verifyKey(key, ARN, propagating(fakeClock(), Infinity), fakeClock(), 5_000).catch(errorWords)
    ).resolves.toMatch(
      /^the new key AKIANEW was still refused by STS after \d+ s and \d+ attempts \(last answer: InvalidClientTokenId: The security token included in the request is invalid\.\)$/
    )
    expect(clock.t).toBeLessThanOrEqual(5_100)
  })

  it('fails at once when the key belongs to someone else', async () => {
    const clock = fakeClock()
    const other = 'arn:aws:iam::123456789012:user/other'
    const failing = verifyKey(key, ARN, propagating(clock, 0, 100, other), clock, 60_000)
    await expect(failing).rejects.toThrow(VerifyError)
    await expect(failing.catch(errorWords)).resolves.toBe(
      `the new key AKIANEW authenticates as ${other}, not as ${ARN}`
    )
    expect(clock.sleeps).toEqual([])
  })
})
