import type { MeasuredCoordinate } from '../../../shared/formats/topology'
import { countList, expandList } from './cpulist'
import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts } from './facts'

/**
 * A sysfs snapshot (formats-and-ux.md §1.3): `devices/system/node/{online,nodeN/{cpulist,meminfo,
 * distance,accessY/initiators/*}}` and `devices/virtual/memory_tiering/memory_tierN/nodelist`.
 * Input is the snapshot's files by path; any prefix before `devices/` (a capture folder,
 * `sys/`) is ignored. Latencies are ns and bandwidths MB/s as the kernel prints them
 * (Documentation/admin-guide/mm/numaperf.rst).
 */
export type SnapshotFiles = Map<string, string>

const NODE_ROOT = 'devices/system/node/'

/** Re-keys a snapshot's paths from `devices/` on. */
export function sysfsView(files: SnapshotFiles): SnapshotFiles {
  const out: SnapshotFiles = new Map()
  for (const [path, text] of files) {
    const at = path.indexOf('devices/')
    if (at >= 0) out.set(path.slice(at), text)
  }
  return out
}

export function isSysfsSnapshot(files: SnapshotFiles): boolean {
  return [...files.keys()].some((p) => p.includes(NODE_ROOT))
}

export function parseSysfs(all: SnapshotFiles, file: string): MachineFacts {
  const files = sysfsView(all)
  const read = (p: string) => files.get(p)?.trim()
  const present = new Set<number>()
  for (const p of files.keys()) {
    const m = /^devices\/system\/node\/node(\d+)\//.exec(p)
    if (m) present.add(Number(m[1]))
  }
  if (present.size === 0)
    throw new ImportError(
      file,
      `has no ${NODE_ROOT}nodeN/ folders; copy /sys/devices/system/node (or run the script from \`tierlab capture\`)`,
    )
  const onlineText = read(`${NODE_ROOT}online`)
  const online = onlineText ? expandList(onlineText) : [...present].sort((a, b) => a - b)
  const facts = emptyFacts()
  facts.sources.push('sysfs')
  const missing = online.filter((n) => !present.has(n))
  if (missing.length > 0)
    facts.warnings.push(
      `${file}: ${NODE_ROOT}online lists node(s) ${missing.join(', ')} but the snapshot has no folder for them; they are left out, so copy the whole ${NODE_ROOT} to include them`,
    )
  const hasCpuText = read(`${NODE_ROOT}has_cpu`)
  const withCpu = hasCpuText !== undefined ? new Set(expandList(hasCpuText)) : null

  const nodes = online.filter((n) => present.has(n))
  for (const id of nodes) {
    const dir = `${NODE_ROOT}node${id}/`
    const n = nodeOf(facts, id)
    const cpulist = read(`${dir}cpulist`)
    n.cpus = cpulist !== undefined ? (countList(cpulist) ?? 0) : withCpu?.has(id) ? undefined : 0
    const meminfo = read(`${dir}meminfo`)
    const total = meminfo ? /MemTotal:\s+(\d+) kB/.exec(meminfo) : null
    if (total) n.capacityBytes = Number(total[1]) * 1024
    else
      facts.warnings.push(
        `${file}: ${dir}meminfo has no MemTotal; node ${id}'s capacity is taken from another file or 0`,
      )
    for (const cls of [0, 1] as const) {
      const c = coordinate(files, `${dir}access${cls}/initiators/`)
      if (c) n[cls === 0 ? 'access0' : 'access1'] = c
    }
  }
  // SLIT: each nodeN/distance row lists distances to every online node, in id order.
  const rows = nodes.map((id) => read(`${NODE_ROOT}node${id}/distance`)?.split(/\s+/).map(Number))
  if (rows.every((r) => r && r.length === online.length)) {
    const keep = online.map((id) => nodes.includes(id))
    facts.slit = {
      nodeIds: nodes,
      matrix: rows.map((r) => (r as number[]).filter((_, j) => keep[j])),
    }
  } else
    facts.warnings.push(
      `${file}: some nodeN/distance rows are missing or short; the SLIT is derived from the drawn links instead`,
    )

  const tiers = new Map<number, number[]>()
  for (const [p, text] of files) {
    const m = /^devices\/virtual\/memory_tiering\/memory_tier(\d+)\/nodelist$/.exec(p)
    if (m) tiers.set(Number(m[1]), expandList(text))
  }
  if (tiers.size > 0) {
    facts.kernelTiers = tiers
    for (const [tier, ids] of tiers)
      for (const id of ids) if (facts.nodes.has(id)) nodeOf(facts, id).kernelTier = tier
  }
  return facts
}

function coordinate(files: SnapshotFiles, dir: string): MeasuredCoordinate | undefined {
  const num = (name: string) => {
    const t = files.get(dir + name)?.trim()
    return t === undefined || !/^\d+$/.test(t) ? undefined : Number(t)
  }
  const c = {
    readLatencyNs: num('read_latency'),
    writeLatencyNs: num('write_latency'),
    readBandwidthMBps: num('read_bandwidth'),
    writeBandwidthMBps: num('write_bandwidth'),
  }
  if (Object.values(c).every((v) => v === undefined)) return undefined
  return {
    readLatencyNs: c.readLatencyNs ?? 0,
    writeLatencyNs: c.writeLatencyNs ?? 0,
    readBandwidthMBps: c.readBandwidthMBps ?? 0,
    writeBandwidthMBps: c.writeBandwidthMBps ?? 0,
  }
}
