/**
 * What is wrong with the inputs, as facts: a rule's name and the values it needs (the input or
 * the manifest key, what was got, the limits, the names in conflict), as ajv reports
 * `{ keyword, params }`. The inputs collect every problem at once, in the order they are found;
 * src/report/inputs.ts words them.
 */
import type { AccountFault } from './aws-account.js'
import type { TargetFault } from './target-spec.js'
import type { UserProblem, SecretNameRule } from './users.js'
import type { WholeNumberFault } from './user-settings.js'

/** What is wrong with one value, wherever it was written: an input or a manifest key. */
export type Fault =
  | AccountFault
  | WholeNumberFault
  | TargetFault
  | { rule: 'secret-name'; got: string; why: SecretNameRule }
  | { rule: 'session-name'; got: string }
  | { rule: 'empty' }
  | { rule: 'boolean'; got: string }
  | { rule: 'in-flight-runs'; got: string }
  | { rule: 'mode'; got: string }
  | { rule: 'label'; got: string; max: number }
  | { rule: 'sarif-file'; got: string }
  | { rule: 'app-id'; got: string }
  /** A token with more than visible ASCII; never quoted. */
  | { rule: 'token-alone' }
  | { rule: 'issues-token-alone' }
  /** No PEM header: not a private key at all; never quoted. */
  | { rule: 'pem' }
  /** A PEM that does not parse; `code` is the error's code (`ERR_OSSL_…`), never its message. */
  | { rule: 'private-key'; code?: string }

/**
 * Where a value was written: an input; a manifest user's input (`user`: where it is declared);
 * one entry of a list input; a key of the manifest (`where`: `file:line:col`).
 */
export type Place =
  { input: string; user?: string; entry?: string } | { where: string; path: (string | number)[] }

/**
 * What the manifest file's reading stopped at; `code` is the error's code, never its message
 * (absent: the error had none).
 */
export type ManifestFileFault =
  | { rule: 'no-workspace'; workspace: string; code?: string }
  | { rule: 'unreadable'; code?: string }
  | { rule: 'outside'; file: string }
  | { rule: 'not-file' }
  | { rule: 'too-large' }

/** What Ajv found wrong at a place of the manifest, beside an unknown key. */
export type SchemaDetail =
  | { rule: 'enum'; allowed: string[] }
  /** `entries`: a list whose elements may be organization mappings too. */
  | { rule: 'type'; types: string[]; entries: boolean }
  /** Any other keyword: Ajv's own message. */
  | { rule: 'ajv'; message: string }

/** One problem of the inputs, as facts. */
export type Problem =
  | { kind: 'field'; place: Place; fault: Fault }
  /** A token and an App, both. */
  | { kind: 'auth-both' }
  /** Neither a token nor an App. */
  | { kind: 'auth-missing' }
  | { kind: 'issues-token-missing' }
  | { kind: 'issues-without-repository' }
  /** `inputs`: the rotation's inputs set on an inventory step. */
  | { kind: 'rotation-only'; inputs: string[] }
  | { kind: 'manifest-and-inputs' }
  | { kind: 'user-missing' }
  | { kind: 'no-target' }
  | UserProblem
  | { kind: 'manifest-file'; path: string; fault: ManifestFileFault }
  /** Not a YAML mapping with `users`: nothing of it shown, not even YAML's message. */
  | { kind: 'not-manifest'; file: string; yaml?: { code: string; where: string } }
  /** YAML's own message, as it gave it: it may quote the file, so the report makes it one line. */
  | { kind: 'yaml'; where: string; message: string }
  /** Resolving the YAML data failed (an alias to nothing): its message, as for `yaml`. */
  | { kind: 'yaml-data'; file: string; message: string }
  | {
      kind: 'unknown-key'
      where: string
      key: string
      path: (string | number)[]
      allowed: string[]
    }
  | { kind: 'schema'; where: string; path: (string | number)[]; detail: SchemaDetail }

/** A problem with one value at `place`. */
export const field = (place: Place, fault: Fault): Problem => ({ kind: 'field', place, fault })
