/**
 * GitHub's own rules for the names a target is built from. A name GitHub would refuse is refused
 * here, before any request: besides failing later, some reach the wrong place first. A URL
 * collapses `.` and `..` path segments, so an environment `.` of `acme/app` would be written as
 * `/repos/acme/app/environments/secrets/…` — another route than the one named.
 */
import { hasUnprintable } from './quote.js'

/** User and organization logins: letters, digits and single hyphens, none at either end, at most 39. */
const LOGIN = /^[A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38}$/
const REPOSITORY = /^[A-Za-z0-9._-]{1,100}$/
/** GitHub: "An environment name may not exceed 255 characters". */
export const MAX_ENVIRONMENT = 255

const DOT_SEGMENT = (name: string): boolean => name === '.' || name === '..'

/** Why `login` is not a GitHub user or organization login, or undefined when it is. */
export function loginProblem(login: string): string | undefined {
  return LOGIN.test(login)
    ? undefined
    : 'a GitHub login is 1-39 letters, digits and single hyphens, with no hyphen at either end'
}

/** Why `name` is not a repository name (without the owner), or undefined when it is. */
export function repositoryProblem(name: string): string | undefined {
  if (DOT_SEGMENT(name)) return "'.' and '..' are not repository names"
  if (!REPOSITORY.test(name)) return "a repository name is 1-100 letters, digits, '.', '-' and '_'"
  // GitHub drops the suffix when a repository is created, so no repository is named so; it is
  // a clone URL pasted in.
  if (/\.git$/i.test(name)) return "a repository name does not end in '.git': leave it out"
  return undefined
}

/** Why `name` is not an environment name, or undefined when it is. */
export function environmentProblem(name: string): string | undefined {
  if (DOT_SEGMENT(name)) return "'.' and '..' are not environment names"
  // A line break would also let a manifest write lines of its own into the log.
  if (hasUnprintable(name))
    return 'an environment name is printable: no line breaks, tabs or other control characters'
  if ([...name].length > MAX_ENVIRONMENT)
    return `an environment name is at most ${MAX_ENVIRONMENT} characters`
  return undefined
}
