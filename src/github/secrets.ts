/** Reading a target's public key and writing one sealed secret into it. */
import type { GitHubClient } from './client.js'
import { seal } from './seal.js'
import { describe, endpoints, requiredPermission, type Target } from './targets.js'

/** A target's secrets public key, as GitHub returns it. */
export interface PublicKey {
  keyId: string
  key: string
}

const TOKEN_HINT =
  "The workflow's GITHUB_TOKEN cannot write secrets: use a fine-grained personal access token or a GitHub App installation token."

/** Turn a GitHub error on `target` into a message that says what to do next. */
export function explain(error: unknown, target: Target, doing: string): Error {
  const status = (error as { status?: number }).status
  const detail = error instanceof Error ? error.message : String(error)
  const where = describe(target)
  const need = requiredPermission(target)
  switch (status) {
    case 401:
      return new Error(
        `GitHub refused the token while ${doing} for ${where} (401: ${detail}). The token is expired, revoked or mistyped: create a new one with ${need}. ${TOKEN_HINT}`
      )
    case 403:
      return new Error(
        `GitHub denied ${doing} for ${where} (403: ${detail}). Give the token ${need}. ${TOKEN_HINT}`
      )
    case 404:
      return new Error(
        `GitHub answered 404 while ${doing} for ${where}: it does not exist or the token cannot see it. Check the name, and give the token access to it with ${need}.`
      )
    default:
      return new Error(
        `GitHub failed while ${doing} for ${where} (${status ?? 'no response'}: ${detail}). Retries did not help; run the workflow again later.`
      )
  }
}

/** Fetch the public key that secrets written to `target` must be sealed with. */
export async function getPublicKey(github: GitHubClient, target: Target): Promise<PublicKey> {
  const { route, params } = endpoints(target).publicKey
  try {
    const { data } = (await github.request(route, params)) as {
      data: { key_id: string; key: string }
    }
    return { keyId: data.key_id, key: data.key }
  } catch (error) {
    throw explain(error, target, 'reading the secrets public key')
  }
}

/** Seal `value` against `key` and write it as secret `name` of `target`. */
export async function writeSecret(
  github: GitHubClient,
  target: Target,
  key: PublicKey,
  name: string,
  value: string
): Promise<void> {
  const { route, params } = endpoints(target).secret(name)
  const encrypted = await seal(value, key.key)
  try {
    await github.request(route, { ...params, encrypted_value: encrypted, key_id: key.keyId })
  } catch (error) {
    throw explain(error, target, `writing secret ${name}`)
  }
}
