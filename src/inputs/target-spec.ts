/**
 * Where one user's key goes, as a person writes it: the same fields in action inputs and in a
 * manifest entry. Parsed here into {@link Target}s, with every problem named by field.
 */
import type { OrganizationTarget, Target, Visibility } from '../github/targets.js'
import { scopeKey } from '../github/targets.js'
import {
  environmentProblem,
  loginProblem,
  repositoryProblem,
  type NameRule
} from './github-names.js'
import {
  parseOrganization,
  sameVisibility,
  VISIBILITIES,
  type OrganizationFault,
  type OrganizationSpec,
  type OrganizationVisibility
} from './organization-spec.js'

/** The target fields, exactly as action inputs and manifest keys spell them. */
export const TARGET_FIELDS = [
  'repositories',
  'environments',
  'organizations',
  'organization-secret-visibility',
  'organization-selected-repositories',
  'dependabot-repositories',
  'dependabot-organizations'
] as const

export type TargetField = (typeof TARGET_FIELDS)[number]
/** The fields whose entries may carry a visibility of their own (organization-spec.ts). */
export const ORGANIZATION_FIELDS = ['organizations', 'dependabot-organizations'] as const
type OrganizationField = (typeof ORGANIZATION_FIELDS)[number]
export type TargetSpec = Partial<
  Record<Exclude<TargetField, OrganizationField>, string[]> &
    // A hole is an entry of a shape the manifest schema has already reported.
    Record<OrganizationField, (OrganizationSpec | undefined)[]>
>

/** What is wrong with a target field's value, as facts: the report words each. */
export type TargetFault =
  | OrganizationFault
  /** Not of the shape `owner/repo` (or `owner/repo:environment`); `why`: the name rule it breaks. */
  | { rule: 'shape'; shape: 'owner/repo' | 'owner/repo:environment'; got: string; why?: NameRule }
  /** An organization listed again with another visibility than `listed`'s. */
  | {
      rule: 'organization-again'
      org: string
      own?: OrganizationVisibility
      listed: { org: string; visibility?: OrganizationVisibility }
    }
  /** `organization-secret-visibility`, all its values as given. */
  | { rule: 'default-visibility'; got: string[] }
  /** The default visibility, and no organization listed to take it. */
  | { rule: 'default-unlisted' }
  /** The default visibility, and every organization entry sets its own. */
  | { rule: 'default-untaken' }
  | { rule: 'selected-unselected' }
  | { rule: 'selected-none' }

/**
 * A problem in one field; `index` points into a list field, and `path` further into a manifest
 * mapping entry (`['selected-repositories', 1]`).
 */
export interface FieldProblem {
  field: TargetField
  index?: number
  path?: (string | number)[]
  fault: TargetFault
}

/**
 * `owner/repo` split and checked; otherwise why not: GitHub's rule it breaks, or nothing when the
 * value does not have the shape at all.
 */
function repository(value: string): { owner: string; repo: string } | { problem?: NameRule } {
  const [owner = '', repo = '', ...rest] = value.split('/')
  if (rest.length > 0 || !value.includes('/')) return {}
  const problem = loginProblem(owner) ?? repositoryProblem(repo)
  return problem ? { problem } : { owner, repo }
}

/** A value not of `shape`, and the rule it breaks when it has the shape. */
const mustLook = (
  shape: 'owner/repo' | 'owner/repo:environment',
  got: string,
  why?: NameRule
): TargetFault => ({ rule: 'shape', shape, got, ...(why ? { why } : {}) })

/**
 * Parse a user's target fields. Names are checked against GitHub's own rules; duplicates are
 * dropped after normalisation, as GitHub compares names: case-insensitively, environments too.
 */
