/**
 * The Octokit tests drive the GitHub emulator with: @octokit/core sending `X-GitHub-Api-Version`,
 * which the emulator requires, on every request (auth-app's token minting included).
 */
import { Octokit as Core } from '@octokit/core'

export const API_VERSION = '2022-11-28'

export const Octokit = Core.plugin((octokit) => {
  octokit.hook.before('request', (options) => {
    options.headers['x-github-api-version'] ??= API_VERSION
  })
})
export type Octokit = InstanceType<typeof Octokit>

/** What Octokit's RequestError carries that the tests look at. */
export interface RequestError {
  status: number
  response?: { data: unknown; headers: Record<string, string | number | undefined> }
}

/** The RequestError a call fails with (or fails the test). */
export async function failure(promise: Promise<unknown>): Promise<RequestError> {
  try {
    await promise
  } catch (error) {
    if (error instanceof Error && typeof (error as Partial<RequestError>).status === 'number') {
      return error as unknown as RequestError
    }
    throw error
  }
  throw new Error('expected the request to fail')
}

/** GitHub's `message` in an error answer. */
export const message = (e: RequestError): string =>
  (e.response?.data as { message: string }).message
