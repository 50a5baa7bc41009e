/** Sealing a secret value for GitHub: libsodium's anonymous sealed box, as GitHub requires. */
import sodium from 'libsodium-wrappers'

/**
 * Encrypt `value` with `crypto_box_seal` for the holder of `publicKey` (base64, as GitHub returns
 * it). Only GitHub, holding the private key, can open the result.
 */
export async function seal(value: string, publicKey: string): Promise<string> {
  await sodium.ready
  const key = sodium.from_base64(publicKey, sodium.base64_variants.ORIGINAL)
  const sealed = sodium.crypto_box_seal(sodium.from_string(value), key)
  return sodium.to_base64(sealed, sodium.base64_variants.ORIGINAL)
}
