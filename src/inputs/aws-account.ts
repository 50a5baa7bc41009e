/**
 * Which AWS account a user is rotated in: the role assumed for it and the region. A leaf that
 * inputs.ts and manifest.ts both check against, so `role-to-assume` and `aws-region` are refused
 * alike as inputs and as manifest keys.
 */
import { PARTITION_NAMES, partitionOf } from './partition.js'

/** A manifest user's (or the manifest defaults') own role and region; absent: the inputs'. */
export interface UserAccount {
  roleArn?: string
  region?: string
}

/** What is wrong with a role ARN or a region, as facts: the report words them. */
export type AccountFault =
  | { rule: 'region'; got: string }
  | { rule: 'role-arn'; got: string }
  /** The role is of `partition`, the region of `regional`: it cannot be assumed there. */
  | { rule: 'partition'; partition: string; region: string; regional: string }

const ROLE_ARN = /^arn:(aws[a-z-]*):iam::(\d{12}):role\/[\w+=,.@/-]{1,512}$/
const REGION = /^[a-z]{2,4}(-[a-z]+)+-\d{1,2}$/

/** Why `region` is not a region name, or undefined. */
export function regionProblem(region: string): AccountFault | undefined {
  return REGION.test(region) ? undefined : { rule: 'region', got: region }
}

/** Why `arn` is not a role ARN of a partition AWS has, or undefined. */
export function roleArnProblem(arn: string): AccountFault | undefined {
  const partition = ROLE_ARN.exec(arn)?.[1]
  return partition && PARTITION_NAMES.includes(partition)
    ? undefined
    : { rule: 'role-arn', got: arn }
}

/**
 * Why the role `arn` cannot be assumed from `region`, or undefined. IAM and STS are separate in
 * each partition: the role can only be assumed through its own.
 */
export function partitionProblem(arn: string, region: string): AccountFault | undefined {
  const partition = ROLE_ARN.exec(arn)?.[1]
  const regional = partitionOf(region)
  if (!partition || !regional || regional === partition) return undefined
  return { rule: 'partition', partition, region, regional }
}

/** The 12-digit account a role ARN names; undefined for anything else. */
export function accountOfArn(arn: string): string | undefined {
  return /^arn:[\w-]+:(?:iam|sts)::(\d{12}):/.exec(arn)?.[1]
}
