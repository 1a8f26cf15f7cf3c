import { Parser, type ReadEntry } from 'tar'
import { ImportError } from './errors'
import { sysfsKey } from './sysfs-paths'

/**
 * A tar or tar.gz (a `tierlab capture` bundle or a sysfs snapshot) read in memory, keeping only
 * what an import can use: sysfs node and memory-tier files and the capture's top-level tool
 * outputs. Bounded: each kept file ≤ MAX_ENTRY_BYTES, all of them ≤ MAX_TOTAL_BYTES, and tar's own
 * decompression-ratio guard stops a gzip bomb.
 */
export const MAX_ENTRY_BYTES = 32 * 2 ** 20
export const MAX_TOTAL_BYTES = 128 * 2 ** 20

export function isGzip(data: Uint8Array): boolean {
  return data.length >= 2 && data[0] === 0x1f && data[1] === 0x8b
}

export function isTar(data: Uint8Array): boolean {
  return data.length >= 262 && Buffer.from(data.subarray(257, 262)).toString('latin1') === 'ustar'
}

/** Whether a path inside a bundle is worth reading. */
function keep(path: string): boolean {
  if (sysfsKey(path) !== null) return true
  // Tool outputs sit at the top of a capture folder: `capture-host/numactl.txt`.
  return (
    !path.includes('devices/') && !path.endsWith('/') && path.split('/').filter(Boolean).length <= 2
  )
}

export async function readBundle(data: Uint8Array, file: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  let total = 0
  let problem: string | null = null
  await new Promise<void>((resolve, reject) => {
    const parser = new Parser({
      strict: false,
      filter: (path) => keep(path),
      onReadEntry: (entry: ReadEntry) => {
        if (entry.type !== 'File' || entry.size > MAX_ENTRY_BYTES) {
          entry.resume()
          return
        }
        const chunks: Buffer[] = []
        entry.on('data', (c: Buffer) => {
          total += c.length
          if (total > MAX_TOTAL_BYTES)
            problem ??= `holds more than ${MAX_TOTAL_BYTES / 2 ** 20} MiB of machine files`
          else chunks.push(c)
        })
        entry.on('end', () => files.set(entry.path, Buffer.concat(chunks).toString('utf8')))
      },
    })
    parser.on('warn', (code: string, message: string) => {
      if (code === 'TAR_BAD_ARCHIVE' || code === 'TAR_ABORT' || code === 'TAR_ENTRY_INVALID')
        problem ??= `is not a readable tar archive (${message})`
    })
    parser.on('error', (err: Error) =>
      reject(
        new ImportError(
          file,
          `is not a readable tar archive (${err.message}); create it with \`tar czf\` or \`tierlab capture\``,
        ),
      ),
    )
    parser.on('end', () => resolve())
    parser.on('close', () => resolve())
    parser.end(Buffer.from(data))
  })
  if (problem)
    throw new ImportError(file, `${problem}; give a tar.gz made by the \`tierlab capture\` script`)
  if (files.size === 0)
    throw new ImportError(
      file,
      'holds no file Tierlab can read (sysfs node files or tool outputs); create it with the `tierlab capture` script',
    )
  return files
}
