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
