import { describe, expect, it } from '@jest/globals'
import {
  parseOrganization as parseFacts,
  type OrganizationSpec
} from '../src/inputs/organization-spec.js'
import { organizationWords } from '../src/report/input-organizations.js'

/** The entry parsed, or each problem at its path with the words a person reads after it. */
const parseOrganization = (entry: OrganizationSpec) => {
  const parsed = parseFacts(entry)
  return Array.isArray(parsed)
    ? parsed.map(({ path, fault }) => ({ path, message: organizationWords(fault) }))
    : parsed
}

describe('parseOrganization', () => {
  it.each([
    ['acme', { org: 'acme' }],
    [' acme ', { org: 'acme' }],
    ['acme:all', { org: 'acme', own: { visibility: 'all' } }],
    ['acme:private', { org: 'acme', own: { visibility: 'private' } }],
    [
      'acme:selected=app',
      { org: 'acme', own: { visibility: 'selected', selectedRepositories: ['app'] } }
    ],
    [
      'acme : selected = app + api',
      { org: 'acme', own: { visibility: 'selected', selectedRepositories: ['app', 'api'] } }
    ],
    // GitHub compares repository names case-insensitively: one repository, once.
    [
      'acme:selected=app+App+.github',
      { org: 'acme', own: { visibility: 'selected', selectedRepositories: ['app', '.github'] } }
    ],
    [{ org: 'acme' }, { org: 'acme' }],
    [
      { org: 'acme', visibility: 'private' },
      { org: 'acme', own: { visibility: 'private' } }
    ],
    [
      { org: 'acme', visibility: 'selected', 'selected-repositories': ['app', 'api'] },
      { org: 'acme', own: { visibility: 'selected', selectedRepositories: ['app', 'api'] } }
    ]
  ] as [OrganizationSpec, unknown][])('reads %j', (entry, parsed) => {
    expect(parseOrganization(entry)).toEqual(parsed)
  })

  it.each([
    ['acme/app', 'must be an organization login (a GitHub login is 1-39 letters'],
    [':all', 'must be an organization login'],
    [
      'acme:public',
      "must look like 'org', 'org:all', 'org:private' or 'org:selected=repo+repo' (after ':' comes the visibility: all, private, selected), got 'acme:public'"
    ],
    ['acme:', "must look like 'org', 'org:all'"],
    ['acme:Selected=app', "must look like 'org', 'org:all'"],
    [
      'acme:selected',
      "must name the repositories that may use the secret, as in 'acme:selected=app+api' (names without the owner, joined by '+'), got 'acme:selected'"
    ],
    ['acme:selected=', 'must name the repositories that may use the secret'],
    ['acme:selected= + ', 'must name the repositories that may use the secret'],
    [
      'acme:all=app',
      "names repositories, which only 'selected' takes: write 'acme:selected=app', or 'acme:all' alone, got 'acme:all=app'"
    ],
    ['acme:private=app+api', "write 'acme:selected=app+api', or 'acme:private' alone"],
    [
      'acme:selected=app++api',
      "has an empty repository name (a '+' too many): write 'acme:selected=app+api', got 'acme:selected=app++api'"
    ],
    [
      'acme:selected=acme/app',
      "names 'acme/app', which is not a repository name without the owner (a repository name is 1-100"
    ],
    ['acme:selected=app.git', "does not end in '.git'"],
    ['acme:selected=..', "'.' and '..' are not repository names"],
    ['acme:selected=a\nb', "got 'acme:selected=a\\nb'"]
  ])('refuses %j', (entry, message) => {
    const problems = parseOrganization(entry)
    expect(problems).toEqual([{ path: [], message: expect.stringContaining(message) }])
  })

  it.each([
    [{ org: 'acme/app' }, ['org'], 'must be an organization login (a GitHub login is'],
    [
      { org: 'acme', visibility: 'public' },
      ['visibility'],
      "must be one of all, private, selected, got 'public'"
    ],
    [
      { org: 'acme', visibility: 'selected' },
      ['visibility'],
      "is 'selected', so 'selected-repositories' must list at least one repository (names without the owner)"
    ],
    [
      { org: 'acme', 'selected-repositories': ['app'] },
      ['selected-repositories'],
      "only applies with 'visibility: selected': add it, or remove 'selected-repositories'"
    ],
    [
      { org: 'acme', visibility: 'all', 'selected-repositories': ['app'] },
      ['selected-repositories'],
      "only applies with 'visibility: selected'"
    ],
    [
      { org: 'acme', visibility: 'selected', 'selected-repositories': ['app', 'acme/api'] },
      ['selected-repositories', 1],
      "must be a repository name without the owner (a repository name is 1-100 letters, digits, '.', '-' and '_'), got 'acme/api'"
    ]
  ] as [OrganizationSpec, (string | number)[], string][])(
    'refuses the mapping %j at its key',
    (entry, path, message) => {
      expect(parseOrganization(entry)).toEqual([
        { path, message: expect.stringContaining(message) }
      ])
    }
  )
})
