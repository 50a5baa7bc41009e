/**
 * Organization targets and the visibility each one's secrets get. An entry of `organizations` or
 * `dependabot-organizations` may carry its own: `acme`, `acme:all`, `acme:private`,
 * `acme:selected=app+api` (the shape of `owner/repo:environment`: the target, then after `:` what
 * qualifies it; `+` joins the repositories because a list input is split on commas and newlines,
 * and no repository name holds a `+`). A manifest may also write `{ org, visibility,
 * selected-repositories }`. An entry that says nothing takes the user's
 * `organization-secret-visibility` (and `organization-selected-repositories`), so one user's
 * Actions and Dependabot organization secrets can be shared with different repositories.
 */
import type { Visibility } from '../github/targets.js'
import { loginProblem, repositoryProblem } from './github-names.js'
import { quote } from './quote.js'

export const VISIBILITIES: Visibility[] = ['all', 'private', 'selected']

/** A manifest's mapping entry, its fields as read (checked here, not trusted). */
export interface OrganizationEntry {
  org: string
  visibility?: string
  'selected-repositories'?: string[]
}

/** An organization entry as written: a string, or a manifest mapping. */
export type OrganizationSpec = string | OrganizationEntry

/** The visibility of an organization secret as configured: `selectedRepositories` with `selected`. */
export interface OrganizationVisibility {
  visibility: Visibility
  selectedRepositories?: string[]
}

/** An entry parsed: the organization, and its own visibility when it gives one. */
export interface ParsedOrganization {
  org: string
  own?: OrganizationVisibility
}

/** A problem in one entry; `path` points into a mapping entry, e.g. `['selected-repositories', 1]`. */
export interface EntryProblem {
  path: (string | number)[]
  message: string
}

const SHAPES = "'org', 'org:all', 'org:private' or 'org:selected=repo+repo'"

/** Parse one entry; a problem is worded to follow the entry's name (`'organizations' …`). */
export function parseOrganization(entry: OrganizationSpec): ParsedOrganization | EntryProblem[] {
  return typeof entry === 'string' ? parseString(entry.trim()) : parseMapping(entry)
}

function parseString(value: string): ParsedOrganization | EntryProblem[] {
  const fail = (message: string): EntryProblem[] => [{ path: [], message }]
  const colon = value.indexOf(':')
  const org = (colon < 0 ? value : value.slice(0, colon)).trim()
  const problem = loginProblem(org)
  if (problem) return fail(`must be an organization login (${problem}), got ${quote(value)}`)
  if (colon < 0) return { org }

  const setting = value.slice(colon + 1)
  const equals = setting.indexOf('=')
  const visibility = (equals < 0 ? setting : setting.slice(0, equals)).trim()
  const names = equals < 0 ? [] : setting.slice(equals + 1).split('+')
  if (!VISIBILITIES.includes(visibility as Visibility)) {
    return fail(
      `must look like ${SHAPES} (after ':' comes the visibility: ${VISIBILITIES.join(', ')}), got ${quote(value)}`
    )
  }
  if (visibility !== 'selected') {
    return equals < 0
      ? { org, own: { visibility: visibility as Visibility } }
      : fail(
          `names repositories, which only 'selected' takes: write '${org}:selected=${setting.slice(equals + 1).trim()}', or '${org}:${visibility}' alone, got ${quote(value)}`
        )
  }
  if (names.every((n) => !n.trim())) {
    return fail(
      `must name the repositories that may use the secret, as in '${org}:selected=app+api' (names without the owner, joined by '+'), got ${quote(value)}`
    )
  }
  for (const name of names.map((n) => n.trim())) {
    if (!name) {
      return fail(
        `has an empty repository name (a '+' too many): write '${org}:selected=app+api', got ${quote(value)}`
      )
    }
    const why = repositoryProblem(name)
    if (why) {
      return fail(
        `names ${quote(name)}, which is not a repository name without the owner (${why}): write '${org}:selected=app+api', got ${quote(value)}`
      )
    }
  }
  return { org, own: { visibility: 'selected', selectedRepositories: unique(names) } }
}

function parseMapping(entry: OrganizationEntry): ParsedOrganization | EntryProblem[] {
  const problems: EntryProblem[] = []
  const loginWhy = loginProblem(entry.org)
  if (loginWhy) {
    problems.push({
      path: ['org'],
      message: `must be an organization login (${loginWhy}), got ${quote(entry.org)}`
    })
  }
  const { visibility } = entry
  const names = entry['selected-repositories'] ?? []
  if (visibility !== undefined && !VISIBILITIES.includes(visibility as Visibility)) {
    problems.push({
      path: ['visibility'],
      message: `must be one of ${VISIBILITIES.join(', ')}, got ${quote(visibility)}`
    })
  } else if (visibility === 'selected' && names.length === 0) {
    problems.push({
      path: ['visibility'],
      message:
        "is 'selected', so 'selected-repositories' must list at least one repository (names without the owner)"
    })
  } else if (visibility !== 'selected' && names.length > 0) {
    problems.push({
      path: ['selected-repositories'],
      message: "only applies with 'visibility: selected': add it, or remove 'selected-repositories'"
    })
  }
  names.forEach((name, index) => {
    const why = repositoryProblem(name)
    if (why) {
      problems.push({
        path: ['selected-repositories', index],
        message: `must be a repository name without the owner (${why}), got ${quote(name)}`
      })
    }
  })
  if (problems.length > 0) return problems
  if (visibility === undefined) return { org: entry.org }
  return {
    org: entry.org,
    own:
      visibility === 'selected'
        ? { visibility, selectedRepositories: unique(names) }
        : { visibility: visibility as Visibility }
  }
}

/** Names trimmed, each once: GitHub compares repository names case-insensitively. */
function unique(names: string[]): string[] {
  const seen = new Map<string, string>()
  for (const name of names.map((n) => n.trim()))
    if (!seen.has(name.toLowerCase())) seen.set(name.toLowerCase(), name)
  return [...seen.values()]
}

/** Two configured visibilities that write the same thing. */
export function sameVisibility(a?: OrganizationVisibility, b?: OrganizationVisibility): boolean {
  const key = (v?: OrganizationVisibility): string =>
    v
      ? `${v.visibility}:${(v.selectedRepositories ?? [])
          .map((n) => n.toLowerCase())
          .sort()
          .join('+')}`
      : ''
  return key(a) === key(b)
}

/** How a configured visibility is written in an entry, for messages. */
export function shown(org: string, v?: OrganizationVisibility): string {
  if (!v) return `'${org}'`
  return v.visibility === 'selected'
    ? `'${org}:selected=${(v.selectedRepositories ?? []).join('+')}'`
    : `'${org}:${v.visibility}'`
}
