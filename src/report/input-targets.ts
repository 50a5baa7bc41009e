/** What is wrong with a target field's value, in words that follow the field's name. */
import { VISIBILITIES } from '../inputs/organization-spec.js'
import { quote } from '../inputs/quote.js'
import type { TargetFault } from '../inputs/target-spec.js'
import { nameWords } from './input-names.js'
import { organizationWords, shown } from './input-organizations.js'

export function targetWords(f: TargetFault): string {
  switch (f.rule) {
    case 'shape':
      return `must look like '${f.shape}'${f.why ? ` (${nameWords(f.why)})` : ''}, got ${quote(f.got)}`
    case 'organization-again':
      return [
        `lists organization ${f.org} again, as ${shown(f.org, f.own)},`,
        `after ${shown(f.listed.org, f.listed.visibility)}:`,
        'list it once, with the visibility its secrets should have'
      ].join(' ')
    case 'default-visibility':
      return [
        `must be one of ${VISIBILITIES.join(', ')} (or empty to keep each secret's),`,
        `got ${quote(f.got.join(', '))}`
      ].join(' ')
    case 'default-unlisted':
      return [
        'applies to organization secrets only, and no organization is listed:',
        "add one to 'organizations' or 'dependabot-organizations', or leave this empty"
      ].join(' ')
    case 'default-untaken':
      return [
        'applies to organization entries that set no visibility of their own,',
        "and every entry sets one (as 'org:all', 'org:private' or 'org:selected=repo+repo'):",
        "leave this empty, or list an organization without ':'"
      ].join(' ')
    case 'selected-unselected':
      return "only applies with organization-secret-visibility 'selected'"
    case 'selected-none':
      return "must list at least one repository when organization-secret-visibility is 'selected'"
    default:
      return organizationWords(f)
  }
}
