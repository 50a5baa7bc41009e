/**
 * src/inventory/read.ts over a fake IAM client: it follows ListUsers' markers to the end, reads
 * tags and last use only for users with keys, never has more calls in flight than it was given,
 * and reports progress.
 */
import { describe, expect, it } from '@jest/globals'
import type { IAMClient } from '@aws-sdk/client-iam'
import { readAccounts } from '../src/inventory/read.js'

/** A fake IAM: `users` users, every third with one key; answers after a tick. */
function fakeIam(users: number, pageSize: number) {
  const calls: string[] = []
  let inFlight = 0
  let most = 0
  const names = Array.from({ length: users }, (_, i) => `u${i}`)
  const client = {
    send: async (command: { constructor: { name: string }; input: Record<string, unknown> }) => {
      const name = command.constructor.name.replace(/Command$/, '')
      calls.push(name)
      inFlight++
      most = Math.max(most, inFlight)
      await new Promise((r) => setTimeout(r, 1))
      inFlight--
      const input = command.input
      switch (name) {
        case 'ListUsers': {
          const start = Number(input.Marker ?? 0)
          const page = names.slice(start, start + pageSize)
          const next = start + pageSize
          return {
            Users: page.map((UserName) => ({ UserName, Path: '/', Arn: `arn:${UserName}` })),
            IsTruncated: next < users,
            Marker: next < users ? String(next) : undefined
          }
        }
        case 'ListAccessKeys': {
          const i = Number(String(input.UserName).slice(1))
          return {
            AccessKeyMetadata:
              i % 3 === 0
                ? [{ AccessKeyId: `AKIA${i}`, Status: 'Active', CreateDate: new Date(0) }]
                : [],
            IsTruncated: false
          }
        }
        case 'ListUserTags':
          return { Tags: [{ Key: 'team', Value: 'web' }], IsTruncated: false }
        case 'GetAccessKeyLastUsed':
          return { AccessKeyLastUsed: { ServiceName: 'N/A', Region: 'N/A' } }
        default:
          throw new Error(`unexpected ${name}`)
      }
    }
  }
  return { iam: client as unknown as IAMClient, calls, most: () => most }
}

describe('readAccounts', () => {
  it('every page, tags and last use only for users with keys, at most `concurrency` in flight', async () => {
    const fake = fakeIam(250, 100)
    const progress: string[] = []
    const { users, listed, requests } = await readAccounts([{ account: '1', iam: fake.iam }], {
      concurrency: 3,
      every: 100,
      onProgress: (p) => progress.push(`${p.read}/${p.listed}${p.done ? ' done' : ''}`)
    })
    expect(listed).toBe(250)
    expect(users).toHaveLength(84) // u0, u3, … u249
    expect(users[0]).toMatchObject({ userName: 'u0', tags: { team: 'web' }, keys: [{}] })
    expect(users[0]?.keys[0]?.lastUsed).toBeUndefined()
    const count = (n: string) => fake.calls.filter((c) => c === n).length
    expect(count('ListUsers')).toBe(3)
    expect(count('ListAccessKeys')).toBe(250)
    expect(count('ListUserTags')).toBe(84)
    expect(count('GetAccessKeyLastUsed')).toBe(84)
    expect(requests).toBe(fake.calls.length)
    expect(fake.most()).toBeLessThanOrEqual(3)
    expect(fake.most()).toBe(3) // and it does use what it is given
    expect(progress.at(-1)).toBe('250/250 done')
    expect(progress.filter((p) => !p.endsWith('done'))).toHaveLength(2)
  })
})
