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
import { loginProblem, repositoryProblem, type NameRule } from './github-names.js'

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

/**
 * What is wrong with an organization entry, or with a repository name an entry or the inputs
 * select, as facts: the report words each to follow the entry's name (`'organizations' …`).
 * `got` is the whole entry as written.
 */
export type OrganizationFault =
  | { rule: 'org-login'; why: NameRule; got: string }
  /** After `:` comes no visibility. */
  | { rule: 'org-visibility'; got: string }
  /** `org:all=app`: repositories named after a visibility other than `selected`. */
  | { rule: 'org-names-unselected'; org: string; visibility: string; names: string; got: string }
  | { rule: 'org-names-none'; org: string; got: string }
  | { rule: 'org-name-empty'; org: string; got: string }
  | { rule: 'org-name'; org: string; name: string; why: NameRule; got: string }
  /** A mapping's `visibility` that is none. */
  | { rule: 'visibility'; got: string }
  | { rule: 'mapping-selected-none' }
  | { rule: 'mapping-selected-unselected' }
  /** A selected repository that is not a name without the owner. */
  | { rule: 'repository-name'; why: NameRule; got: string }

/** A problem in one entry; `path` points into a mapping entry, e.g. `['selected-repositories', 1]`. */
export interface EntryProblem {
  path: (string | number)[]
  fault: OrganizationFault
}

/** Parse one entry, or say what is wrong with it. */
export function parseOrganization(entry: OrganizationSpec): ParsedOrganization | EntryProblem[] {
  return typeof entry === 'string' ? parseString(entry.trim()) : parseMapping(entry)
}

function parseString(value: string): ParsedOrganization | EntryProblem[] {
  const fail = (fault: OrganizationFault): EntryProblem[] => [{ path: [], fault }]
  const colon = value.indexOf(':')
  const org = (colon < 0 ? value : value.slice(0, colon)).trim()
  const problem = loginProblem(org)
  if (problem) return fail({ rule: 'org-login', why: problem, got: value })
  if (colon < 0) return { org }

  const setting = value.slice(colon + 1)
  const equals = setting.indexOf('=')
  const visibility = (equals < 0 ? setting : setting.slice(0, equals)).trim()
  const names = equals < 0 ? [] : setting.slice(equals + 1).split('+')
  if (!VISIBILITIES.includes(visibility as Visibility)) {
    return fail({ rule: 'org-visibility', got: value })
  }
  if (visibility !== 'selected') {
    return equals < 0
      ? { org, own: { visibility: visibility as Visibility } }
      : fail({
          rule: 'org-names-unselected',
          org,
          visibility,
          names: setting.slice(equals + 1).trim(),
          got: value
        })
  }
  if (names.every((n) => !n.trim())) return fail({ rule: 'org-names-none', org, got: value })
  for (const name of names.map((n) => n.trim())) {
    if (!name) return fail({ rule: 'org-name-empty', org, got: value })
    const why = repositoryProblem(name)
    if (why) return fail({ rule: 'org-name', org, name, why, got: value })
  }
  return { org, own: { visibility: 'selected', selectedRepositories: unique(names) } }
}

function parseMapping(entry: OrganizationEntry): ParsedOrganization | EntryProblem[] {
  const problems: EntryProblem[] = []
  const loginWhy = loginProblem(entry.org)
  if (loginWhy) {
    problems.push({ path: ['org'], fault: { rule: 'org-login', why: loginWhy, got: entry.org } })
  }
  const { visibility } = entry
  const names = entry['selected-repositories'] ?? []
  if (visibility !== undefined && !VISIBILITIES.includes(visibility as Visibility)) {
    problems.push({ path: ['visibility'], fault: { rule: 'visibility', got: visibility } })
  } else if (visibility === 'selected' && names.length === 0) {
    problems.push({ path: ['visibility'], fault: { rule: 'mapping-selected-none' } })
  } else if (visibility !== 'selected' && names.length > 0) {
    problems.push({
      path: ['selected-repositories'],
      fault: { rule: 'mapping-selected-unselected' }
    })
  }
  names.forEach((name, index) => {
    const why = repositoryProblem(name)
    if (why) {
      problems.push({
        path: ['selected-repositories', index],
        fault: { rule: 'repository-name', why, got: name }
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
