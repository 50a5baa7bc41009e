/** Why no installation token was minted, and what to change: a 422 means the App lacks something asked for. */
import type { MintFailure } from '../github/errors.js'
import { reasonWords } from './github-reason.js'

function fix(m: MintFailure): string {
  if (m.status === 422)
    return [
      `Grant the App these permissions (and accept them on the installation on ${m.account}),`,
      'and give the installation these repositories.'
    ].join(' ')
  if (m.status === 401 || m.status === 404)
    return "Check 'app-id' and 'app-private-key', and that the App is still installed there."
  return 'Run the workflow again later.'
}

export function mintWords(m: MintFailure): string {
  const asked = Object.entries(m.permissions)
    .map(([name, level]) => `${name}: ${level}`)
    .join(', ')
  const repos = m.repositories ? m.repositories.join(', ') : 'all repositories'
  return [
    `GitHub did not mint an installation token for ${m.account} (${reasonWords(m.reason)})`,
    `limited to ${repos} with ${asked}.`,
    fix(m)
  ].join(' ')
}
