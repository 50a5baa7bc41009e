import { expect, it } from '@jest/globals'
import { formatMark, parseMark, type Mark } from '../src/aws/marks.js'

it.each<Mark>([
  { state: 'created', at: new Date('2026-11-22T04:05:06.789Z'), run: '123456' },
  { state: 'published', at: new Date('2026-11-22T04:05:06.000Z') },
  { state: 'deactivated', at: new Date('2026-01-01T00:00:00.000Z'), run: '9' }
])('round-trips %j within IAM tag value rules', (mark) => {
  const value = formatMark(mark)
  expect(value).toMatch(/^[\p{L}\p{Z}\p{N}_.:/=+\-@]{1,256}$/u)
  expect(parseMark(value)).toEqual(mark)
})

it('ignores tags that are not the action’s', () => {
  expect(parseMark('deploy key for the payments service')).toBeUndefined()
})
