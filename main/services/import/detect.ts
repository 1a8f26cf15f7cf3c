import { cxlJsonKind, parseCxlJson } from './cxl'
import {
  looksLikeMess,
  looksLikeMlc,
  parseMess,
  parseMlc,
  type BandwidthLatencyCurve,
} from './curves'
import { ImportError } from './errors'
import type { MachineFacts } from './facts'
import { looksLikeHwloc, parseHwloc } from './hwloc'
import { looksLikeNoNuma, parseNoNuma } from './no-numa'
import { looksLikeNumactl, parseNumactl } from './numactl'

/** What one machine file turned out to be. */
export type Detected =
  | { kind: 'facts'; format: string; facts: MachineFacts }
  | { kind: 'curve'; format: string; curve: BandwidthLatencyCurve }

export const MACHINE_FORMATS =
  'hwloc XML, `numactl --hardware`, a sysfs snapshot (folder or tar.gz), `cxl list`/`daxctl list` JSON, an MLC --loaded_latency or Mess curve'

const isUtf16 = (b: Uint8Array) =>
  b.length >= 2 && ((b[0] === 0xff && b[1] === 0xfe) || (b[0] === 0xfe && b[1] === 0xff))

/**
 * A machine file's text: UTF-8 without a byte-order mark, or UTF-16 with one, as Windows
 * PowerShell's `>` saves what it is given (`ssh host numactl -H > numactl.txt`).
 */
export function machineText(data: Uint8Array): string {
  const b = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
  if (!isUtf16(b)) return b.toString('utf8').replace(/^\uFEFF/, '')
  const body = Buffer.from(b.subarray(2, 2 + ((b.length - 2) & ~1)))
  return (b[0] === 0xfe ? body.swap16() : body).toString('utf16le')
}

/** A text file's head: NUL bytes or many control characters mean binary data, so stop early. */
export function assertText(head: Uint8Array, file: string): void {
  const codes = isUtf16(head)
    ? Array.from(machineText(head.subarray(0, 8192)), (c) => c.charCodeAt(0))
    : head.subarray(0, 8192)
  const n = codes.length
  let odd = 0
  for (let i = 0; i < n; i++) {
    const b = codes[i]
    if (b === 0)
      throw new ImportError(
        file,
        `is binary data, not a text file; give one of: ${MACHINE_FORMATS}`,
      )
    if (b < 9 || (b > 13 && b < 32)) odd++
  }
  if (n > 0 && odd / n > 0.01)
    throw new ImportError(
      file,
      `is not text (control characters at the start); give one of: ${MACHINE_FORMATS}`,
    )
}

/** Whether text starts like one of the formats detectMachineText reads (before reading it). */
export function looksLikeMachineFile(text: string): boolean {
  const head = text.slice(0, 65536)
  const start = head.trimStart()
  return (
    start.startsWith('<') ||
    start.startsWith('[') ||
    start.startsWith('{') ||
    looksLikeNumactl(head) ||
    looksLikeNoNuma(head) ||
    looksLikeMlc(head) ||
    looksLikeMess(head)
  )
}

export function detectMachineText(text: string, file: string): Detected {
  const head = text.slice(0, 65536)
  const start = head.trimStart()
  if (start.startsWith('<')) {
    if (looksLikeHwloc(head))
      return { kind: 'facts', format: 'hwloc', facts: parseHwloc(text, file) }
    throw new ImportError(
      file,
      'is XML but not an hwloc topology (no <topology> with <object>); export it with `lstopo --of xml FILE`',
    )
  }
  // A shell prompt such as `[root@host ~]# numactl -H` starts a pasted numactl output with '['.
  if ((start.startsWith('[') || start.startsWith('{')) && !looksLikeNumactl(head)) {
    let json: unknown
    try {
      json = JSON.parse(text)
    } catch (err) {
      throw new ImportError(
        file,
        `is not valid JSON (${(err as Error).message}); give the raw output of \`cxl list\` or \`daxctl list\` (without -u)`,
      )
    }
    if (Array.isArray(json) && json.length === 0)
      throw new ImportError(
        file,
        'is an empty list: `cxl list` or `daxctl list` found no CXL region or DAX device on that machine',
      )
    const kind = cxlJsonKind(json)
    if (!kind)
      throw new ImportError(
        file,
        'is JSON but neither `cxl list` nor `daxctl list` output (no memdev, region or chardev objects)',
      )
    return {
      kind: 'facts',
      format: kind === 'cxl' ? 'cxl list' : 'daxctl list',
      facts: parseCxlJson(json, file, kind),
    }
  }
  if (looksLikeNumactl(head))
    return { kind: 'facts', format: 'numactl', facts: parseNumactl(text, file) }
  if (looksLikeNoNuma(head))
    return { kind: 'facts', format: 'capture (no NUMA)', facts: parseNoNuma(text, file) }
  if (looksLikeMlc(head)) return { kind: 'curve', format: 'mlc', curve: parseMlc(text, file) }
  if (looksLikeMess(head)) return { kind: 'curve', format: 'mess', curve: parseMess(text, file) }
  throw new ImportError(file, `is not a format Tierlab reads; give one of: ${MACHINE_FORMATS}`)
}
