/**
 * What is wrong with one value, in words: each follows the name of the place it was written
 * (`'aws-region' must look like …`), as an input or as a manifest key alike.
 */
import { exampleRegion, PARTITION_NAMES } from '../inputs/partition.js'
import type { Fault } from '../inputs/problems.js'
import { quote } from '../inputs/quote.js'
import type { SecretNameRule } from '../inputs/users.js'
import { targetWords } from './input-targets.js'

const PEM_FIX = [
  "must be the App's private key in PEM form ('-----BEGIN RSA PRIVATE KEY-----'),",
  'as GitHub downloads it'
].join(' ')

export function faultWords(f: Fault): string {
  switch (f.rule) {
    case 'region':
      return `must look like 'us-east-1', got ${quote(f.got)}`
    case 'role-arn':
      return [
        "must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key'",
        `(partition ${PARTITION_NAMES.join(', ')}), got ${quote(f.got)}`
      ].join(' ')
    case 'partition':
      return [
        `is a role of partition ${f.partition},`,
        `but 'aws-region' ${quote(f.region)} is in partition ${f.regional}:`,
        `set 'aws-region' to a region of ${f.partition} (e.g. '${exampleRegion(f.partition) ?? ''}'),`,
        `or assume a role of ${f.regional}`
      ].join(' ')
    case 'whole-number':
      return `must be a whole number from ${f.min} to ${f.max}, got ${quote(f.got)}`
    case 'secret-name':
      return `is not a valid GitHub secret name: ${quote(f.got)} ${secretNameWords(f.why)}`
    case 'session-name':
      return `must be 2-64 of letters, digits and +=,.@_-, got ${quote(f.got)}`
    case 'empty':
      return 'must not be empty'
    case 'boolean':
      return `must be 'true' or 'false', got ${quote(f.got)}`
    case 'in-flight-runs':
      return [
        "must be 'wait' (the default: the old key stays until deploys that hold it end),",
        "'revoke' (after a leak: deactivate it at once)",
        `or 'ignore' (a token without 'Actions: Read'), got ${quote(f.got)}`
      ].join(' ')
    case 'mode':
      return [
        "must be 'rotate' (the default: rotate the named users' keys)",
        "or 'inventory' (list every user's keys and their findings, changing nothing),",
        `got ${quote(f.got)}`
      ].join(' ')
    case 'label':
      return [
        `must be a label name of 1 to ${f.max} characters without commas`,
        "(GitHub's issue list separates labels with commas),",
        `got ${quote(f.got)}`
      ].join(' ')
    case 'sarif-file':
      return `must name a file ending in .sarif or .json (upload-sarif reads it), got ${quote(f.got)}`
    case 'app-id':
      return `must be a GitHub App ID or client ID, got ${quote(f.got)}`
    case 'token-alone':
      return [
        'must be the token alone: visible ASCII characters,',
        'with no spaces, line breaks or control characters (the value is not shown).',
        'Store the token again, exactly as GitHub showed it, in the secret the workflow passes'
      ].join(' ')
    case 'issues-token-alone':
      return [
        'must be the token alone: visible ASCII characters,',
        'with no spaces or line breaks (the value is not shown).',
        "Pass '${{ github.token }}' or store the token again exactly as GitHub showed it"
      ].join(' ')
    case 'pem':
      return PEM_FIX
    case 'private-key':
      return [
        `does not parse as a private key${f.code ? ` (${f.code})` : ''}:`,
        `it ${PEM_FIX}, with every line of it (the value is not shown)`
      ].join(' ')
    default:
      return targetWords(f)
  }
}

/** The rule of GitHub's a secret name breaks, in words. */
export function secretNameWords(why: SecretNameRule): string {
  switch (why) {
    case 'characters':
      return 'may contain only letters, digits and underscores'
    case 'digit':
      return 'must not start with a digit'
    case 'reserved':
      return "must not start with 'GITHUB_' (GitHub reserves that prefix)"
  }
}
