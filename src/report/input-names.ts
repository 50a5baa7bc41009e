/** GitHub's rules for names, in words: the clause a target's or an entry's problem explains with. */
import { MAX_ENVIRONMENT, type NameRule } from '../inputs/github-names.js'

export function nameWords(rule: NameRule): string {
  switch (rule) {
    case 'login':
      return 'a GitHub login is 1-39 letters, digits and single hyphens, with no hyphen at either end'
    case 'repository-dot':
      return "'.' and '..' are not repository names"
    case 'repository':
      return "a repository name is 1-100 letters, digits, '.', '-' and '_'"
    case 'repository-git':
      return "a repository name does not end in '.git': leave it out"
    case 'environment-dot':
      return "'.' and '..' are not environment names"
    case 'environment-printable':
      return 'an environment name is printable: no line breaks, tabs or other control characters'
    case 'environment-length':
      return `an environment name is at most ${MAX_ENVIRONMENT} characters`
  }
}
