/**
 * What a job's OIDC token says about itself, for a message when a role refuses it. The token is a
 * credential and is never shown; its `sub` and `aud` are not secret (GitHub documents their
 * shapes, and a trust policy names them), and they settle a refused role in one line.
 */

/** The claims a trust policy conditions on, as the token carried them. */
export interface Presented {
  sub?: string
  aud: string[]
  /** The same subject in GitHub's two forms, when the token names what both need. */
  forms?: { byName: string; immutable: string }
}

/**
 * The `sub` and `aud` of a JWT, unverified (STS verifies; this only reads what was sent), and,
 * when `sub` has one of GitHub's two default shapes and the token carries the repository's name
 * and IDs, the subject in both: by name (`repo:OWNER/REPO:…`) and with immutable IDs
 * (`repo:OWNER@ID/REPO@ID:…`), which GitHub issues for repositories created, renamed or
 * transferred since mid-2026 and for those that opted in. Undefined for a token that does not parse.
 */
export function presented(jwt: string): Presented | undefined {
  let claims: Record<string, unknown>
  try {
    const payload = jwt.split('.')[1] ?? ''
    claims = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<
      string,
      unknown
    >
  } catch {
    return undefined
  }
  if (typeof claims !== 'object' || claims === null) return undefined
  const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined)
  const sub = text(claims.sub)
  const aud = Array.isArray(claims.aud)
    ? claims.aud.filter((a): a is string => typeof a === 'string')
    : text(claims.aud) !== undefined
      ? [claims.aud as string]
      : []
  const repository = text(claims.repository)
  const ownerId = text(claims.repository_owner_id)
  const repoId = text(claims.repository_id)
  let forms: Presented['forms']
  // GitHub's default subjects: `repo:` then the repository in one of the two forms, then the context.
  const shape = sub ? /^repo:([^/:]+)\/([^:]+)(:.*)$/.exec(sub) : null
  if (shape && repository && ownerId && repoId) {
    const [owner, name] = repository.split('/')
    const context = shape[3] as string
    forms = {
      byName: `repo:${owner}/${name}${context}`,
      immutable: `repo:${owner}@${ownerId}/${name}@${repoId}${context}`
    }
    // A custom template that happens to start with `repo:` but names another repository: no forms.
    if (sub !== forms.byName && sub !== forms.immutable) forms = undefined
  }
  return { sub, aud, ...(forms ? { forms } : {}) }
}
