/**
 * The fault-injection matrix (see matrix.ts): one Jest test per call × fault, each a faulty run
 * and a follow-up run of the bundled action, judged by invariants on the emulators' state. The
 * table is printed once at the end; `WRITE_FAULT_MATRIX=1` also writes docs/fault-matrix.md.
 *
 * Cost: most cells take two action runs (~1–2 s each); a hang the AWS SDK retries costs its 10 s
 * request timeout; a hang nothing times out costs the run bound (FAULT_MATRIX_RUN_BOUND_MS,
 * default 30 s); a permanent fault on verification costs `verify-timeout-seconds` (15).
 */
import { writeFileSync } from 'node:fs'
import { fileURLToPath } from 'node:url'
import { format, resolveConfig } from 'prettier'
import { afterAll, describe, expect, test } from '@jest/globals'
import {
  boundedRun,
  CALLS,
  cells,
  DEFAULT_OPTIONS,
  KINDS,
  renderMatrix,
  runCell,
  seededWorld,
  type Call,
  type CellResult
} from './matrix.js'

/**
 * A normal run, once, before the cells are defined: optional calls (tag calls) join the matrix
 * only when a normal run makes them, and every other call must be made as often as its row says.
 */
async function probe(): Promise<{ route: string; byNewKey: boolean }[]> {
  const world = await seededWorld()
  try {
    const logs = [world.oidc.log, world.aws.log, world.github.log]
    const seeding = logs.map((log) => log.length)
    const { result } = await boundedRun(world, DEFAULT_OPTIONS)
    if (result.code !== 0) throw new Error(`the fault-free probe run failed:\n${result.log}`)
    const created = new Set(world.aws.createdKeyIds())
    return logs
      .flatMap((log, i) => log.slice(seeding[i]))
      .map((e) => ({ route: e.route, byNewKey: created.has(e.principal ?? '') }))
  } finally {
    await world.close()
  }
}

const seen = await probe()

/** The call with `nth` counted over its whole route, or undefined when a normal run never makes it. */
function resolve(call: Call): Call | undefined {
  const same = seen.filter((e) => e.route === call.route)
  const wanted = call.signer
    ? same.flatMap((e, i) => (e.byNewKey === (call.signer === 'new-key') ? [i + 1] : []))
    : same.map((_e, i) => i + 1)
  const nth = wanted[(call.nth ?? 1) - 1]
  return nth === undefined ? undefined : { ...call, nth }
}
// A required call a normal run never makes fails the first test below instead.
const calls = CALLS.flatMap((call) => resolve(call) ?? [])
const matrix = cells(calls, KINDS)

const results: CellResult[] = []
const started = Date.now()

afterAll(async () => {
  if (!results.length) return
  const order = new Map(matrix.map((c, i) => [c.name, i]))
  results.sort((a, b) => (order.get(a.cell.name) ?? 0) - (order.get(b.cell.name) ?? 0))
  const raw = renderMatrix(calls, KINDS, results, {
    totalMs: Date.now() - started,
    options: DEFAULT_OPTIONS
  })
  // Formatted as `prettier --check .` (CI's lint) expects the committed file to be.
  const file = fileURLToPath(new URL('../../docs/fault-matrix.md', import.meta.url))
  const table = await format(raw, { ...(await resolveConfig(file)), filepath: file })
  console.log(table)
  if (process.env.WRITE_FAULT_MATRIX === '1') writeFileSync(file, table)
})

describe('the fault matrix', () => {
  test('a normal run makes every call the matrix injects into', () => {
    const missing = CALLS.filter((call) => !call.optional && !resolve(call)).map((c) => c.label)
    expect(missing).toEqual([])
  })

  test.each(matrix.map((cell) => [cell.name, cell] as const))(
    '%s',
    async (_name, cell) => {
      const result = await runCell(cell)
      results.push(result)
      // A fault that never fired tests nothing: that is a harness error, not a verdict.
      expect(result.fired).toBe(true)
      expect({ cell: cell.name, violations: result.violations }).toEqual({
        cell: cell.name,
        violations: []
      })
      // The mismatched-pair exception is for a run that died or was refused for good, never for
      // a fault the clients absorb.
      if (cell.kind.transient) expect(result.exceptions).toEqual([])
    },
    2 * DEFAULT_OPTIONS.runBoundMs + 30_000
  )
})
