/**
 * The AWS adapter's errors in words: each carries facts (what was missing, why the credentials
 * could not be had, what a failed call was doing), and each is worded by its own file. Undefined
 * for any other error. Asked by `own()` (failure-parts.ts).
 */
import { CredentialsError } from '../aws/credentials.js'
import { EmptyAnswer } from '../aws/empty-answer.js'
import { AwsFailed } from '../aws/failed.js'
import { emptyAnswer } from './aws-empty.js'
import { awsFailed } from './aws-failed.js'
import { credentialsWords } from './credentials.js'

export function awsWords(e: unknown): string | undefined {
  if (e instanceof AwsFailed) return awsFailed(e)
  if (e instanceof EmptyAnswer) return emptyAnswer(e.facts)
  if (e instanceof CredentialsError) return credentialsWords(e)
  return undefined
}
