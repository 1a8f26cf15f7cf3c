import { createReadStream } from 'node:fs'
import { open, readFile, stat } from 'node:fs/promises'
import { createGunzip } from 'node:zlib'
import { isGzip } from '../bundle'
import { ImportError } from '../errors'
import type { TraceAccumulator } from './accumulator'
import { damoText, MAX_DAMO_JSON_BYTES, readDamo } from './damo'
import {
  accumulatorFor,
  detectTrace,
  finishTrace,
  LineIngest,
  type TraceFormat,
  type TraceImportOptions,
  type TraceImportResult,
} from './import-trace'
import { forEachLine } from './split-lines'

/** Called as files are read: bytes consumed so far, and the total of all files. */
export type TraceProgress = (readBytes: number, totalBytes: number) => void

const HEAD_LINES = 2000

async function sizeOf(path: string): Promise<number> {
  try {
    const st = await stat(path)
    if (st.isDirectory()) throw new ImportError(path, 'is a folder; give a trace file')
    if (st.size === 0) throw new ImportError(path, 'is empty; give a trace with memory accesses')
    return st.size
  } catch (err) {
    if (err instanceof ImportError) throw err
    throw new ImportError(
      path,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`,
    )
  }
}

async function headOf(path: string, size: number): Promise<Buffer> {
  const head = Buffer.alloc(Math.min(size, 65536))
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, head.length, 0)
  } finally {
    await fh.close()
  }
  return head
}

/**
 * `tierlab import-trace FILE…`: streams line traces (plain or .gz) through one accumulator, so
 * memory follows the traces' footprint, not their length, and reports progress by bytes read.
 * Each file's format is decided on its first 2000 lines and all files must share it (per-thread
 * files of one run). A damo record is one JSON document, read whole (≤ MAX_DAMO_JSON_BYTES).
 */
export async function importTraceFiles(
  paths: string[],
  opts: TraceImportOptions = {},
  onProgress?: TraceProgress,
): Promise<TraceImportResult> {
  if (paths.length === 0) throw new ImportError('import-trace', 'needs at least one trace file')
  const sizes = await Promise.all(paths.map(sizeOf))
  const total = sizes.reduce((s, x) => s + x, 0)
  let done = 0
  let acc: TraceAccumulator | null = null
  let format: TraceFormat | null = null
  /** Whether the trace carries time (formats agree across files, so the first one says). */
  let timed = false
  const readWarnings: string[] = []
  const agree = (path: string, f: TraceFormat) => {
    if (format && f !== format)
      throw new ImportError(
        path,
        `is ${f} but ${paths[0]} is ${format}; import one format at a time`,
      )
    format = f
  }

  for (const [i, path] of paths.entries()) {
    const head = await headOf(path, sizes[i])
    if (!isGzip(head)) {
      const d = detectTrace(head, path, opts.format, opts)
      agree(path, d.format)
      if (d.format === 'damo') {
        if (sizes[i] > MAX_DAMO_JSON_BYTES)
          throw new ImportError(
            path,
            `is ${Math.round(sizes[i] / 2 ** 20)} MiB; a damo record above ${MAX_DAMO_JSON_BYTES / 2 ** 20} MiB is too large to read whole`,
          )
        timed = true
        acc ??= accumulatorFor(opts, true, path)
        readDamo(damoText(await readFile(path), path), path, acc)
        done += sizes[i]
        onProgress?.(done, total)
        continue
      }
    }
    const base = done
    const raw = createReadStream(path, { highWaterMark: 1 << 16 })
    let readBytes = 0
    raw.on('data', (c: Buffer | string) => {
      readBytes += c.length
      onProgress?.(base + readBytes, total)
    })
    const input = isGzip(head) ? raw.pipe(createGunzip()) : raw
    let ingest: LineIngest | null = null
    const buffered: string[] = []
    const start = () => {
      const d = detectTrace(Buffer.from(buffered.join('\n')), path, opts.format, opts)
      if (d.format === 'damo' || !d.line)
        throw new ImportError(
          path,
          "is a gzip-compressed damo record; give damo's own json or json_compressed file",
        )
      agree(path, d.format)
      if (!acc) {
        timed = d.line.timed
        acc = accumulatorFor(opts, timed, path)
      }
      // Each file its own parser: what one file's lines said (its pid) is not another's.
      const ing = new LineIngest(d.line, acc, path, opts.format !== undefined)
      for (const l of buffered) ing.push(l)
      buffered.length = 0
      return ing
    }
    try {
      const { endsWithNewline } = await forEachLine(input, path, (l) => {
        if (ingest) ingest.push(l)
        else {
          buffered.push(l)
          if (buffered.length >= HEAD_LINES) ingest = start()
        }
      })
      ingest ??= start()
      readWarnings.push(...ingest.finish(endsWithNewline))
    } catch (err) {
      raw.destroy()
      if (err instanceof ImportError) throw err
      throw new ImportError(
        path,
        `could not be read to the end (${(err as Error).message}); check the file is complete`,
      )
    }
    done += sizes[i]
  }
  return finishTrace(
    acc as unknown as TraceAccumulator,
    format as unknown as TraceFormat,
    paths.join(', '),
    opts,
    timed,
    readWarnings,
  )
}

/** One file: `importTraceFiles([path])`. */
export function importTraceFile(
  path: string,
  opts: TraceImportOptions = {},
  onProgress?: TraceProgress,
) {
  return importTraceFiles([path], opts, onProgress)
}
