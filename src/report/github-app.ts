/** A GitHub App's clients that could not be made, in words, with what to change. */
import type { AppFault } from '../github/app-errors.js'
import { reasonWords } from './github-reason.js'

export function appWords(f: AppFault): string {
  switch (f.kind) {
    case 'no-target':
      return `No target of the run is owned by ${f.account}`
    case 'not-installed':
      return [
        `The GitHub App is not installed on ${f.account} (or not on that repository):`,
        'install it there with the permissions in docs/github-setup.md.'
      ].join(' ')
    case 'refused':
      return [
        `GitHub refused the App while looking up its installation on ${f.account} (${reasonWords(f.reason)}).`,
        "Check 'app-id' and 'app-private-key'."
      ].join(' ')
  }
}
