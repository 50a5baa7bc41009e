/**
 * The GitHub adapters' errors in words: each carries facts (src/github/), and this is where they
 * become the sentences a person reads.
 */
import { AppError } from '../github/app-errors.js'
import { AuthError, RateLimited } from '../github/errors.js'
import { SecretsError } from '../github/secrets-errors.js'
import { appWords } from './github-app.js'
import { mintWords } from './github-mint.js'
import { rateLimitWords } from './github-rate-limit.js'
import { secretsWords } from './github-secrets.js'

/** An error of the GitHub adapters in words; undefined for any other error. */
export function githubWords(e: unknown): string | undefined {
  if (e instanceof SecretsError) return secretsWords(e)
  if (e instanceof RateLimited) return rateLimitWords(e.limit, e.waitMs)
  if (e instanceof AuthError) return mintWords(e.facts)
  if (e instanceof AppError) return appWords(e.facts)
  return undefined
}
