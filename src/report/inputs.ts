/**
 * Bad inputs in words: the entry's only failure before it loads the rest of the action, so this
 * file stays small and imports no other report, only the input-*.ts files beside it.
 */
import { InputError } from '../inputs/inputs.js'
import type { Problem } from '../inputs/problems.js'
import { faultWords } from './input-faults.js'
import { manifestWords } from './input-manifest.js'
import { placeWords } from './input-places.js'
import { togetherWords } from './input-together.js'
import { userWords } from './input-users.js'

/** What holds after bad input: it is checked before any request. */
export const UNCHANGED_BY_INPUTS = [
  'Nothing was changed: the inputs are checked before any request.',
  'Correct them in the workflow (or the manifest), then run it again.'
].join(' ')

/** An error of the entry in words: bad inputs, every problem at once; any other error as it says. */
export const inputWords = (error: unknown): string =>
  error instanceof InputError
    ? invalid(error.problems)
    : error instanceof Error
      ? error.message
      : String(error)

/** Every problem under one header, then what holds. */
function invalid(problems: Problem[]): string {
  const words = problems.map(problemWords)
  const listed =
    words.length === 1
      ? `Invalid input: ${words[0]}`
      : `Invalid inputs:\n${words.map((w) => `  - ${w}`).join('\n')}`
  // What holds: inputs are checked before any request, so nothing was read or changed.
  return `${listed}\n${UNCHANGED_BY_INPUTS}`
}

/** One problem of the inputs in words. */
export function problemWords(p: Problem): string {
  switch (p.kind) {
    case 'field':
      return `${placeWords(p.place)} ${faultWords(p.fault)}`
    case 'user-name':
    case 'user-twice':
    case 'user-no-target':
    case 'secret-names-same':
    case 'secret-shared':
      return userWords(p)
    case 'manifest-file':
    case 'not-manifest':
    case 'yaml':
    case 'yaml-data':
    case 'unknown-key':
    case 'schema':
      return manifestWords(p)
    default:
      return togetherWords(p)
  }
}
