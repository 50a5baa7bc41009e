/**
 * The GitHub adapters' facts in words (src/report/github-*.ts): the sentences no other unit test
 * reaches, byte for byte as the adapters said them before they returned facts.
 */
import { describe, expect, it } from '@jest/globals'
import { AppError } from '../src/github/app-errors.js'
import { AuthError, type MintFailure } from '../src/github/errors.js'
import { errorWords } from '../src/report/error.js'
import { missWords } from '../src/report/progress-miss.js'
import { runsBlockedWords } from '../src/report/github-runs.js'

const MINT: MintFailure = {
  account: 'acme',
  status: 422,
  reason: { kind: 'answered', status: 422, message: 'Unprocessable' },
  repositories: ['app', 'api'],
  permissions: { metadata: 'read', secrets: 'write' }
}
const IGNORE =
  "Or set 'in-flight-runs: ignore' to retire the old key without looking (a deploy running meanwhile fails). Nothing was changed."

describe('GitHub words', () => {
  it('a token GitHub would not mint says what was asked and what to grant', () => {
    expect(errorWords(new AuthError(MINT))).toBe(
      'GitHub did not mint an installation token for acme (422: Unprocessable) limited to app, api with metadata: read, secrets: write. Grant the App these permissions (and accept them on the installation on acme), and give the installation these repositories.'
    )
    const unlimited = { ...MINT, status: 401, repositories: undefined } as MintFailure
    expect(errorWords(new AuthError(unlimited))).toContain(
      "limited to all repositories with metadata: read, secrets: write. Check 'app-id' and 'app-private-key', and that the App is still installed there."
    )
  })

  it.each([
    [
      { kind: 'not-installed', account: 'acme' },
      'The GitHub App is not installed on acme (or not on that repository): install it there with the permissions in docs/github-setup.md.'
    ],
    [
      { kind: 'refused', account: 'acme', reason: { kind: 'timeout' } },
      "GitHub refused the App while looking up its installation on acme (no response: timed out). Check 'app-id' and 'app-private-key'."
    ],
    [{ kind: 'no-target', account: 'octo' }, 'No target of the run is owned by octo']
  ] as const)('an App fault: %j', (fault, words) => {
    expect(errorWords(new AppError(fault))).toBe(words)
  })

  it('before any change, an organization listing or an unminted token blocks the drain', () => {
    const reason = { kind: 'answered', status: 403, message: 'Forbidden' } as const
    expect(runsBlockedWords({ kind: 'organization', reason })).toBe(
      `GitHub refused a listing (403: Forbidden): the token or App needs the repository permission 'Actions: Read' (and 'Metadata: Read' to list an organization's repositories), to see which repositories read an organization secret. Give it that permission. ${IGNORE}`
    )
    expect(runsBlockedWords({ kind: 'mint', mint: MINT })).toMatch(
      new RegExp(
        `^GitHub did not mint .* these repositories\\. ${IGNORE.replace(/[().']/g, '\\$&')}$`
      )
    )
  })

  it('why a target missed the new key: GitHub error in words, and what followed', () => {
    const error = new AuthError(MINT)
    const said = errorWords(error).replace(/\.$/, '')
    expect(said).toMatch(/^GitHub did not mint an installation token for acme/)
    expect(missWords({ miss: 'refused', error })).toBe(said)
    expect(missWords({ miss: 'no-old', error, target: 'acme/app' })).toBe(
      `${said}; acme/app has no old key to go back to`
    )
    expect(
      missWords({ miss: 'not-back', error, name: 'ID', key: 'AKIAOLD', again: undefined })
    ).toBe(`${said}; putting ID back to AKIAOLD failed too (no answer)`)
    expect(missWords({ miss: 'unseen', error })).toBe(
      `${said}; GitHub's record does not show either write yet`
    )
    expect(missWords({ miss: 'unseen', error: undefined, unseen: 'SECRET' })).toBe(
      "no answer; GitHub's record does not show the write of SECRET yet"
    )
  })
})
