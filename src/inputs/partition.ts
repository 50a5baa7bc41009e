/**
 * AWS partitions and their regions. IAM is separate in each partition: a role of `aws-cn` cannot
 * be assumed through an STS endpoint of `aws`, so a role ARN and a region from two partitions can
 * only fail, later and less clearly. The region patterns are those the AWS SDK's endpoint rules use.
 */
const PARTITIONS: readonly (readonly [partition: string, regions: RegExp, example: string])[] = [
  ['aws', /^(us|eu|ap|sa|ca|me|af|il|mx)-\w+-\d+$/, 'us-east-1'],
  ['aws-cn', /^cn-\w+-\d+$/, 'cn-north-1'],
  ['aws-us-gov', /^us-gov-\w+-\d+$/, 'us-gov-west-1'],
  ['aws-iso', /^us-iso-\w+-\d+$/, 'us-iso-east-1'],
  ['aws-iso-b', /^us-isob-\w+-\d+$/, 'us-isob-east-1'],
  ['aws-iso-e', /^eu-isoe-\w+-\d+$/, 'eu-isoe-west-1'],
  ['aws-iso-f', /^us-isof-\w+-\d+$/, 'us-isof-south-1'],
  ['aws-eusc', /^eusc-de-\w+-\d+$/, 'eusc-de-east-1']
]

/** The partitions an ARN may name. */
export const PARTITION_NAMES: readonly string[] = PARTITIONS.map(([p]) => p)

/** The partition `region` belongs to; undefined for a region no pattern knows (e.g. a new one). */
export function partitionOf(region: string): string | undefined {
  return PARTITIONS.find(([, regions]) => regions.test(region))?.[0]
}

/** A region of `partition`, for a message's fix. */
export function exampleRegion(partition: string): string | undefined {
  return PARTITIONS.find(([p]) => p === partition)?.[2]
}
