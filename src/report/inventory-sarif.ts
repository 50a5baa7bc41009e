/**
 * The inventory's findings as SARIF 2.1.0 for GitHub code scanning: one result per finding, with
 * a fingerprint that depends only on (account, user, key, rule), so the same finding is the same
 * alert on every run and an alert closes when its finding is gone (the key rotated, deleted or
 * deactivated). Code scanning needs a file location: a key lives in no file, so each result points
 * at the workflow that ran the inventory, and names the key as a logical location.
 */
import { createHash } from 'node:crypto'
import type { KeyRow, RuleId, Thresholds } from '../inventory/findings.js'
import { findingText } from './inventory-summary.js'

export const SARIF_SCHEMA = 'https://json.schemastore.org/sarif-2.1.0.json'
/** The partialFingerprints key; its version changes only if what it hashes does. */
export const FINGERPRINT = 'rotateIamKeyFinding/v1'

const RULES: Record<RuleId, { name: string; short: string; full: (t: Thresholds) => string }> = {
  'IAM.3': {
    name: 'AccessKeyNotRotated',
    short: "IAM users' access keys should be rotated every 90 days or less",
    full: (t) =>
      [
        `An Active access key older than ${t.maxKeyAgeDays} days`,
        '(AWS Security Hub IAM.3, CIS AWS Foundations).',
        'Rotate it: this action does so with mode rotate and max-age-days.'
      ].join(' ')
  },
  'IAM.22': {
    name: 'AccessKeyUnused',
    short: 'IAM user credentials unused for 45 days should be removed',
    full: (t) =>
      [
        `An Active access key not used for ${t.unusedDays} days or more`,
        '(counted from its creation when it was never used; AWS Security Hub IAM.22).',
        'Deactivate and delete it if nothing needs it.'
      ].join(' ')
  }
}
const RULE_IDS = Object.keys(RULES) as RuleId[]

/** The stable fingerprint of one finding. */
export function findingFingerprint(row: KeyRow, rule: RuleId): string {
  return createHash('sha256')
    .update([row.account, row.userName, row.key.accessKeyId, rule].join('\n'))
    .digest('hex')
}

/** `.github/workflows/file.yml` from `GITHUB_WORKFLOW_REF` (`owner/repo/PATH@ref`). */
export function workflowPath(workflowRef: string | undefined): string {
  const m = /^[^/]+\/[^/]+\/([^@]+)@/.exec(workflowRef ?? '')
  return m?.[1] ?? '.github/workflows'
}

export function sarifLog(rows: KeyRow[], limits: Thresholds, artifact: string): object {
  const results = rows.flatMap((row) =>
    row.findings.map((f) => ({
      ruleId: f.rule,
      ruleIndex: RULE_IDS.indexOf(f.rule),
      level: 'warning',
      message: {
        text: [
          `Access key ${row.key.accessKeyId} of IAM user ${row.userName} in account ${row.account}:`,
          `${findingText(f)}.${row.managed ? ' The key is managed by rotate-iam-key.' : ''}`
        ].join(' ')
      },
      locations: [
        {
          physicalLocation: { artifactLocation: { uri: artifact }, region: { startLine: 1 } },
          logicalLocations: [
            {
              name: row.key.accessKeyId,
              fullyQualifiedName: `${row.arn || row.userName}/${row.key.accessKeyId}`,
              kind: 'resource'
            }
          ]
        }
      ],
      partialFingerprints: { [FINGERPRINT]: findingFingerprint(row, f.rule) },
      properties: {
        account: row.account,
        iamUserName: row.userName,
        accessKeyId: row.key.accessKeyId,
        days: f.days,
        limit: f.limit,
        managed: row.managed !== undefined
      }
    }))
  )
  return {
    $schema: SARIF_SCHEMA,
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'rotate-iam-key',
            rules: RULE_IDS.map((id) => ({
              id,
              name: RULES[id].name,
              shortDescription: { text: RULES[id].short },
              fullDescription: { text: RULES[id].full(limits) },
              helpUri: `https://docs.aws.amazon.com/securityhub/latest/userguide/iam-controls.html#iam-${id.slice(4)}`,
              defaultConfiguration: { level: 'warning' },
              // GitHub shows the alert's severity from this (Security Hub rates both Medium).
              properties: { 'security-severity': '5.5', tags: ['security', 'aws', 'iam'] }
            }))
          }
        },
        results
      }
    ]
  }
}
