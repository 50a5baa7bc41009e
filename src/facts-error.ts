/**
 * An error that carries facts for src/report/ to word: its message is only a label (for a stack
 * trace or a test's failure), never what a person reads. A leaf with no imports, so the rotation
 * and the adapters alike may extend it. Each subclass still names itself with a literal `name`:
 * the build minifies, and a class's own name would not survive it.
 */
export class FactsError<F> extends Error {
  constructor(
    readonly facts: F,
    label: string,
    options?: ErrorOptions
  ) {
    super(label, options)
  }
}
