import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { MeasuredCoordinate } from '../../../shared/formats/topology'
import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts, type MemoryKind } from './facts'

/**
 * hwloc XML (`lstopo --of xml`, versions 2.x and 3.0; formats-and-ux.md §1.1): NUMANode objects
 * with local_memory and subtype, the PUs they are local to, `distances2` NUMALatency (the SLIT)
 * and `memattr` latencies/bandwidths (HMAT, as hwloc read them from sysfs access coordinates).
 */

type XmlObject = Record<string, unknown> & { object?: XmlObject[]; info?: XmlObject[] }

const ARRAYS = new Set([
  'object',
  'info',
  'memattr',
  'memattr_value',
  'distances2',
  'u64values',
  'indexes',
])

/** hwloc cpuset/nodeset: comma-joined 32-bit hex words, most significant first. */
export function parseBitmap(mask: string | undefined): bigint {
  if (!mask) return 0n
  if (mask.includes('f...f')) return -1n
  const words = mask.split(',').map((w) => w.trim().replace(/^0x/, '') || '0')
  return words.reduce((acc, w) => (acc << 32n) | BigInt(`0x${w}`), 0n)
}

export function popcount(x: bigint): number {
  let n = 0
  for (let v = x; v > 0n; v >>= 1n) if (v & 1n) n++
  return n
}

const SUBTYPE_KIND: Record<string, MemoryKind> = {
  DRAM: 'dram',
  HBM: 'hbm',
  MCDRAM: 'hbm',
  SPM: 'hbm',
  NVM: 'pmem',
  GPUMemory: 'gpu',
  'CXL-DRAM': 'cxl',
  'CXL-NVM': 'pmem',
}

interface NumaObject {
  osIndex: number
  gpIndex: number
  cpuset: bigint
  bytes: number
  subtype?: string
}

export function looksLikeHwloc(head: string): boolean {
  return /<topology[\s>]/.test(head) && /<\?xml|<object\s/.test(head)
}

export function parseHwloc(text: string, file: string): MachineFacts {
  const valid = XMLValidator.validate(text)
  if (valid !== true)
    throw new ImportError(
      file,
      `is not well-formed XML (line ${valid.err.line}: ${valid.err.msg}); the file may be truncated, export it again with \`lstopo --of xml FILE\``,
    )
  const doc = new XMLParser({
    ignoreAttributes: false,
    attributeNamePrefix: '',
    parseAttributeValue: false,
    isArray: (name) => ARRAYS.has(name),
  }).parse(text) as { topology?: XmlObject }
  const root = doc.topology
  if (!root) throw new ImportError(file, 'has no <topology> element; give an hwloc XML export')
  const version = String(root.version ?? '')
  if (!/^[23]\./.test(version))
    throw new ImportError(
      file,
      `is hwloc XML version ${version || '1.x'}, which Tierlab does not read; export it with hwloc 2.0 or newer (\`lstopo --of xml\`)`,
    )

  const numa: NumaObject[] = []
  const walk = (o: XmlObject) => {
    if (o.type === 'NUMANode')
      numa.push({
        osIndex: Number(o.os_index),
        gpIndex: Number(o.gp_index),
        cpuset: parseBitmap(o.cpuset as string),
        bytes: Number(o.local_memory ?? 0),
        subtype: (o.subtype as string | undefined) ?? infoValue(o, 'subtype'),
      })
    for (const c of o.object ?? []) walk(c)
  }
  for (const o of root.object ?? []) walk(o)
  if (numa.length === 0)
    throw new ImportError(
      file,
      'has no NUMANode object; export the whole machine with `lstopo --of xml`',
    )

  const facts = emptyFacts()
  facts.sources.push(`hwloc XML ${version}`)
  const cpuOwners = assignCpus(numa)
  for (const o of numa) {
    const n = nodeOf(facts, o.osIndex)
    n.capacityBytes = o.bytes
    n.cpus = cpuOwners.get(o.osIndex) ?? 0
    n.kind = o.subtype ? SUBTYPE_KIND[o.subtype] : undefined
    if (o.subtype) n.media = o.subtype
    if (!cpuOwners.has(o.osIndex)) {
      // The CPU node sharing most of this node's locality is the one it hangs off.
      let best = -1
      let bestShared = 0
      for (const p of numa) {
        const shared = cpuOwners.has(p.osIndex) ? popcount(p.cpuset & o.cpuset) : 0
        if (shared > bestShared) {
          best = p.osIndex
          bestShared = shared
        }
      }
      if (best >= 0) n.localTo = best
    }
  }
  readDistances(root, numa, facts)
  readMemattrs(root, numa, facts)
  return facts
}

function infoValue(o: XmlObject, name: string): string | undefined {
  return (o.info ?? []).find((i) => i.name === name)?.value as string | undefined
}