export function parseTargetSpec(spec: TargetSpec): { targets: Target[]; problems: FieldProblem[] } {
  const problems: FieldProblem[] = []
  const targets: Target[] = []
  const add = (t: Target): void => {
    if (!targets.some((o) => o.kind === t.kind && scopeKey(o) === scopeKey(t))) targets.push(t)
  }
  const each = (
    field: Exclude<TargetField, OrganizationField>,
    parse: (value: string) => Target | TargetFault
  ): void =>
    (spec[field] ?? []).forEach((value, index) => {
      const parsed = parse(value.trim())
      if ('rule' in parsed) problems.push({ field, index, fault: parsed })
      else add(parsed)
    })

  for (const [field, kind] of [
    ['repositories', 'repository'],
    ['dependabot-repositories', 'dependabot']
  ] as const) {
    each(field, (v) => {
      const r = repository(v)
      return 'owner' in r ? { kind, ...r } : mustLook('owner/repo', v, r.problem)
    })
  }
  each('environments', (v) => {
    const at = v.indexOf(':')
    const r = at > 0 ? repository(v.slice(0, at)) : {}
    const environment = v.slice(at + 1).trim()
    const problem = 'owner' in r ? environment && environmentProblem(environment) : r.problem
    return 'owner' in r && environment && !problem
      ? { kind: 'environment', ...r, environment }
      : mustLook('owner/repo:environment', v, problem || undefined)
  })

  let unreadable = false
  const organizations = ORGANIZATION_FIELDS.flatMap((field) =>
    (spec[field] ?? []).flatMap((entry, index) => {
      const parsed = entry === undefined ? [] : parseOrganization(entry)
      if ('org' in parsed) return [{ field, index, ...parsed }]
      unreadable = true
      for (const { path, fault } of parsed)
        problems.push({ field, index, ...(path.length > 0 ? { path } : {}), fault })
      return []
    })
  )
  // An entry that did not parse may have meant to take the default: not a second problem.
  const fallback = organizationSettings(
    spec,
    problems,
    unreadable || organizations.some((o) => !o.own)
  )
  for (const { field, index, org, own } of organizations) {
    const kind = field === 'organizations' ? 'organization' : 'dependabot-organization'
    const settings = own ?? fallback
    const target: OrganizationTarget = { kind, org, ...settings }
    const listed = targets.find(
      (t): t is OrganizationTarget => t.kind === kind && scopeKey(t) === scopeKey(target)
    )
    // One secret has one visibility: two entries that disagree cannot both be written.
    if (listed && !sameVisibility(visibilityOf(listed), settings)) {
      const visibility = visibilityOf(listed)
      problems.push({
        field,
        index,
        fault: {
          rule: 'organization-again',
          org,
          ...(own ? { own } : {}),
          listed: { org: listed.org, ...(visibility ? { visibility } : {}) }
        }
      })
    } else add(target)
  }
  return { targets, problems }
}

/** The visibility a target was configured with, as organization-spec.ts compares them. */
const visibilityOf = (t: OrganizationTarget): OrganizationVisibility | undefined =>
  t.visibility
    ? { visibility: t.visibility, selectedRepositories: t.selectedRepositories }
    : undefined

/**
 * The user's default visibility of organization secrets (`organization-secret-visibility` with
 * `organization-selected-repositories`), checked against each other and against the entries that
 * take it (`taken`: some organization entry gives no visibility of its own).
 */
function organizationSettings(
  spec: TargetSpec,
  problems: FieldProblem[],
  taken: boolean
): OrganizationVisibility | undefined {
  const given = spec['organization-secret-visibility'] ?? []
  const [visibility, ...extra] = given
  const problem = (field: TargetField, fault: TargetFault, index?: number): number =>
    problems.push({ field, fault, ...(index === undefined ? {} : { index }) })
  if (extra.length > 0 || (visibility && !VISIBILITIES.includes(visibility as Visibility))) {
    problem('organization-secret-visibility', { rule: 'default-visibility', got: given })
  }
  const selected = spec['organization-selected-repositories'] ?? []
  selected.forEach((name, index) => {
    const why = repositoryProblem(name)
    if (why) {
      problem(
        'organization-selected-repositories',
        { rule: 'repository-name', why, got: name },
        index
      )
    }
  })
  const listed = ORGANIZATION_FIELDS.some((f) => (spec[f]?.length ?? 0) > 0)
  const field = visibility ? 'organization-secret-visibility' : 'organization-selected-repositories'
  // Settings that apply to nothing are a mistake of the person writing them, not a default:
  // most likely the organization they meant is missing, or the entry that should take them.
  if ((visibility || selected.length > 0) && !listed) {
    problem(field, { rule: 'default-unlisted' })
  } else if ((visibility || selected.length > 0) && !taken) {
    problem(field, { rule: 'default-untaken' })
  } else if (selected.length > 0 && visibility !== 'selected') {
    problem('organization-selected-repositories', { rule: 'selected-unselected' })
  } else if (visibility === 'selected' && selected.length === 0) {
    problem('organization-selected-repositories', { rule: 'selected-none' })
  }
  const chosen = VISIBILITIES.find((v) => v === visibility)
  if (!chosen) return undefined
  return chosen === 'selected'
    ? { visibility: chosen, selectedRepositories: selected }
    : { visibility: chosen }
}
