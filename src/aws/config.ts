/** Settings every AWS client of the action shares. */
import { agents } from './connections.js'
import { NoBlindRetry } from './retry.js'

/**
 * Attempts per AWS call: the SDK's standard strategy backs off on throttling and 5xx (see retry.ts
 * for what it never repeats).
 */
export const MAX_ATTEMPTS = 5
/** A call that has not answered by then is abandoned and retried, so a hung endpoint cannot stall the run. */
export const REQUEST_TIMEOUT_MS = 10_000

/**
 * Client settings: region, timeouts and the run's shared connections (connections.ts). Endpoints
 * are left to the SDK, which honours `AWS_ENDPOINT_URL_IAM`, `AWS_ENDPOINT_URL_STS` and
 * `AWS_ENDPOINT_URL` by itself.
 */
export function clientConfig(region: string, maxAttempts = MAX_ATTEMPTS) {
  return {
    region,
    maxAttempts,
    retryStrategy: new NoBlindRetry(maxAttempts),
    requestHandler: {
      requestTimeout: REQUEST_TIMEOUT_MS,
      connectionTimeout: REQUEST_TIMEOUT_MS,
      // Without it the SDK only warns about a request past its timeout and keeps waiting.
      throwOnRequestTimeout: true,
      ...agents
    }
  }
}
