/**
 * How the action authenticates to GitHub, from the `github-token`, `app-id` and
 * `app-private-key` inputs. Checked here so that a malformed credential fails at once, with a
 * message that names the input and never shows the value (inputs.ts has masked it already).
 */
import { createPrivateKey } from 'node:crypto'
import { quote } from './quote.js'

/** How the action authenticates to GitHub. */
export type GitHubAuth = { token: string } | { appId: string; privateKey: string }

/** The credential inputs, as read (trimmed). */
export interface AuthInputs {
  token: string
  appId: string
  privateKey: string
}

/** The authentication the inputs give; pushes a problem for each one wrong. */
export function readGitHubAuth(
  { token, appId, privateKey }: AuthInputs,
  problems: string[]
): GitHubAuth {
  if (token && (appId || privateKey)) {
    problems.push("set either 'github-token' or 'app-id' with 'app-private-key', not both")
  } else if (appId || privateKey) {
    if (!/^(\d+|Iv[0-9A-Za-z.]+)$/.test(appId)) {
      problems.push(`'app-id' must be a GitHub App ID or client ID, got ${quote(appId)}`)
    }
    const problem = privateKeyProblem(privateKey)
    if (problem) problems.push(problem)
    return { appId, privateKey }
  } else if (!token) {
    problems.push(
      "'github-token' or 'app-id' with 'app-private-key' is required: a fine-grained token or GitHub App that may write the target secrets (the workflow's GITHUB_TOKEN cannot write secrets)"
    )
  } else if (!/^[\x21-\x7e]+$/.test(token)) {
    // A token travels in an `Authorization` header, so it is visible ASCII and nothing else; fetch
    // would refuse anything more, quoting the whole header, token included. A value with spaces or
    // line breaks is two values pasted together, or a secret that holds more than the token.
    problems.push(
      "'github-token' must be the token alone: visible ASCII characters, with no spaces, line breaks or control characters (the value is not shown). Store the token again, exactly as GitHub showed it, in the secret the workflow passes"
    )
  }
  return { token }
}

const PEM = /-----BEGIN (RSA )?PRIVATE KEY-----/

/** Why `key` is not a private key GitHub could have issued; never quotes it. */
function privateKeyProblem(key: string): string | undefined {
  const fix =
    "must be the App's private key in PEM form ('-----BEGIN RSA PRIVATE KEY-----'), as GitHub downloads it"
  if (!PEM.test(key)) return `'app-private-key' ${fix}`
  try {
    createPrivateKey(key)
    return undefined
  } catch (error) {
    // The error's code only: OpenSSL's message may quote what it failed to decode.
    const code = (error as { code?: unknown }).code
    const why = typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? ` (${code})` : ''
    return `'app-private-key' does not parse as a private key${why}: it ${fix}, with every line of it (the value is not shown)`
  }
}
