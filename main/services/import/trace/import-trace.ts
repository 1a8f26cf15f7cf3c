import { gunzipSync } from 'node:zlib'
import { TRACE_PAGE_BYTES, type Workload } from '../../../../shared/formats'
import { isGzip } from '../bundle'
import { assertText } from '../detect'
import { ImportError } from '../errors'
import { TraceAccumulator } from './accumulator'
import { buildTraceWorkload, type TraceSummary } from './build-workload'
import { damoText, isZlib, looksLikeDamoJson, MAX_DAMO_JSON_BYTES, readDamo } from './damo'
import {
  detectLineFormat,
  LINE_FORMATS,
  makeLineFormat,
  type LineFormat,
  type LineFormatId,
  type LineFormatOptions,
} from './line-formats'

export const TRACE_FORMATS = ['lackey', 'perf', 'drmemtrace', 'damo'] as const
export type TraceFormat = (typeof TRACE_FORMATS)[number]
const TRACE_FORMAT_LIST =
  'a damo record, `perf script` of perf mem, Valgrind Lackey --trace-mem=yes, or DynamoRIO drmemtrace view output'

export interface TraceImportOptions {
  format?: TraceFormat
  /** Component that runs every process (default s0, the first socket). */
  initiator?: string
  /** Hotness granularity, bytes: 4096 (default) or a larger power of two. */
  pageBytes?: number
  /** At most this many phases (time or access-count windows). */
  phases?: number
  /** Untimed traces: seconds the accesses are spread over. */
  durationS?: number
  name?: string
  /** Lackey: instruction fetches count as reads (code pages join the footprint). */
  instructions?: boolean
}

export interface TraceImportResult {
  workload: Workload
  warnings: string[]
  format: TraceFormat
  summary: TraceSummary
}

/** What a trace is, from its first bytes. */
export function detectTrace(
  head: Uint8Array,
  file: string,
  forced?: TraceFormat,
  lineOpts: LineFormatOptions = {},
): { format: TraceFormat; line?: LineFormat } {
  if (forced === 'damo' || (!forced && isZlib(head))) return { format: 'damo' }
  assertText(head, file)
  const text = Buffer.from(head).toString('utf8')
  if (forced) return { format: forced, line: makeLineFormat(forced, lineOpts) }
  if (looksLikeDamoJson(text)) return { format: 'damo' }
  const lines = text.split(/\r?\n/).slice(0, 2000)
  const line = detectLineFormat(lines, lineOpts)
  if (!line && /^==\d+== Lackey, an example Valgrind tool/m.test(text))
    throw new ImportError(
      file,
      'is Valgrind Lackey output without its memory trace (only the counts); run lackey with --trace-mem=yes',
    )
  if (!line)
    throw new ImportError(
      file,
      `is not a trace format Tierlab reads; give ${TRACE_FORMAT_LIST} (or name it with --format)`,
    )
  return { format: line.id, line }
}

function accumulatorFor(opts: TraceImportOptions, timed: boolean, file: string): TraceAccumulator {
  const pageBytes = opts.pageBytes ?? TRACE_PAGE_BYTES
  if (
    !Number.isInteger(Math.log2(pageBytes)) ||
    pageBytes < TRACE_PAGE_BYTES ||
    pageBytes > 2 ** 30
  )
    throw new ImportError(
      file,
      `--page-bytes ${pageBytes} must be a power of two from 4096 to 1073741824`,
    )
  const phases = opts.phases ?? 4
  if (!Number.isInteger(phases) || phases < 1 || phases > 64)
    throw new ImportError(file, `--phases ${phases} must be a whole number from 1 to 64`)
  // Start narrow (1 ms or 1024 accesses); the accumulator doubles the width as the trace goes on.
  return new TraceAccumulator(phases, timed ? 1e6 : 1024, Math.log2(pageBytes))
}

/** Page number of a hex address for pages of 2^shift bytes, exact for 64-bit addresses. */
export function pageOfHex(hex: string, shift: number): number {
  const h = hex.length > 13 ? hex.slice(0, -3) : hex
  const v = parseInt(h, 16)
  const dropped = hex.length > 13 ? 12 : 0
  return Math.floor(v / 2 ** (shift - dropped))
}

/** The low 12 bits of a hex address (its offset in a 4 KiB page), read without a substring. */
function pageOffsetOfHex(hex: string): number {
  let v = 0
  for (let i = Math.max(0, hex.length - 3); i < hex.length; i++) {
    const c = hex.charCodeAt(i)
    v = v * 16 + (c <= 57 ? c - 48 : (c | 32) - 87)
  }
  return v
}

/**
 * Whether an access leaves its 4 KiB page. Most stay inside (offset plus size within 4096), which
 * holds for any coarser page too; only a crossing one pays for lastPageOfHex's exact sum.
 */
function crossesPage(hex: string, sizeBytes: number): boolean {
  return pageOffsetOfHex(hex) + sizeBytes > 4096
}

/** The page of an access's last byte, by the exact 64-bit sum. */
function lastPageOfHex(hex: string, sizeBytes: number, shift: number): number {
  return Number((BigInt(`0x${hex}`) + BigInt(sizeBytes - 1)) >> BigInt(shift))
}

/** Feeds lines of one format; refuses mixed formats and files that stop being a trace. */
export class LineIngest {
  private lineNo = 0
  private foreign = 0
  private accessIndex = 0
  private lastPid = ''
  private lastTid = ''
  private lastProc = -1
  /** The last line when it was not the format's (a trace cut short ends mid-line). */
  private lastForeign: string | null = null

