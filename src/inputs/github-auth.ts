/**
 * How the action authenticates to GitHub, from the `github-token`, `app-id` and
 * `app-private-key` inputs. Checked here so that a malformed credential fails at once, with a
 * problem that names the input and never holds the value (inputs.ts has masked it already).
 */
import { createPrivateKey } from 'node:crypto'
import { field, type Fault, type Problem } from './problems.js'

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
  problems: Problem[]
): GitHubAuth {
  if (token && (appId || privateKey)) {
    problems.push({ kind: 'auth-both' })
  } else if (appId || privateKey) {
    if (!/^(\d+|Iv[0-9A-Za-z.]+)$/.test(appId)) {
      problems.push(field({ input: 'app-id' }, { rule: 'app-id', got: appId }))
    }
    const problem = privateKeyProblem(privateKey)
    if (problem) problems.push(field({ input: 'app-private-key' }, problem))
    return { appId, privateKey }
  } else if (!token) {
    problems.push({ kind: 'auth-missing' })
  } else if (!/^[\x21-\x7e]+$/.test(token)) {
    // A token travels in an `Authorization` header, so it is visible ASCII and nothing else; fetch
    // would refuse anything more, quoting the whole header, token included. A value with spaces or
    // line breaks is two values pasted together, or a secret that holds more than the token.
    problems.push(field({ input: 'github-token' }, { rule: 'token-alone' }))
  }
  return { token }
}

const PEM = /-----BEGIN (RSA )?PRIVATE KEY-----/

/** Why `key` is not a private key GitHub could have issued; never holds it. */
function privateKeyProblem(key: string): Fault | undefined {
  if (!PEM.test(key)) return { rule: 'pem' }
  try {
    createPrivateKey(key)
    return undefined
  } catch (error) {
    // The error's code only: OpenSSL's message may quote what it failed to decode.
    const code = (error as { code?: unknown }).code
    return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code)
      ? { rule: 'private-key', code }
      : { rule: 'private-key' }
  }
}
