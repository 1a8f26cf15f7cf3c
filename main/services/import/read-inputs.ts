import { open, readdir, readFile, stat } from 'node:fs/promises'
import { join, relative } from 'node:path'
import { isGzip, isTar, MAX_TOTAL_BYTES } from './bundle'
import { assertText, MACHINE_FORMATS } from './detect'
import { ImportError } from './errors'
import { MAX_MACHINE_FILE_BYTES, type MachineInput } from './machine'
import { leadsToSysfs, sysfsKey } from './sysfs-paths'

const MAX_SYSFS_FILE_BYTES = 1 << 20

/**
 * Paths → import inputs, reading no more than needed: a folder is walked for sysfs node files and
 * its top-level tool outputs; a file too large for its kind is refused after its first bytes, so a
 * 200 MB garbage file costs one 8 KiB read.
 */
export async function readMachineInputs(paths: string[]): Promise<MachineInput[]> {
  const out: MachineInput[] = []
  for (const path of paths) {
    let st
    try {
      st = await stat(path)
    } catch (err) {
      throw new ImportError(
        path,
        `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`,
      )
    }
    if (st.isDirectory()) out.push({ name: path, files: await readSnapshotFolder(path) })
    else if (!st.isFile())
      // /dev/zero or a pipe never ends: reading it would take all memory.
      throw new ImportError(
        path,
        'is not a regular file (a device, pipe or socket); save the tool output to a file and give that',
      )
    else out.push({ name: path, data: await readBounded(path, st.size) })
  }
  return out
}

export async function readBounded(path: string, size: number): Promise<Uint8Array> {
  const head = Buffer.alloc(Math.min(size, 8192))
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, head.length, 0)
  } finally {
    await fh.close()
  }
  // The tar magic sits at byte 257, inside the head already read.
  const archive = isGzip(head) || isTar(head)
  if (archive) {
    if (size > MAX_TOTAL_BYTES)
      throw new ImportError(
        path,
        `is a ${Math.round(size / 2 ** 20)} MiB archive; a capture bundle is a few MiB, give the one \`tierlab capture\` writes`,
      )
    return readFile(path)
  }
  assertText(head, path)
  if (size > MAX_MACHINE_FILE_BYTES)
    throw new ImportError(
      path,
      `is ${Math.round(size / 2 ** 20)} MiB, too large for a machine description; give ${MACHINE_FORMATS}`,
    )
  return readFile(path)
}

async function readSnapshotFolder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>()
  // A copy of /sys/devices/system/node itself keys its files from devices/ as a whole /sys would.
  const abs = root.split('\\').join('/').replace(/\/+$/, '')
  const at = abs.indexOf('devices/')
  const prefix = at >= 0 ? `${abs.slice(at)}/` : ''
  let total = 0
  const walk = async (dir: string, depth: number): Promise<void> => {
    let entries
    try {
      entries = await readdir(dir, { withFileTypes: true })
    } catch {
      return
    }
    for (const e of entries) {
      const full = join(dir, e.name)
      const rel = prefix + relative(root, full).split('\\').join('/')
      if (e.isDirectory()) {
        // Walk only towards the sysfs folders a snapshot uses (sysfs has cycles through links).
        if (depth < 12 && leadsToSysfs(rel)) await walk(full, depth + 1)
        continue
      }
      if (!e.isFile()) continue
      const sysfs = sysfsKey(rel) !== null
      if (!sysfs && (rel.includes('devices/') || rel.split('/').length > 2)) continue
      const st = await stat(full)
      if (st.size > (sysfs ? MAX_SYSFS_FILE_BYTES : MAX_MACHINE_FILE_BYTES)) continue
      total += st.size
      if (total > MAX_TOTAL_BYTES)
        throw new ImportError(
          root,
          `holds more than ${MAX_TOTAL_BYTES / 2 ** 20} MiB of machine files; give the sysfs node folder or a capture bundle`,
        )
      files.set(rel, await readFile(full, 'utf8'))
    }
  }
  await walk(root, 0)
  if (files.size === 0)
    throw new ImportError(
      root,
      `is a folder without sysfs node files or tool outputs; give ${MACHINE_FORMATS}`,
    )
  return files
}