  constructor(
    readonly format: LineFormat,
    readonly acc: TraceAccumulator,
    readonly file: string,
    /** The format came from --format, not from the file's first lines. */
    readonly forced = false,
  ) {}

  push(line: string): void {
    this.lineNo++
    const r = this.format.parse(line)
    this.lastForeign = null
    if (r === 'skip') return
    if (r !== null && 'problem' in r)
      throw new ImportError(this.file, `line ${this.lineNo} ${r.problem}`)
    if (r === null) {
      for (const make of LINE_FORMATS) {
        const other = make()
        if (other.id !== this.format.id && other.detect(line))
          throw new ImportError(
            this.file,
            this.forced
              ? `line ${this.lineNo} is ${other.label}, not ${this.format.label} as --format ${this.format.id} says; leave --format out to detect the format`
              : `line ${this.lineNo} is ${other.label} but the file began as ${this.format.label}; give one format per file`,
          )
      }
      this.lastForeign = line
      this.foreign++
      if (this.foreign > 100 && this.foreign * 100 > this.lineNo)
        throw new ImportError(
          this.file,
          `stops being ${this.format.label} output (line ${this.lineNo}: "${line.slice(0, 60)}"); give the tool's output unchanged`,
        )
      return
    }
    // Consecutive accesses mostly come from the same thread: skip the key lookup then.
    if (r.pid !== this.lastPid || r.tid !== this.lastTid) {
      this.lastProc = this.acc.processOf(r.pid, r.tid)
      this.lastPid = r.pid
      this.lastTid = r.tid
    }
    const proc = this.lastProc
    const tick = r.timeNs ?? this.accessIndex
    this.accessIndex++
    const page = pageOfHex(r.addrHex, this.acc.pageShift)
    this.acc.add(proc, page, tick, r.isWrite)
    // An access that crosses a page boundary (an unaligned 8-byte load at offset 4092) touches the
    // next page as well, which may be touched by nothing else: count it there too, or the
    // footprint misses it.
    if (r.sizeBytes !== undefined && r.sizeBytes > 1 && crossesPage(r.addrHex, r.sizeBytes)) {
      const last = lastPageOfHex(r.addrHex, r.sizeBytes, this.acc.pageShift)
      for (let p = page + 1; p <= last; p++) this.acc.add(proc, p, tick, r.isWrite)
    }
  }

  get lines(): number {
    return this.lineNo
  }

  /**
   * Warnings once the file has ended: a file cut short ends mid-line, without a newline, on a line
   * that is not the format's (a program's own output after the trace ends with its newline).
   */
  finish(endsWithNewline: boolean): string[] {
    const notes = this.format.warnings?.() ?? []
    if (this.lastForeign === null || endsWithNewline) return notes
    return [
      ...notes,
      `${this.file}: its last line (${this.lineNo}: "${this.lastForeign.slice(0, 40)}") is not a whole ${this.format.label} line, so the trace looks cut short; the accesses before it are imported`,
    ]
  }
}

export function finishTrace(
  acc: TraceAccumulator,
  format: TraceFormat,
  file: string,
  opts: TraceImportOptions,
  timed: boolean,
  readWarnings: string[] = [],
): TraceImportResult {
  const { workload, warnings, summary } = buildTraceWorkload(acc, {
    name: opts.name ?? `Trace ${file.split(/[\\/]/).pop()}`,
    source: file,
    initiator: opts.initiator ?? 's0',
    durationS: opts.durationS ?? 60,
    timed,
  })
  return { workload, warnings: [...readWarnings, ...warnings], format, summary }
}

/** A whole trace already in memory (the app's drop zone; small files). */
export function importTraceData(
  file: string,
  raw: Uint8Array,
  opts: TraceImportOptions = {},
): TraceImportResult {
  let data = raw
  if (isGzip(raw)) {
    try {
      data = gunzipSync(raw, { maxOutputLength: MAX_DAMO_JSON_BYTES })
    } catch (err) {
      throw new ImportError(
        file,
        `is gzip but does not decompress within ${MAX_DAMO_JSON_BYTES / 2 ** 20} MiB (${(err as Error).message}); import large traces with \`tierlab import-trace\`, which streams them`,
      )
    }
  }
  const { format, line } = detectTrace(data.subarray(0, 65536), file, opts.format, opts)
  if (format === 'damo') {
    if (data.length > MAX_DAMO_JSON_BYTES)
      throw new ImportError(
        file,
        `is larger than ${MAX_DAMO_JSON_BYTES / 2 ** 20} MiB; record a shorter damo session`,
      )
    const acc = accumulatorFor(opts, true, file)
    readDamo(damoText(data, file), file, acc)
    return finishTrace(acc, 'damo', file, opts, true)
  }
  const fmt = line as LineFormat
  const acc = accumulatorFor(opts, fmt.timed, file)
  const ingest = new LineIngest(fmt, acc, file, opts.format !== undefined)
  const lines = Buffer.from(data).toString('utf8').split(/\r?\n/)
  // A final newline leaves one empty string after it, which is not a line of the file.
  if (lines[lines.length - 1] === '') lines.pop()
  for (const l of lines) ingest.push(l)
  const endsWithNewline = data.length > 0 && data[data.length - 1] === 0x0a
  return finishTrace(acc, format, file, opts, fmt.timed, ingest.finish(endsWithNewline))
}

export { accumulatorFor }
export type { LineFormatId }
