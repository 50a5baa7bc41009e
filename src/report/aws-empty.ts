/** An AWS answer that lacked what the call asked for, in words (aws/empty-answer.ts). */
import type { Missing } from '../aws/empty-answer.js'

export function emptyAnswer(m: Missing): string {
  switch (m.kind) {
    case 'sts-credentials':
      return 'STS returned no credentials'
    case 'iam-access-key':
      return 'IAM returned no access key'
    case 'iam-user-arn':
      return `IAM returned no ARN for user ${m.user}`
  }
}
