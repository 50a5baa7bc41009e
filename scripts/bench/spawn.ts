/**
 * `runAction`'s twin for a script other than dist/index.js (a temporary ncc build, or the
 * committed bundle checked out elsewhere): same runner environment, same inputs with action.yml's
 * defaults. `runAction` always runs dist/index.js, hence this.
 */
import { spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { parse } from 'yaml'
import { runnerEnv, type Endpoints } from '../../emulators/runner.js'

const ROOT = fileURLToPath(new URL('../../', import.meta.url))

const inputDefaults = (): Record<string, string> => {
  const action = parse(readFileSync(join(ROOT, 'action.yml'), 'utf8')) as {
    inputs: Record<string, { default?: string }>
  }
  return Object.fromEntries(
    Object.entries(action.inputs).flatMap(([k, v]) =>
      v.default === undefined ? [] : [[k, String(v.default)]]
    )
  )
}

export interface Spawned {
  code: number | null
  ms: number
  startedAt: number
  stderr: string
}

export async function spawnAction(
  world: Endpoints,
  inputs: Record<string, string>,
  script: string,
  extraEnv: Record<string, string> = {}
): Promise<Spawned> {
  const dir = mkdtempSync(join(tmpdir(), 'rotate-bench-'))
  for (const f of ['output', 'summary', 'env', 'state', 'path']) writeFileSync(join(dir, f), '')
  const all = { ...inputDefaults(), ...inputs }
  const env = {
    ...runnerEnv(world, dir),
    ...Object.fromEntries(Object.entries(all).map(([k, v]) => [`INPUT_${k.toUpperCase()}`, v])),
    ...extraEnv
  }
  const startedAt = Date.now()
  const child = spawn(process.execPath, [script], { env, stdio: ['ignore', 'ignore', 'pipe'] })
  let stderr = ''
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()))
  const code = await new Promise<number | null>((resolve) => child.on('close', resolve))
  return { code, ms: Date.now() - startedAt, startedAt, stderr }
}
