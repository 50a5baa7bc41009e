/**
 * The entry point: read and check every input, start GitHub's OIDC token request, and only then
 * load the rest of the action (the AWS SDK and Octokit, most of the bundle), so that loading
 * overlaps the token's round trip instead of delaying it. ncc emits `./main.js` as a chunk.
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
  const { run } = await import('./main.js')
  await run(inputs, process.env, early?.token)
}
// A request abandoned after its time-out (the OIDC token call cannot be cancelled) must not keep
// a finished action alive; exit with the code the run set.
process.exit()
