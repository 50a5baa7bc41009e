import * as core from '@actions/core'

/** End the run as failed with `error`'s message: every failure of the action ends here. */
export function fail(error: unknown): void {
  core.setFailed(error instanceof Error ? error.message : String(error))
}
