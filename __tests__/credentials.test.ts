import { describe, expect, it } from '@jest/globals'
import { oidcToken } from '../src/aws/credentials.js'

/** A token service that fails with the given errors first, then answers. */
function service(...failures: string[]) {
  const calls: string[] = []
  const get = (audience: string): Promise<string> => {
    calls.push(audience)
    const failure = failures.shift()
    return failure ? Promise.reject(new Error(failure)) : Promise.resolve('jwt')
  }
  return { get, calls }
}
const noWait = (): Promise<void> => Promise.resolve()

describe('oidcToken', () => {
  it('tries again after throttling, 5xx and network errors', async () => {
    const s = service(
      'Failed to get ID Token. \n Error Code : 429\n Error Message: Too Many Requests',
      'Failed to get ID Token. \n Error Code : 500\n Error Message: boom',
      'connect ECONNRESET'
    )
    await expect(oidcToken('sts.amazonaws.com', s.get, noWait)).resolves.toBe('jwt')
    expect(s.calls).toHaveLength(4)
  })

  it('gives up after four tries', async () => {
    const s = service(...Array.from({ length: 5 }, () => 'Error Code : 503'))
    await expect(oidcToken('aud', s.get, noWait)).rejects.toThrow('503')
    expect(s.calls).toHaveLength(4)
  })

  it.each([
    'Failed to get ID Token. \n Error Code : 401\n Error Message: Unauthorized',
    'Unable to get ACTIONS_ID_TOKEN_REQUEST_URL env variable'
  ])('does not retry what retrying cannot fix: %s', async (failure) => {
    const s = service(failure)
    await expect(oidcToken('aud', s.get, noWait)).rejects.toThrow(failure.slice(0, 20))
    expect(s.calls).toHaveLength(1)
  })
})
