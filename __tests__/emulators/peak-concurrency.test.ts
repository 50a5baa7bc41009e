/** How many requests an emulator had in flight at once, read from its log. */
import { describe, expect, it } from '@jest/globals'
import { peakConcurrency, type LogEntry } from '../../emulators/shared/server.js'

const entry = (time: number, end?: number): LogEntry => ({
  time,
  ...(end === undefined ? {} : { end }),
  method: 'PUT',
  path: '/x',
  route: 'PUT /x',
  status: 200
})

describe('peakConcurrency', () => {
  it('counts a request answered within its own millisecond as one in flight', () => {
    expect(peakConcurrency([entry(10, 10)])).toBe(1)
    expect(peakConcurrency([entry(10, 10), entry(12, 12)])).toBe(1)
  })

  it('does not count back to back as concurrent, even within one millisecond', () => {
    expect(peakConcurrency([entry(10, 20), entry(20, 30)])).toBe(1)
    expect(peakConcurrency([entry(10, 10), entry(10, 10)])).toBe(1)
  })

  it('counts overlapping requests, and one never answered until now', () => {
    expect(peakConcurrency([entry(10, 30), entry(15, 20), entry(16, 40)])).toBe(3)
    expect(peakConcurrency([entry(10), entry(Date.now() - 5, Date.now() - 1)])).toBe(2)
    expect(peakConcurrency([])).toBe(0)
  })
})
