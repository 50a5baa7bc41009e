/**
 * Reading the manifest file, and nothing else. The `manifest` input is a path a workflow author
 * writes, but a pull request can change what it points at: a symlink to `/proc/self/environ`, a
 * path up and out of the checkout. So the file must be a regular file inside the workspace once
 * every link is followed, and small; otherwise it is not read at all.
 */
import {
  closeSync,
  constants,
  fstatSync,
  openSync,
  readSync,
  realpathSync,
  statSync
} from 'node:fs'
import { isAbsolute, relative, resolve, sep } from 'node:path'
import { quote } from './quote.js'

/** Far above any manifest (a user takes a few hundred bytes), far below what could hurt a run. */
export const MAX_MANIFEST_BYTES = 1024 * 1024

/** The file's text, or the one problem that kept it from being read. */
export type ManifestFile = { text: string; shown: string } | { problem: string }

const where =
  'relative to the repository root, and that the workflow checks the repository out first'

/** Read the manifest at `path` (relative to `workspace`) if, links followed, it is a small regular file inside it. */
export function readManifestFile(path: string, workspace: string): ManifestFile {
  const input = `'manifest' file ${quote(path)}`
  let root: string
  let file: string
  try {
    root = realpathSync(workspace)
  } catch (error) {
    return {
      problem: `${input} cannot be read: the workspace ${quote(workspace)} does not exist (${code(error)})`
    }
  }
  try {
    file = realpathSync(resolve(root, path))
  } catch (error) {
    return { problem: `${input} cannot be read (${code(error)}): check the path, ${where}` }
  }
  const inside = relative(root, file)
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    // Name where it leads, not what is there: the file is not ours to show.
    return {
      problem: `${input} leads outside the workspace (to ${quote(file)}): give the path of a file of the repository, relative to the repository root`
    }
  }
  const shown = inside.split(sep).join('/') || path
  try {
    // Checked before opening: opening a FIFO or a device can block or have effects of its own.
    if (!statSync(file).isFile()) {
      return { problem: `${input} is not a regular file: give the path of the YAML file itself` }
    }
    // No link can stand in its place now: the path is real and the last step is not followed.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    try {
      if (!fstatSync(fd).isFile()) {
        return { problem: `${input} is not a regular file: give the path of the YAML file itself` }
      }
      // Read one byte past the limit, whatever the size says: some files report none.
      const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1)
      let length = 0
      for (let n = 1; n > 0 && length < buffer.length; length += n) {
        n = readSync(fd, buffer, length, buffer.length - length, null)
      }
      if (length > MAX_MANIFEST_BYTES) {
        return {
          problem: `${input} is larger than 1 MiB, the limit for a manifest: check the path, or split the users over several workflows`
        }
      }
      return { text: buffer.toString('utf8', 0, length), shown }
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    return { problem: `${input} cannot be read (${code(error)}): check the path, ${where}` }
  }
}

/** An error's code (`ENOENT`), never its message: a message may hold a path or more. */
function code(error: unknown): string {
  const value = (error as NodeJS.ErrnoException).code
  return typeof value === 'string' && /^[A-Z0-9_]+$/.test(value) ? value : 'unknown error'
}
