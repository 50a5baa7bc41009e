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

/** The rule of GitHub's a name breaks; the report words each. */
export type NameRule =
  | 'login'
  | 'repository-dot'
  | 'repository'
  | 'repository-git'
  | 'environment-dot'
  | 'environment-printable'
  | 'environment-length'

const DOT_SEGMENT = (name: string): boolean => name === '.' || name === '..'

/** Why `login` is not a GitHub user or organization login, or undefined when it is. */
export function loginProblem(login: string): NameRule | undefined {
  return LOGIN.test(login) ? undefined : 'login'
}

/** Why `name` is not a repository name (without the owner), or undefined when it is. */
export function repositoryProblem(name: string): NameRule | undefined {
  if (DOT_SEGMENT(name)) return 'repository-dot'
  if (!REPOSITORY.test(name)) return 'repository'
  // GitHub drops the suffix when a repository is created, so no repository is named so; it is
  // a clone URL pasted in.
  if (/\.git$/i.test(name)) return 'repository-git'
  return undefined
}

/** Why `name` is not an environment name, or undefined when it is. */
export function environmentProblem(name: string): NameRule | undefined {
  if (DOT_SEGMENT(name)) return 'environment-dot'
  // A line break would also let a manifest write lines of its own into the log.
  if (hasUnprintable(name)) return 'environment-printable'
  if ([...name].length > MAX_ENVIRONMENT) return 'environment-length'
  return undefined
}
