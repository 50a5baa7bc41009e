import * as core from '@actions/core'

/**
 * End the run as failed with `words`, an error the report worded: every failure of the action
 * ends here. The entry words bad inputs with src/report/inputs.ts alone (the run has loaded
 * nothing else yet); later failures with src/report/error.ts.
 */
export function fail(words: string): void {
  core.setFailed(words)
}
