/**
 * Which AWS account a user is rotated in: the role assumed for it and the region. A leaf that
 * inputs.ts and manifest.ts both check against, so `role-to-assume` and `aws-region` are refused
 * alike as inputs and as manifest keys.
 */
import { exampleRegion, PARTITION_NAMES, partitionOf } from './partition.js'
import { quote } from './quote.js'

/** A manifest user's (or the manifest defaults') own role and region; absent: the inputs'. */
export interface UserAccount {
  roleArn?: string
  region?: string
}

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/

/** Why `region` is not a region name, or undefined: the words follow the field's name. */
export function regionProblem(region: string): string | undefined {
  return REGION.test(region) ? undefined : `must look like 'us-east-1', got ${quote(region)}`
}

/** Why `arn` is not a role ARN, or undefined: the words follow the field's name. */
export function roleArnProblem(arn: string): string | undefined {
  const partition = ROLE_ARN.exec(arn)?.[1]
  return partition && PARTITION_NAMES.includes(partition)
    ? undefined
    : `must be a role ARN like 'arn:aws:iam::123456789012:role/rotate-iam-key' (partition ${PARTITION_NAMES.join(', ')}), got ${quote(arn)}`
}

/**
 * Why the role `arn` cannot be assumed from `region`, or undefined. IAM and STS are separate in
 * each partition: the role can only be assumed through its own. The words follow the role's field.
 */
export function partitionProblem(arn: string, region: string): string | undefined {
  const partition = ROLE_ARN.exec(arn)?.[1]
  const regional = partitionOf(region)
  if (!partition || !regional || regional === partition) return undefined
  return `is a role of partition ${partition}, but 'aws-region' ${quote(region)} is in partition ${regional}: set 'aws-region' to a region of ${partition} (e.g. '${exampleRegion(partition) ?? ''}'), or assume a role of ${regional}`
}

/** The 12-digit account a role ARN names; undefined for anything else. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1]
}
