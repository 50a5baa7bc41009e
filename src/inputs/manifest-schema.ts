/**
 * The manifest's JSON schema, as data. Ajv compiles it when the action is built
 * (scripts/manifest-validator.ts writes src/manifest-validator.generated.js), not when it starts:
 * compiling it took 20-45 ms of every run's start-up, manifest or not.
 */
import { TARGET_FIELDS } from './target-spec.js'
import { USER_SETTINGS } from './user-settings.js'

const SECRET_NAME_FIELDS = ['access-key-id-secret-name', 'secret-access-key-secret-name'] as const
const list = { type: ['string', 'array'], items: { type: 'string' } }
/** An organization entry: `acme:selected=app+api`, or the same as a mapping (organization-spec.ts). */
export const organization = {
  type: ['string', 'object'],
  required: ['org'],
  additionalProperties: false,
  properties: {
    org: { type: 'string' },
    visibility: { enum: ['all', 'private', 'selected'] },
    'selected-repositories': list
  }
} as const
const secretNames = Object.fromEntries(SECRET_NAME_FIELDS.map((f) => [f, { type: 'string' }]))
/**
 * `max-age-days: 90` or `'90'`, as an input is written: the range and whole-number checks are
 * manifest.ts's, with the inputs' own rule (user-settings.ts) and words, not Ajv's.
 */
const settings = Object.fromEntries(
  USER_SETTINGS.map((s) => [s.name, { type: ['number', 'string'] }])
)

/** The account a user is rotated in: the ARN and region checks are manifest.ts's (aws-account.ts). */
const account = { 'role-to-assume': { type: 'string' }, 'aws-region': { type: 'string' } }

/** The manifest's JSON schema: the keys are the action's own input names. */
export const MANIFEST_SCHEMA = {
  type: 'object',
  required: ['users'],
  additionalProperties: false,
  properties: {
    version: { const: 1 },
    defaults: {
      type: 'object',
      additionalProperties: false,
      properties: { ...secretNames, ...settings, ...account }
    },
    users: {
      type: 'array',
      minItems: 1,
      items: {
        type: 'object',
        required: ['iam-user-name'],
        additionalProperties: false,
        properties: {
          'iam-user-name': { type: 'string' },
          ...Object.fromEntries(TARGET_FIELDS.map((f) => [f, list])),
          organizations: { ...list, items: organization },
          'dependabot-organizations': { ...list, items: organization },
          'organization-secret-visibility': { enum: ['all', 'private', 'selected'] },
          ...secretNames,
          ...settings,
          ...account
        }
      }
    }
  }
} as const
