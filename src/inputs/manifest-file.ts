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
import type { ManifestFileFault } from './problems.js'

/** Far above any manifest (a user takes a few hundred bytes), far below what could hurt a run. */
export const MAX_MANIFEST_BYTES = 1024 * 1024

/** The file's text, or the one problem that kept it from being read. */
export type ManifestFile = { text: string; shown: string } | { problem: ManifestFileFault }

/** Read the manifest at `path` (relative to `workspace`) if, links followed, it is a small regular file inside it. */
export function readManifestFile(path: string, workspace: string): ManifestFile {
  let root: string
  let file: string
  try {
    root = realpathSync(workspace)
  } catch (error) {
    return { problem: { rule: 'no-workspace', workspace, ...code(error) } }
  }
  try {
    file = realpathSync(resolve(root, path))
  } catch (error) {
    return { problem: { rule: 'unreadable', ...code(error) } }
  }
  const inside = relative(root, file)
  if (inside === '..' || inside.startsWith(`..${sep}`) || isAbsolute(inside)) {
    // Name where it leads, not what is there: the file is not ours to show.
    return { problem: { rule: 'outside', file } }
  }
  const shown = inside.split(sep).join('/') || path
  try {
    // Checked before opening: opening a FIFO or a device can block or have effects of its own.
    if (!statSync(file).isFile()) {
      return { problem: { rule: 'not-file' } }
    }
    // No link can stand in its place now: the path is real and the last step is not followed.
    const fd = openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW)
    try {
      if (!fstatSync(fd).isFile()) {
        return { problem: { rule: 'not-file' } }
      }
      // Read one byte past the limit, whatever the size says: some files report none.
      const buffer = Buffer.alloc(MAX_MANIFEST_BYTES + 1)
      let length = 0
      for (let n = 1; n > 0 && length < buffer.length; length += n) {
        n = readSync(fd, buffer, length, buffer.length - length, null)
      }
      if (length > MAX_MANIFEST_BYTES) {
        return { problem: { rule: 'too-large' } }
      }
      return { text: buffer.toString('utf8', 0, length), shown }
    } finally {
      closeSync(fd)
    }
  } catch (error) {
    return { problem: { rule: 'unreadable', ...code(error) } }
  }
}

/** An error's code (`ENOENT`), never its message: a message may hold a path or more. */
function code(error: unknown): { code?: string } {
  const value = (error as NodeJS.ErrnoException).code
  return typeof value === 'string' && /^[A-Z0-9_]+$/.test(value) ? { code: value } : {}
}
