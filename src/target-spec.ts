/**
 * Where one user's key goes, as a person writes it: the same fields in action inputs and in a
 * manifest entry. Parsed here into {@link Target}s, with every problem named by field.
 */
import type { Target, Visibility } from './github/targets.js'
import { scopeKey } from './github/targets.js'
import { environmentProblem, loginProblem, repositoryProblem } from './github-names.js'
import { quote } from './quote.js'

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
export type TargetSpec = Partial<Record<TargetField, string[]>>

/** A problem in one field; `index` points into a list field. */
export interface FieldProblem {
  field: TargetField
  index?: number
  message: string
}

const VISIBILITIES: Visibility[] = ['all', 'private', 'selected']

/**
 * `owner/repo` split and checked; otherwise why not: GitHub's rule it breaks, or nothing when the
 * value does not have the shape at all.
 */
function repository(value: string): { owner: string; repo: string } | { problem?: string } {
  const [owner = '', repo = '', ...rest] = value.split('/')
  if (rest.length > 0 || !value.includes('/')) return {}
  const problem = loginProblem(owner) ?? repositoryProblem(repo)
  return problem ? { problem } : { owner, repo }
}

/** `must look like 'shape' (why), got 'value'`, the value made safe to print. */
const mustLook = (shape: string, value: string, why?: string): string =>
  `must look like '${shape}'${why ? ` (${why})` : ''}, got ${quote(value)}`

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
  const each = (field: TargetField, parse: (value: string) => Target | string): void =>
    (spec[field] ?? []).forEach((value, index) => {
      const parsed = parse(value.trim())
      if (typeof parsed === 'string') problems.push({ field, index, message: parsed })
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

  const { visibility, selected } = organizationSettings(spec, problems)
  for (const [field, kind] of [
    ['organizations', 'organization'],
    ['dependabot-organizations', 'dependabot-organization']
  ] as const) {
    each(field, (org) => {
      const problem = loginProblem(org)
      return problem
        ? `must be an organization login (${problem}), got ${quote(org)}`
        : {
            kind,
            org,
            ...(visibility ? { visibility } : {}),
            ...(visibility === 'selected' ? { selectedRepositories: selected } : {})
          }
    })
  }
  return { targets, problems }
}

/** The visibility settings of organization secrets, checked against each other and the targets. */
function organizationSettings(
  spec: TargetSpec,
  problems: FieldProblem[]
): { visibility?: Visibility; selected: string[] } {
  const given = spec['organization-secret-visibility'] ?? []
  const [visibility, ...extra] = given
  const problem = (field: TargetField, message: string, index?: number): number =>
    problems.push({ field, message, ...(index === undefined ? {} : { index }) })
  if (extra.length > 0 || (visibility && !VISIBILITIES.includes(visibility as Visibility))) {
    problem(
      'organization-secret-visibility',
      `must be one of ${VISIBILITIES.join(', ')} (or empty to keep each secret's), got ${quote(given.join(', '))}`
    )
  }
  const selected = spec['organization-selected-repositories'] ?? []
  selected.forEach((name, index) => {
    const why = repositoryProblem(name)
    if (why) {
      problem(
        'organization-selected-repositories',
        `must be a repository name without the owner (${why}), got ${quote(name)}`,
        index
      )
    }
  })
  const organizations = [...(spec.organizations ?? []), ...(spec['dependabot-organizations'] ?? [])]
  // Settings that apply to nothing are a mistake of the person writing them, not a default:
  // most likely the organization they meant is missing.
  if ((visibility || selected.length > 0) && organizations.length === 0) {
    problem(
      visibility ? 'organization-secret-visibility' : 'organization-selected-repositories',
      "applies to organization secrets only, and no organization is listed: add one to 'organizations' or 'dependabot-organizations', or leave this empty"
    )
  } else if (selected.length > 0 && visibility !== 'selected') {
    problem(
      'organization-selected-repositories',
      "only applies with organization-secret-visibility 'selected'"
    )
  } else if (visibility === 'selected' && selected.length === 0) {
    problem(
      'organization-selected-repositories',
      "must list at least one repository when organization-secret-visibility is 'selected'"
    )
  }
  return {
    visibility: VISIBILITIES.find((v) => v === visibility),
    selected
  }
}
