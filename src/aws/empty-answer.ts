/**
 * An AWS answer that came back without what the call asked for: the facts, which
 * report/aws-words.ts says in words. No status, no `$metadata`: the rotation counts it as an
 * answer it cannot trust (see `isUncertain`), as it always did.
 */
import { FactsError } from '../facts-error.js'

/** What the answer lacked. */
export type Missing =
  { kind: 'sts-credentials' } | { kind: 'iam-access-key' } | { kind: 'iam-user-arn'; user: string }

/** Its `name` stays Error's own, as the messages that quote it always read. */
export class EmptyAnswer extends FactsError<Missing> {
  constructor(missing: Missing) {
    super(missing, missing.kind)
  }
}