/**
 * Which NUMA node owns the CPUs it is local to. hwloc gives every node the cpuset of its locality,
 * so on-package HBM shares it with the DRAM beside it and a CXL node attached to the Machine spans
 * all CPUs. The kernel's N_CPU node is the DRAM-like one (no subtype or DRAM) whose cpuset is not a
 * strict superset of another DRAM-like node's; among equals, the lowest os_index.
 */
function assignCpus(numa: NumaObject[]): Map<number, number> {
  const dramLike = numa.filter((o) => (!o.subtype || o.subtype === 'DRAM') && o.cpuset !== 0n)
  const owners = new Map<number, number>()
  const taken = new Set<bigint>()
  for (const o of [...dramLike].sort((a, b) => a.osIndex - b.osIndex)) {
    const superset = dramLike.some(
      (p) => p !== o && p.cpuset !== o.cpuset && (p.cpuset & o.cpuset) === p.cpuset,
    )
    if (superset || taken.has(o.cpuset)) continue
    taken.add(o.cpuset)
    owners.set(o.osIndex, popcount(o.cpuset))
  }
  return owners
}

function readDistances(root: XmlObject, numa: NumaObject[], facts: MachineFacts): void {
  const all = (root.distances2 ?? []) as XmlObject[]
  // NUMALatency is the OS's SLIT (kind FROM_OS|LATENCY = 5); prefer it by name.
  const d =
    all.find((x) => x.name === 'NUMALatency' && x.type === 'NUMANode') ??
    all.find((x) => x.type === 'NUMANode' && (Number(x.kind) & 4) !== 0)
  if (!d) return
  const n = Number(d.nbobjs)
  const text = (v: unknown) =>
    typeof v === 'object' && v !== null
      ? String((v as { '#text'?: unknown })['#text'] ?? '')
      : String(v)
  const indexes = ((d.indexes ?? []) as unknown[])
    .map(text)
    .join(' ')
    .trim()
    .split(/\s+/)
    .map(Number)
  const values = ((d.u64values ?? []) as unknown[])
    .map(text)
    .join(' ')
    .trim()
    .split(/\s+/)
    .map(Number)
  if (indexes.length !== n || values.length !== n * n) {
    facts.warnings.push(
      `distances2 "${String(d.name)}" has ${indexes.length} indexes and ${values.length} values for ${n} nodes; ignoring it (the SLIT is derived from the drawn links)`,
    )
    return
  }
  const byGp = new Map(numa.map((o) => [o.gpIndex, o.osIndex]))
  const nodeIds = d.indexing === 'gp' ? indexes.map((g) => byGp.get(g) ?? -1) : indexes
  const matrix = nodeIds.map((_, i) => values.slice(i * n, (i + 1) * n))
  facts.slit = { nodeIds, matrix }
}

const ATTR: Record<string, (keyof MeasuredCoordinate)[]> = {
  Latency: ['readLatencyNs', 'writeLatencyNs'],
  ReadLatency: ['readLatencyNs'],
  WriteLatency: ['writeLatencyNs'],
  Bandwidth: ['readBandwidthMBps', 'writeBandwidthMBps'],
  ReadBandwidth: ['readBandwidthMBps'],
  WriteBandwidth: ['writeBandwidthMBps'],
}

/**
 * memattr values whose initiator is a cpuset: CPU initiators, so the best value per target is the
 * node's access1 ([HMATC] ACCESS_COORDINATE_CPU). ReadLatency, WriteBandwidth and the like win over the
 * combined ones.
 */
function readMemattrs(root: XmlObject, numa: NumaObject[], facts: MachineFacts): void {
  const byGp = new Map(numa.map((o) => [o.gpIndex, o.osIndex]))
  const best = new Map<
    number,
    Partial<Record<keyof MeasuredCoordinate, { v: number; specific: boolean }>>
  >()
  for (const m of (root.memattr ?? []) as XmlObject[]) {
    const fields = ATTR[String(m.name)]
    if (!fields) continue
    const lower = String(m.name).includes('Latency')
    const specific = fields.length === 1
    for (const v of (m.memattr_value ?? []) as XmlObject[]) {
      if (v.target_obj_type !== 'NUMANode' || v.initiator_cpuset === undefined) continue
      const node = byGp.get(Number(v.target_obj_gp_index))
      const value = Number(v.value)
      if (node === undefined || !(value > 0)) continue
      const entry = best.get(node) ?? {}
      for (const f of fields) {
        const cur = entry[f]
        const better =
          !cur ||
          (specific && !cur.specific) ||
          (specific === cur.specific && (lower ? value < cur.v : value > cur.v))
        if (better) entry[f] = { v: value, specific }
      }
      best.set(node, entry)
    }
  }
  for (const [node, e] of best) {
    nodeOf(facts, node).access1 = {
      readLatencyNs: e.readLatencyNs?.v ?? 0,
      writeLatencyNs: e.writeLatencyNs?.v ?? 0,
      readBandwidthMBps: e.readBandwidthMBps?.v ?? 0,
      writeBandwidthMBps: e.writeBandwidthMBps?.v ?? 0,
    }
  }
}
