/**
 * Where one user's key goes, as a person writes it: the same fields in action inputs and in a
 * manifest entry. Parsed here into {@link Target}s, with every problem named by field.
 */
import type { Target, Visibility } from './github/targets.js'
import { scopeKey } from './github/targets.js'

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

const OWNER = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/
const REPO = /^[A-Za-z0-9._-]{1,100}$/
const VISIBILITIES: Visibility[] = ['all', 'private', 'selected']

function repository(value: string): { owner: string; repo: string } | undefined {
  const [owner = '', repo = '', ...rest] = value.split('/')
  return rest.length === 0 && OWNER.test(owner) && REPO.test(repo) ? { owner, repo } : undefined
}

/** Parse a user's target fields; duplicates (case-insensitive, as GitHub treats names) are dropped. */
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
      return r ? { kind, ...r } : `must look like 'owner/repo', got '${v}'`
    })
  }
  each('environments', (v) => {
    const at = v.indexOf(':')
    const r = at > 0 ? repository(v.slice(0, at)) : undefined
    const environment = v.slice(at + 1).trim()
    return r && environment && environment.length <= 255
      ? { kind: 'environment', ...r, environment }
      : `must look like 'owner/repo:environment', got '${v}'`
  })

  const [visibility, ...extra] = spec['organization-secret-visibility'] ?? []
  if (extra.length > 0 || (visibility && !VISIBILITIES.includes(visibility as Visibility))) {
    problems.push({
      field: 'organization-secret-visibility',
      message: `must be one of ${VISIBILITIES.join(', ')} (or empty to keep each secret's), got '${(spec['organization-secret-visibility'] ?? []).join(', ')}'`
    })
  }
  const selected = spec['organization-selected-repositories'] ?? []
  selected.forEach((name, index) => {
    if (!REPO.test(name)) {
      problems.push({
        field: 'organization-selected-repositories',
        index,
        message: `must be a repository name without the owner, got '${name}'`
      })
    }
  })
  if (selected.length > 0 && visibility !== 'selected') {
    problems.push({
      field: 'organization-selected-repositories',
      message: "only applies with organization-secret-visibility 'selected'"
    })
  }
  if (visibility === 'selected' && selected.length === 0) {
    problems.push({
      field: 'organization-selected-repositories',
      message: "must list at least one repository when organization-secret-visibility is 'selected'"
    })
  }
  for (const [field, kind] of [
    ['organizations', 'organization'],
    ['dependabot-organizations', 'dependabot-organization']
  ] as const) {
    each(field, (org) =>
      OWNER.test(org)
        ? {
            kind,
            org,
            ...(visibility ? { visibility: visibility as Visibility } : {}),
            ...(visibility === 'selected' ? { selectedRepositories: selected } : {})
          }
        : `must be an organization login, got '${org}'`
    )
  }
  return { targets, problems }
}
