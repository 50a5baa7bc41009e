/** What a GitHub request was doing, in words: "writing secret X for acme/app". */
import type { Doing, Step } from '../github/errors.js'
import { describe } from '../github/targets.js'

export function doingWords(d: Doing): string {
  switch (d.doing) {
    case 'write':
      return `writing secret ${d.secret}`
    case 'updated':
      return `reading when secret ${d.secret} was written`
    case 'public-key':
      return 'reading the secrets public key'
    case 'visibility':
      return `reading the visibility of secret ${d.secret}`
    case 'repository':
      return `looking up the selected repository ${d.repository}`
    case 'run':
      return `reading run ${d.run} of ${d.repository}`
    case 'runs':
      return 'listing workflow runs'
    case 'installation':
      return `looking up the GitHub App's installation on ${d.account}`
    case 'mint':
      return `minting an installation token for ${d.account}`
  }
}

/** The step with its target: "reading the secrets public key for acme/app". */
export const stepWords = (s: Step): string =>
  s.target ? `${doingWords(s.doing)} for ${describe(s.target)}` : doingWords(s.doing)

/** A step another failure was met inside: " (while writing secret X for acme/app)". */
export const whileWords = (steps: Step[] = []): string =>
  steps.map((s) => ` (while ${stepWords(s)})`).join('')
