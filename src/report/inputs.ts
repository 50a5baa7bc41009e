/**
 * Bad inputs in words: the entry's only failure before it loads the rest of the action, so this
 * file stays small and imports no other report.
 */
export const inputWords = (error: unknown): string =>
  error instanceof Error ? error.message : String(error)
