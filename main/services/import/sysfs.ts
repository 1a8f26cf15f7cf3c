import type { MeasuredCoordinate } from '../../../shared/formats/topology'
import { countList, expandList } from './cpulist'
import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts } from './facts'
import { sysfsKey, sysfsText } from './sysfs-paths'
import { sysfsSlit } from './sysfs-slit'

/**
 * A sysfs snapshot (formats-and-ux.md §1.3): `devices/system/node/{online,nodeN/{cpulist,meminfo,
 * distance,accessY/initiators/*}}` and `devices/virtual/memory_tiering/memory_tierN/nodelist`.
 * Input is the snapshot's files by path; any prefix before `devices/` (a capture folder,
 * `sys/`) is ignored. Latencies are ns and bandwidths MB/s as the kernel prints them
 * (Documentation/admin-guide/mm/numaperf.rst).
 */
export type SnapshotFiles = Map<string, string>

const NODE_ROOT = 'devices/system/node/'

/** Re-keys a snapshot's sysfs files from `devices/` on (sysfs-paths.ts), without tar's NUL padding. */
export function sysfsView(files: SnapshotFiles): SnapshotFiles {
  const out: SnapshotFiles = new Map()
  for (const [path, text] of files) {
    const key = sysfsKey(path)
    if (key !== null) out.set(key, sysfsText(text))
  }
  return out
}

export function isSysfsSnapshot(files: SnapshotFiles): boolean {
  return [...files.keys()].some((p) => sysfsKey(p)?.startsWith(NODE_ROOT))
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
  const hasCpuText = read(`${NODE_ROOT}has_cpu`)
  const withCpu = hasCpuText !== undefined ? new Set(expandList(hasCpuText)) : null
  const union = (...lists: (string | undefined)[]) =>
    [...new Set(lists.flatMap((t) => (t ? expandList(t) : [])))].sort((x, y) => x - y)
  // Nodes the kernel lists (online, else has_cpu ∪ has_memory) that the snapshot lost.
  const listedBy = onlineText ? 'online' : 'has_cpu and has_memory'
  const listed = onlineText ? online : union(hasCpuText, read(`${NODE_ROOT}has_memory`))
  const missing = listed.filter((n) => !present.has(n))
  if (missing.length > 0)
    facts.warnings.push(
      `${file}: ${NODE_ROOT}${listedBy} list node(s) ${missing.join(', ')} but the snapshot has no folder for them; they are left out, so copy the whole ${NODE_ROOT} to include them`,
    )

  const nodes = online.filter((n) => present.has(n))
  for (const id of nodes) {
    const dir = `${NODE_ROOT}node${id}/`
    const n = nodeOf(facts, id)
    const cpulist = read(`${dir}cpulist`)
    const cpus = cpulist !== undefined ? countList(cpulist) : null
    if (cpulist !== undefined && cpus === null)
      facts.warnings.push(
        `${file}: ${dir}cpulist "${cpulist.slice(0, 40)}" is not a CPU list; node ${id}'s CPUs are taken from another file or none`,
      )
    if (withCpu?.has(id)) n.hasCpu = true
    n.cpus = cpus ?? (withCpu?.has(id) ? undefined : 0)
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
  const slit = sysfsSlit(
    nodes,
    (id) => read(`${NODE_ROOT}node${id}/distance`),
    onlineText
      ? [online]
      : [
          union(hasCpuText, read(`${NODE_ROOT}has_memory`), [...present].join(',')),
          union(read(`${NODE_ROOT}possible`)),
          online,
        ],
    file,
    facts.warnings,
  )
  if (slit) facts.slit = slit

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
