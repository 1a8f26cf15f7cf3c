import { XMLParser, XMLValidator } from 'fast-xml-parser'
import type { MeasuredCoordinate } from '../../../shared/formats/topology'
import { ImportError } from './errors'
import { emptyFacts, nodeOf, type MachineFacts, type MemoryKind } from './facts'
import { readDistances } from './hwloc-distances'

/**
 * hwloc XML (`lstopo --of xml`; formats-and-ux.md §1.1): NUMANode objects with local_memory and
 * subtype, the PUs they are local to, the SLIT (`distances2` NUMALatency; 1.x: `distances`) and
 * `memattr` latencies/bandwidths (HMAT, as hwloc read them from sysfs access coordinates). XML 1.x
 * (hwloc ≤ 1.11, the era of KNL) differs in three ways read here: no `version` attribute, NUMA
 * nodes are ordinary tree objects (a CPU-less one may carry an empty cpuset), and the media is an
 * `<info name="Type">` (or a `subtype` attribute) instead of `subtype`.
 */

export type XmlObject = Record<string, unknown> & { object?: XmlObject[]; info?: XmlObject[] }

const ARRAYS = new Set([
  'object',
  'info',
  'memattr',
  'memattr_value',
  'distances2',
  'u64values',
  'indexes',
  'distances',
  'latency',
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

export interface HwlocNuma {
  osIndex: number
  gpIndex: number
  /** The node's own cpuset: the CPUs it owns when it is a CPU node; may be empty when CPU-less. */
  cpuset: bigint
  /** Where the node is local: its cpuset, or its nearest ancestor's when its own is empty. */
  locality: bigint
  /** local_memory; undefined when the file leaves it out (an x86 CPUID dump, a restricted export). */
  bytes?: number
  subtype?: string
  /** The objects above it, root first (for XML 1.x distances, which are relative to an object). */
  path: XmlObject[]
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
  const version = String(root.version ?? '1.x')
  if (!/^[123]\./.test(version))
    throw new ImportError(
      file,
      `is hwloc XML version ${version}, which Tierlab does not read; export it with \`lstopo --of xml\` from hwloc 1.x, 2.x or 3.x`,
    )

  const numa: HwlocNuma[] = []
  const walk = (o: XmlObject, path: XmlObject[], inherited: bigint) => {
    const own = parseBitmap(o.cpuset as string | undefined)
    const locality = own !== 0n ? own : inherited
    if (o.type === 'NUMANode')
      numa.push({
        osIndex: Number(o.os_index),
        gpIndex: Number(o.gp_index),
        cpuset: own,
        locality,
        bytes: localMemory(o),
        subtype: (o.subtype as string | undefined) ?? infoValue(o, 'subtype') ?? mediaInfo(o),
        path,
      })
    for (const c of o.object ?? []) walk(c, [...path, o], locality)
  }
  for (const o of root.object ?? []) walk(o, [], 0n)
  // hwloc 1.x leaves out the NUMANode of a machine with one node: the Machine holds its memory.
  const machine = root.object?.[0]
  const machineCpus = parseBitmap(machine?.cpuset as string | undefined)
  if (numa.length === 0 && machine?.type === 'Machine' && machineCpus !== 0n)
    numa.push({
      osIndex: 0,
      gpIndex: -1,
      cpuset: machineCpus,
      locality: machineCpus,
      bytes: localMemory(machine),
      path: [],
    })
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
    // Without local_memory the size comes from another file, or build-topology warns and uses 0.
    if (o.bytes !== undefined) n.capacityBytes = o.bytes
    n.cpus = cpuOwners.get(o.osIndex) ?? 0
    n.kind = o.subtype ? SUBTYPE_KIND[o.subtype] : undefined
    if (o.subtype) n.media = o.subtype
    if (!cpuOwners.has(o.osIndex)) {
      // The CPU node sharing most of this node's locality is the one it hangs off.
      let best = -1
      let bestShared = 0
      for (const p of numa) {
        const shared = cpuOwners.has(p.osIndex) ? popcount(p.cpuset & o.locality) : 0
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
  const phi = xeonPhiModel(root)
  for (const o of numa) {
    const n = nodeOf(facts, o.osIndex)
    // hwloc's KNL NUMA quirk (topology-linux.c, "KNL NUMA quirks"): a Xeon Phi has DDR and MCDRAM
    // only, and hwloc itself names the CPU-less nodes MCDRAM; an export from a hwloc that did not
    // (1.x before its KNL support) still names the CPU. Measured bandwidth, where given, decides
    // instead (build-topology's guess from memattrs).
    if (phi && !o.subtype && !n.cpus && !n.access1?.readBandwidthMBps) {
      n.kind = 'hbm'
      n.media = 'MCDRAM'
      facts.warnings.push(
        `node ${o.osIndex} has no CPUs and the file does not name its media; its CPU (${phi}) is a Xeon Phi, whose only CPU-less memory is on-package MCDRAM, so it is imported as MCDRAM — set components "node${o.osIndex}" media if it is not`,
      )
    }
  }
  return facts
}

/**
 * The CPU model when it is a Xeon Phi (Knights Landing/Mill: Intel family 6, model 87 or 133),
 * from the `CPUModel`/`CPUModelNumber` infos hwloc puts on each Package (1.x: also the Machine).
 */
function xeonPhiModel(root: XmlObject): string | undefined {
  let found: string | undefined
  const visit = (o: XmlObject) => {
    const model = infoValue(o, 'CPUModel')
    const family = infoValue(o, 'CPUFamilyNumber')
    const number = infoValue(o, 'CPUModelNumber')
    if (model && /Xeon Phi/i.test(model)) found = model.trim()
    else if (family === '6' && (number === '87' || number === '133'))
      found = `Intel family 6 model ${number}`
    if (!found) for (const c of o.object ?? []) visit(c)
  }
  for (const o of root.object ?? []) if (!found) visit(o)
  return found
}

/** local_memory in bytes; undefined when the export leaves it out. */
function localMemory(o: XmlObject): number | undefined {
  return o.local_memory === undefined ? undefined : Number(o.local_memory)
}

function infoValue(o: XmlObject, name: string): string | undefined {
  return (o.info ?? []).find((i) => i.name === name)?.value as string | undefined
}

/** XML 1.x names a NUMA node's media in `<info name="Type">`; only memory media count. */
function mediaInfo(o: XmlObject): string | undefined {
  const t = infoValue(o, 'Type')
  return t !== undefined && t in SUBTYPE_KIND ? t : undefined
}

/**
 * Which NUMA node owns the CPUs it is local to. hwloc gives every node the cpuset of its locality,
 * so on-package HBM shares it with the DRAM beside it and a CXL node attached to the Machine spans
 * all CPUs. The kernel's N_CPU node is the DRAM-like one (no subtype or DRAM) whose cpuset is not a
 * strict superset of another DRAM-like node's; among equals, the lowest os_index.
 */
function assignCpus(numa: HwlocNuma[]): Map<number, number> {
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
function readMemattrs(root: XmlObject, numa: HwlocNuma[], facts: MachineFacts): void {
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
