/**
 * Like Promise.all, but fails only once every call has settled: a failure must not be handled
 * (a key deleted, the intent cleared or released) while a sibling call can still land after it.
 */
export async function settled<T extends readonly unknown[]>(
  calls: T
): Promise<{ -readonly [K in keyof T]: Awaited<T[K]> }> {
  const results = await Promise.allSettled(calls)
  for (const r of results) if (r.status === 'rejected') throw r.reason
  return results.map((r) => (r as PromiseFulfilledResult<unknown>).value) as {
    -readonly [K in keyof T]: Awaited<T[K]>
  }
}
