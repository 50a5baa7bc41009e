/**
 * Where one user's key goes, as a person writes it: the same fields in action inputs and in a
 * manifest entry. Parsed here into {@link Target}s, with every problem named by field.
 */
import type { OrganizationTarget, Target, Visibility } from '../github/targets.js'
import { scopeKey } from '../github/targets.js'
import { environmentProblem, loginProblem, repositoryProblem } from './github-names.js'
import {
  parseOrganization,
  sameVisibility,
  shown,
  VISIBILITIES,
  type OrganizationSpec,
  type OrganizationVisibility
} from './organization-spec.js'
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
/** The fields whose entries may carry a visibility of their own (organization-spec.ts). */
export const ORGANIZATION_FIELDS = ['organizations', 'dependabot-organizations'] as const
type OrganizationField = (typeof ORGANIZATION_FIELDS)[number]
export type TargetSpec = Partial<
  Record<Exclude<TargetField, OrganizationField>, string[]> &
    // A hole is an entry of a shape the manifest schema has already reported.
    Record<OrganizationField, (OrganizationSpec | undefined)[]>
>

/**
 * A problem in one field; `index` points into a list field, and `path` further into a manifest
 * mapping entry (`['selected-repositories', 1]`).
 */
export interface FieldProblem {
  field: TargetField
  index?: number
  path?: (string | number)[]
  message: string
}

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
  const each = (
    field: Exclude<TargetField, OrganizationField>,
    parse: (value: string) => Target | string
  ): void =>
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

  let unreadable = false
  const organizations = ORGANIZATION_FIELDS.flatMap((field) =>
    (spec[field] ?? []).flatMap((entry, index) => {
      const parsed = entry === undefined ? [] : parseOrganization(entry)
      if ('org' in parsed) return [{ field, index, ...parsed }]
      unreadable = true
      for (const { path, message } of parsed)
        problems.push({ field, index, ...(path.length > 0 ? { path } : {}), message })
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
      problems.push({
        field,
        index,
        message: `lists organization ${org} again, as ${shown(org, own)}, after ${shown(listed.org, visibilityOf(listed))}: list it once, with the visibility its secrets should have`
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
  const listed = ORGANIZATION_FIELDS.some((f) => (spec[f]?.length ?? 0) > 0)
  const field = visibility ? 'organization-secret-visibility' : 'organization-selected-repositories'
  // Settings that apply to nothing are a mistake of the person writing them, not a default:
  // most likely the organization they meant is missing, or the entry that should take them.
  if ((visibility || selected.length > 0) && !listed) {
    problem(
      field,
      "applies to organization secrets only, and no organization is listed: add one to 'organizations' or 'dependabot-organizations', or leave this empty"
    )
  } else if ((visibility || selected.length > 0) && !taken) {
    problem(
      field,
      "applies to organization entries that set no visibility of their own, and every entry sets one (as 'org:all', 'org:private' or 'org:selected=repo+repo'): leave this empty, or list an organization without ':'"
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
  const chosen = VISIBILITIES.find((v) => v === visibility)
  if (!chosen) return undefined
  return chosen === 'selected'
    ? { visibility: chosen, selectedRepositories: selected }
    : { visibility: chosen }
}
