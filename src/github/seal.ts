/** Sealing a secret value for GitHub: libsodium's anonymous sealed box, as GitHub requires. */
import type Sodium from 'libsodium-wrappers'

let sodium: Promise<typeof Sodium> | undefined

/**
 * libsodium, loaded and initialised once. It is a tenth of the bundle and compiles WebAssembly
 * as it initialises, so it is not loaded at start-up: {@link Secrets.prepare} starts it while the
 * public key is read, long before the first secret is sealed.
 */
export function loadSodium(): Promise<typeof Sodium> {
  sodium ??= import('libsodium-wrappers').then(async ({ default: loaded }) => {
    await loaded.ready
    return loaded
  })
  return sodium
}

/**
 * Encrypt `value` with `crypto_box_seal` for the holder of `publicKey` (base64, as GitHub returns
 * it). Only GitHub, holding the private key, can open the result.
 */
export async function seal(value: string, publicKey: string): Promise<string> {
  const sodium = await loadSodium()
  const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL)
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key)
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}
