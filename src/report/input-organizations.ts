/**
 * What is wrong with an organization entry (`acme:selected=app+api`, or a manifest mapping), in
 * words that follow the entry's name; and how an entry is written, for the messages.
 */
import {
  VISIBILITIES,
  type OrganizationFault,
  type OrganizationVisibility
} from '../inputs/organization-spec.js'
import { quote } from '../inputs/quote.js'
import { nameWords } from './input-names.js'

const SHAPES = "'org', 'org:all', 'org:private' or 'org:selected=repo+repo'"

export function organizationWords(f: OrganizationFault): string {
  switch (f.rule) {
    case 'org-login':
      return `must be an organization login (${nameWords(f.why)}), got ${quote(f.got)}`
    case 'org-visibility':
      return [
        `must look like ${SHAPES}`,
        `(after ':' comes the visibility: ${VISIBILITIES.join(', ')}), got ${quote(f.got)}`
      ].join(' ')
    case 'org-names-unselected':
      return [
        "names repositories, which only 'selected' takes:",
        `write '${f.org}:selected=${f.names}', or '${f.org}:${f.visibility}' alone, got ${quote(f.got)}`
      ].join(' ')
    case 'org-names-none':
      return [
        'must name the repositories that may use the secret,',
        `as in '${f.org}:selected=app+api' (names without the owner, joined by '+'), got ${quote(f.got)}`
      ].join(' ')
    case 'org-name-empty':
      return [
        "has an empty repository name (a '+' too many):",
        `write '${f.org}:selected=app+api', got ${quote(f.got)}`
      ].join(' ')
    case 'org-name':
      return [
        `names ${quote(f.name)}, which is not a repository name without the owner (${nameWords(f.why)}):`,
        `write '${f.org}:selected=app+api', got ${quote(f.got)}`
      ].join(' ')
    case 'visibility':
      return `must be one of ${VISIBILITIES.join(', ')}, got ${quote(f.got)}`
    case 'mapping-selected-none':
      return [
        "is 'selected', so 'selected-repositories' must list at least one repository",
        '(names without the owner)'
      ].join(' ')
    case 'mapping-selected-unselected':
      return "only applies with 'visibility: selected': add it, or remove 'selected-repositories'"
    case 'repository-name':
      return `must be a repository name without the owner (${nameWords(f.why)}), got ${quote(f.got)}`
  }
}

/** How a configured visibility is written in an entry. */
export function shown(org: string, v?: OrganizationVisibility): string {
  if (!v) return `'${org}'`
  return v.visibility === 'selected'
    ? `'${org}:selected=${(v.selectedRepositories ?? []).join('+')}'`
    : `'${org}:${v.visibility}'`
}
