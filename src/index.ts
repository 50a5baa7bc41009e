/**
 * The entry point: read and check every input, start GitHub's OIDC token request, and only then
 * load the rest of the action, so that loading overlaps round trips instead of delaying them: the
 * AWS side while the token is on its way (and GitHub's first connections), then Octokit, the
 * rotation and the report while the role is assumed. ncc emits `./sessions.js`, `./main.js` and
 * `./github/warm.js` as chunks.
 */
import { fail } from './fail.js'
import { inputWords } from './report/inputs.js'
import { getInputs, getInventoryInputs, loadManifestReader, readMode } from './inputs/inputs.js'
import { startOidcToken } from './aws/oidc-token.js'

try {
  if (readMode() === 'inventory') {
    // Read-only: no GitHub token, no target; only the AWS side is loaded.
    const inputs = getInventoryInputs(process.env)
    const first = inputs.roles[0]
    const early = first ? startOidcToken(first.audience) : undefined
    await early?.sent
    const { runInventory } = await import('./inventory/run.js')
    await runInventory(inputs, process.env, early?.token)
  } else {
    await rotate()
  }
} catch (error) {
  fail(inputWords(error)) // bad inputs; run() reports its own failures
}

async function rotate(): Promise<void> {
  const inputs = getInputs(process.env, await loadManifestReader())
  // Any role, the input's or a manifest user's: the first one assumed uses this token.
  const early = inputs.assume ? startOidcToken(inputs.assume.audience) : undefined
  await early?.sent // loading blocks the thread: the request leaves first
  // The AWS side first (the SDK, the sessions): the first user's session opens at once, so its
  // role is assumed, and the credentials proven, while the rest of the action (Octokit, the
  // rotation, the report) loads. One session per account (role and region), shared by its users.
  const { placeOf, Sessions } = await import('./sessions.js')
  const sessions = new Sessions(early?.token)
  const [first] = inputs.users
  if (first) sessions.for(placeOf(first, inputs))
  // GitHub's first reads leave once the rest has loaded, beside the plan, and the first change
  // waits for them: their connections are opened now, while the token is awaited (github/warm.ts).
  const targets = first?.targets.length ?? 0
  if (targets > 0) {
    void import('./github/warm.js').then(
      (m) => m.warmFirstReads(targets),
      () => undefined
    )
  }
  // The role is assumed as soon as the token arrives: let that request leave before loading the
  // rest blocks the thread. A few turns of the event loop let its socket connect and the request
  // be written (nearby; farther away, the load overlaps the handshake instead). A failed token is
  // the session's to report, with its fix, not the entry's.
  await early?.token.catch(() => undefined)
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve))
  const { run } = await import('./main.js')
  await run(inputs, sessions)
}
// A request abandoned after its time-out (the OIDC token call cannot be cancelled) must not keep
// a finished action alive; exit with the code the run set.
process.exit()
