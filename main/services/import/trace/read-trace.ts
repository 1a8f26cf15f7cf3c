import { createReadStream } from 'node:fs'
import { open, readFile, stat } from 'node:fs/promises'
import { createInterface } from 'node:readline'
import { createGunzip } from 'node:zlib'
import { isGzip } from '../bundle'
import { ImportError } from '../errors'
import { MAX_DAMO_JSON_BYTES } from './damo'
import {
  accumulatorFor,
  detectTrace,
  finishTrace,
  importTraceData,
  LineIngest,
  type TraceImportOptions,
  type TraceImportResult,
} from './import-trace'

/** Called as the file is read: bytes of the file consumed so far, and its size. */
export type TraceProgress = (readBytes: number, totalBytes: number) => void

const HEAD_LINES = 2000

/**
 * `tierlab import-trace FILE`: streams a line trace (plain or .gz) through the accumulator, so
 * memory follows the trace's footprint, not its length, and reports progress by bytes read. The
 * format is decided on the first 2000 lines; a damo record is one JSON document and is read
 * whole (bounded by MAX_DAMO_JSON_BYTES).
 */
export async function importTraceFile(
  path: string,
  opts: TraceImportOptions = {},
  onProgress?: TraceProgress,
): Promise<TraceImportResult> {
  let size: number
  try {
    const st = await stat(path)
    if (st.isDirectory()) throw new ImportError(path, 'is a folder; give a trace file')
    size = st.size
  } catch (err) {
    if (err instanceof ImportError) throw err
    throw new ImportError(
      path,
      `cannot be read (${(err as NodeJS.ErrnoException).code ?? String(err)}); check the path`,
    )
  }
  if (size === 0) throw new ImportError(path, 'is empty; give a trace with memory accesses')
  const head = Buffer.alloc(Math.min(size, 65536))
  const fh = await open(path, 'r')
  try {
    await fh.read(head, 0, head.length, 0)
  } finally {
    await fh.close()
  }
  const gz = isGzip(head)
  if (!gz) {
    const { format } = detectTrace(head, path, opts.format)
    if (format === 'damo') {
      if (size > MAX_DAMO_JSON_BYTES)
        throw new ImportError(
          path,
          `is ${Math.round(size / 2 ** 20)} MiB; a damo record above ${MAX_DAMO_JSON_BYTES / 2 ** 20} MiB is too large to read whole`,
        )
      const data = await readFile(path)
      onProgress?.(size, size)
      return importTraceData(path, data, opts)
    }
  }

  const raw = createReadStream(path, { highWaterMark: 1 << 20 })
  let readBytes = 0
  raw.on('data', (c: Buffer | string) => {
    readBytes += c.length
    onProgress?.(readBytes, size)
  })
  const text = gz ? raw.pipe(createGunzip()) : raw
  const lines = createInterface({ input: text, crlfDelay: Infinity })
  let ingest: LineIngest | null = null
  const buffered: string[] = []
  try {
    for await (const line of lines) {
      if (ingest) {
        ingest.push(line)
        continue
      }
      buffered.push(line)
      if (buffered.length >= HEAD_LINES) ingest = startIngest(path, buffered, opts)
    }
    if (!ingest) ingest = startIngest(path, buffered, opts)
  } catch (err) {
    raw.destroy()
    if (err instanceof ImportError) throw err
    throw new ImportError(
      path,
      `could not be read to the end (${(err as Error).message}); check the file is complete`,
    )
  }
  return finishTrace(ingest.acc, ingest.format.id, path, opts, ingest.format.timed)
}

function startIngest(path: string, head: string[], opts: TraceImportOptions): LineIngest {
  const { format, line } = detectTrace(Buffer.from(head.join('\n')), path, opts.format)
  if (format === 'damo' || !line)
    throw new ImportError(
      path,
      "is a compressed damo record; give damo's json_compressed file uncompressed by gzip",
    )
  const ingest = new LineIngest(line, accumulatorFor(opts, line.timed, path), path)
  for (const l of head) ingest.push(l)
  head.length = 0
  return ingest
}
