import { createGunzip } from 'node:zlib'
import { Parser, type ReadEntry } from 'tar'
import { ImportError } from './errors'
import { sysfsKey } from './sysfs-paths'

/**
 * A tar or tar.gz (a `tierlab capture` bundle or a sysfs snapshot) read in memory, keeping only
 * what an import can use: sysfs node and memory-tier files and the capture's top-level tool
 * outputs. Bounded: each kept file ≤ MAX_ENTRY_BYTES, all of them ≤ MAX_TOTAL_BYTES, and the
 * gzip stream is unpacked chunk by chunk and stopped past MAX_UNPACKED_BYTES, so a gzip bomb (a
 * 4 MB .tgz of a 4 GB file) costs a few seconds and no memory instead of unpacking it whole.
 */
export const MAX_ENTRY_BYTES = 32 * 2 ** 20
export const MAX_TOTAL_BYTES = 128 * 2 ** 20
export const MAX_UNPACKED_BYTES = 512 * 2 ** 20

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

export async function readBundle(
  data: Uint8Array,
  file: string,
  maxUnpackedBytes = MAX_UNPACKED_BYTES,
): Promise<Map<string, string>> {
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
    const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    if (!isGzip(bytes)) {
      parser.end(bytes)
      return
    }
    const gunzip = createGunzip()
    let unpacked = 0
    // Past the tar's end-of-archive blocks nothing is read, and tar's parser would keep
    // concatenating what follows (1 GiB of zeros took minutes): stop unpacking there.
    let ended = false
    parser.on('eof', () => {
      ended = true
      gunzip.destroy()
      parser.end()
    })
    gunzip.on('data', (chunk: Buffer) => {
      if (ended) return
      unpacked += chunk.length
      if (unpacked > maxUnpackedBytes) {
        problem ??= `unpacks to more than ${Math.round(maxUnpackedBytes / 2 ** 20)} MiB`
        gunzip.destroy()
        resolve()
      } else parser.write(chunk)
    })
    gunzip.on('end', () => parser.end())
    gunzip.on('error', (err: Error) =>
      reject(
        new ImportError(
          file,
          `is not a readable tar.gz (${err.message}); give the whole file \`tierlab capture\` wrote`,
        ),
      ),
    )
    gunzip.end(bytes)
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
