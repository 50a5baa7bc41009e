/** The Query-protocol request handler: routing, auth, dispatch to IAM/STS, error rendering. */
import type { Fault, Handler, LogEntry, Reply, Request } from '../shared/server.js'
import { authenticate } from './auth.js'
import { UserChanges, type Hold } from './changes.js'
import { IAM_ACTIONS } from './iam.js'
import { readParams } from './query.js'
import type { ReadLag } from './read-lag.js'
import type { Accounts, User } from './state.js'
import type { RequestRate } from './throttle.js'
import { getCallerIdentity, type WebIdentity } from './sts.js'
import { AwsError, renderError, renderResult, VERSIONS, type Service } from './xml.js'

const STS_ACTIONS = new Set(['GetCallerIdentity', 'AssumeRoleWithWebIdentity'])

/**
 * One endpoint serves both services. The SigV4 credential scope names the service when the
 * request is signed; unsigned requests (AssumeRoleWithWebIdentity) are told apart by Version.
 */
function serviceOf(req: Request, action: string, version: string | undefined): Service {
  const auth = req.headers.authorization
  const scoped =
    typeof auth === 'string'
      ? /Credential=[^/]+\/\d+\/[^/]+\/([a-z]+)\//.exec(auth)?.[1]
      : undefined
  if (scoped === 'iam' || scoped === 'sts') return scoped
  if (version === VERSIONS.sts || (version === undefined && STS_ACTIONS.has(action))) return 'sts'
  return 'iam'
}

function describe(req: Request): { service: Service; action: string; params: Map<string, string> } {
  const params = readParams(req)
  const action = params.get('Action') ?? ''
  return { service: serviceOf(req, action, params.get('Version')), action, params }
}

const FAULT_DEFAULTS: Record<number, [string, string]> = {
  400: ['Throttling', 'Rate exceeded'],
  429: ['Throttling', 'Rate exceeded'],
  403: ['AccessDenied', 'Access denied'],
  404: ['NoSuchEntity', 'The requested entity cannot be found.'],
  409: [
    'ConcurrentModification',
    'Multiple requests to change this object were submitted simultaneously. Wait a few minutes and submit your request again.'
  ]
}

export interface HandlerDeps {
  accounts: Accounts
  webIdentity: WebIdentity
  propagationDelayMs: () => number
  /** Overlapping changes of one user (ConcurrentModification). */
  changes: UserChanges
  /** Reads that lag changes (eventual consistency). */
  readLag: ReadLag
  /** IAM's request rate (Throttling), when one is set. */
  iamRate?: RequestRate
}

export function createHandler(deps: HandlerDeps): Handler {
  const dispatch = async (req: Request, entry: LogEntry, arrived: number): Promise<Reply> => {
    const { service, action, params } = describe(req)
    if (!action) throw new AwsError(400, 'MissingAction', 'Missing Action')
    const known = service === 'sts' ? STS_ACTIONS.has(action) : action in IAM_ACTIONS
    if (!known)
      throw new AwsError(
        400,
        'InvalidAction',
        `Could not find operation ${action} for version ${VERSIONS[service]}`
      )
    // Real STS accepts AssumeRoleWithWebIdentity without any signature: the token is the credential.
    if (service === 'sts' && action === 'AssumeRoleWithWebIdentity')
      return renderResult(service, action, await deps.webIdentity.assume(params))
    if (service === 'iam' && deps.iamRate && !deps.iamRate.admit())
      throw new AwsError(400, 'Throttling', 'Rate exceeded')
    const principal = await authenticate(req, deps.accounts, (id) => (entry.principal = id))
    if (service === 'sts') return renderResult(service, action, getCallerIdentity(principal))
    const run = IAM_ACTIONS[action]!
    let hold: Hold | undefined
    const ctx = {
      // IAM acts in the caller's own account, whatever user name the request gives.
      account: principal.account,
      principal,
      params,
      propagationDelayMs: deps.propagationDelayMs(),
      claim: (user: User) => {
        // by ARN: users of two accounts may share a name, never an ARN
        hold = deps.changes.claim(user.arn, action, arrived)
        deps.readLag.changing(user)
      },
      view: (user: User) => deps.readLag.view(user)
    }
    let result
    try {
      result = run(ctx)
    } catch (error) {
      deps.changes.release(hold) // a change that failed after its claim did nothing: no hold
      throw error
    }
    if (hold) {
      // the change acted; its answer waits out IAM's processing time, then the hold ends just
      // before the answer goes to the server to be written (see changes.ts)
      await new Promise((r) => setTimeout(r, deps.changes.holdMs()))
      deps.changes.release(hold)
    }
    return renderResult(service, action, result)
  }

  return {
    route(req) {
      const { service, action } = describe(req)
      return `${service}:${action || 'MissingAction'}`
    },
    async handle(req, entry) {
      const arrived = UserChanges.now()
      try {
        return await dispatch(req, entry, arrived)
      } catch (error) {
        if (!(error instanceof AwsError)) throw error
        return renderError(describe(req).service, error.status, error.code, error.message)
      }
    },
    renderFault(fault: Fault, req) {
      const status = fault.status ?? 500
      if (fault.body !== undefined) return { status, headers: fault.headers, body: fault.body }
      const [code, message] =
        status >= 500
          ? ['InternalFailure', 'An internal error occurred.']
          : (FAULT_DEFAULTS[status] ?? ['InvalidRequest', 'Invalid request'])
      const reply = renderError(
        describe(req).service,
        status,
        fault.code ?? code,
        fault.message ?? message
      )
      return { ...reply, headers: { ...reply.headers, ...fault.headers } }
    }
  }
}
