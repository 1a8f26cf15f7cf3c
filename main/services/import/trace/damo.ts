import { inflateSync } from 'node:zlib'
import { ImportError } from '../errors'
import type { TraceAccumulator } from './accumulator'

/**
 * A `damo record` file (formats-and-ux.md §1.5): `json` or `json_compressed` (zlib), a list of
 * records `{target_id, snapshots: [{start_time, end_time, regions: [{start, end,
 * nr_accesses: {samples}}]}]}`. Addresses may be numbers or strings with thousands separators, as
 * damo writes them. DAMON gives each region one access frequency, so every page of a region gets
 * the region's `nr_accesses.samples` per snapshot; pages never seen accessed are not footprint.
 */
export const MAX_DAMO_JSON_BYTES = 512 * 2 ** 20

export function isZlib(data: Uint8Array): boolean {
  return data.length > 2 && data[0] === 0x78 && [0x01, 0x5e, 0x9c, 0xda].includes(data[1])
}

export function looksLikeDamoJson(head: string): boolean {
  return /^\s*\[?\s*\{/.test(head) && /"snapshots"\s*:/.test(head)
}

export function damoText(data: Uint8Array, file: string): string {
  if (!isZlib(data)) return Buffer.from(data).toString('utf8')
  try {
    return inflateSync(data, { maxOutputLength: MAX_DAMO_JSON_BYTES }).toString('utf8')
  } catch (err) {
    throw new ImportError(
      file,
      `looks zlib-compressed but does not inflate (${(err as Error).message}); give damo's json or json_compressed record`,
    )
  }
}

const address = (v: unknown): number | null => {
  if (typeof v === 'number') return v
  if (typeof v === 'string' && /^[\d,]+$/.test(v)) return Number(v.replaceAll(',', ''))
  return null
}

type DamoRecord = { target_id?: unknown; snapshots?: unknown }

export function readDamo(text: string, file: string, acc: TraceAccumulator): void {
  let doc: unknown
  try {
    doc = JSON.parse(text)
  } catch (err) {
    throw new ImportError(
      file,
      `is not valid damo JSON (${(err as Error).message}); record with \`damo record\` and give damon.data`,
    )
  }
  const records = (Array.isArray(doc) ? doc : [doc]) as DamoRecord[]
  const shift = acc.pageShift
  records.forEach((r, ri) => {
    if (!Array.isArray(r?.snapshots))
      throw new ImportError(
        file,
        `record ${ri} has no "snapshots" list; give a damo record (damon.data), not a report`,
      )
    const pid = String(r.target_id ?? ri)
    const proc = acc.processOf(pid, pid)
    for (const s of r.snapshots as Record<string, unknown>[]) {
      const tick = Number(s.start_time ?? 0)
      for (const g of (s.regions ?? []) as Record<string, unknown>[]) {
        const samples = Number((g.nr_accesses as { samples?: unknown } | undefined)?.samples ?? 0)
        if (!(samples > 0)) continue
        const start = address(g.start)
        const end = address(g.end)
        if (start === null || end === null || end <= start)
          throw new ImportError(
            file,
            `a region of record ${ri} has start ${String(g.start)} and end ${String(g.end)}; they must be addresses with end > start`,
          )
        const first = Math.floor(start / 2 ** shift)
        const last = Math.floor((end - 1) / 2 ** shift)
        for (let page = first; page <= last; page++) acc.add(proc, page, tick, false, samples)
      }
    }
  })
}
