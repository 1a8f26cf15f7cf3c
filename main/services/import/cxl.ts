import { ImportError } from './errors'
import { emptyFacts, type MachineFacts } from './facts'

/**
 * `cxl list` JSON (ndctl cxl-cli; formats-and-ux.md §1.4) and `daxctl list` JSON. A region's size,
 * type and interleave come from `cxl list -R` (nested under `regions:decoderX.Y` in `-v` output);
 * the NUMA node its memory became comes from the DAX device (`cxl list -RX` daxregion.devices, or
 * `daxctl list`) target_node, not from the memdev's numa_node, which is the device's host-side node.
 */

type Json = unknown

function walk(v: Json, visit: (o: Record<string, Json>) => void): void {
  if (Array.isArray(v)) for (const x of v) walk(x, visit)
  else if (v && typeof v === 'object') {
    visit(v as Record<string, Json>)
    for (const x of Object.values(v)) walk(x, visit)
  }
}

export type CxlJsonKind = 'cxl' | 'daxctl'

/** Which of the two a parsed JSON value is, or null. */
export function cxlJsonKind(v: Json): CxlJsonKind | null {
  let cxl = false
  let dax = false
  walk(v, (o) => {
    if ('memdev' in o || 'region' in o || 'bus' in o || 'decoder' in o) cxl = true
    if ('chardev' in o && 'target_node' in o) dax = true
  })
  return cxl ? 'cxl' : dax ? 'daxctl' : null
}

const regionNumber = (s: string) => /(\d+)/.exec(s)?.[1]

export function parseCxlJson(v: Json, file: string, kind: CxlJsonKind): MachineFacts {
  const facts = emptyFacts()
  facts.sources.push(kind === 'cxl' ? 'cxl list' : 'daxctl list')
  let humanSizes = false
  walk(v, (o) => {
    // `cxl list -u` prints sizes as "256.00 GiB (274.88 GB)": the exact byte count is gone.
    if (typeof o.region === 'string' && typeof o.size === 'string') humanSizes = true
    if (
      typeof o.region === 'string' &&
      typeof o.size === 'number' &&
      'interleave_ways' in o &&
      !('decoder' in o)
    ) {
      const mappings = Array.isArray(o.mappings) ? (o.mappings as Record<string, Json>[]) : []
      facts.cxlRegions.set(o.region, {
        sizeBytes: o.size,
        interleaveWays: Number(o.interleave_ways) || 1,
        memdevs: mappings.map((m) => String(m.memdev)),
        type: String(o.type ?? 'ram'),
      })
      const dax = o.daxregion as { devices?: Record<string, Json>[] } | undefined
      for (const d of dax?.devices ?? [])
        if (typeof d.target_node === 'number' && d.target_node >= 0)
          facts.regionNode.set(o.region, d.target_node)
    }
    // daxctl list: a device daxR.N; with -R its region's path names the CXL region.
    if (kind === 'daxctl' && typeof o.chardev === 'string' && typeof o.target_node === 'number') {
      const num = regionNumber(o.chardev)
      if (o.mode !== 'system-ram')
        facts.warnings.push(
          `${file}: ${o.chardev} is in ${String(o.mode)} mode, not system-ram, so it is not a NUMA node; skipped`,
        )
      else if (num !== undefined && o.target_node >= 0)
        facts.regionNode.set(`region${num}`, o.target_node)
    }
  })
  if (kind === 'cxl' && facts.cxlRegions.size === 0 && humanSizes)
    facts.warnings.push(
      `${file}: was listed with -u, whose sizes ("256.00 GiB") are not exact; run \`cxl list -RXMv\` without -u`,
    )
  else if (kind === 'cxl' && facts.cxlRegions.size === 0)
    facts.warnings.push(
      `${file}: lists no CXL region; run \`cxl list -RX\` (or \`cxl list -v\`) so Tierlab sees regions and their interleave`,
    )
  if (kind === 'daxctl' && facts.regionNode.size === 0 && facts.warnings.length === 0)
    throw new ImportError(
      file,
      'lists no DAX device with a target_node; give the output of `daxctl list`',
    )
  return facts
}
