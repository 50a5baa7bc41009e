/**
 * Why a GitHub App's clients could not be made, as facts: apart from app-clients.ts, which the
 * run loads only with App inputs, so the report can tell these errors without loading the App.
 */
import { FactsError } from '../facts-error.js'
import type { Reason } from './errors.js'

/** Why the App's clients are missing, as facts: src/report/github-app.ts says them. */
export type AppFault =
  /** The drain asked for an account that owns no target of the run. */
  | { kind: 'no-target'; account: string }
  /** GitHub answered 404 for the App's installation on the account (or the repository). */
  | { kind: 'not-installed'; account: string }
  /** GitHub refused the App's own credentials while looking up its installation. */
  | { kind: 'refused'; account: string; reason: Reason }

export class AppError extends FactsError<AppFault> {
  override name = 'AppError'
  constructor(fault: AppFault, options?: ErrorOptions) {
    super(fault, `github app ${fault.kind}`, options)
  }
}
