import { analyzeTopology } from '../../engine'
import {
  formatTag,
  parseDocument,
  summariseIssues,
  type Link,
  type MeasuredCoordinate,
  type Topology,
  type TopologyInput,
} from '../../../shared/formats'
import type { BandwidthLatencyCurve } from './curves'
import { DEFAULT_CXL_LINK, DEFAULT_UPI_GBPS, MEMORY_DEFAULTS } from './defaults'
import { ImportError } from './errors'
import type { MachineFacts, MemoryKind, NodeFacts } from './facts'

type ComponentInput = TopologyInput['components'][number]

export interface CurveForNode {
  /** Machine node id; undefined = every node with CPUs (MLC's local measurement). */
  node?: number
  curve: BandwidthLatencyCurve
  file: string
}

const hasData = (c: MeasuredCoordinate | undefined): c is MeasuredCoordinate =>
  !!c && c.readLatencyNs + c.writeLatencyNs > 0 && c.readBandwidthMBps + c.writeBandwidthMBps > 0

/**
 * Machine facts → one `tierlab.topology/v1`. Nodes with CPUs become sockets, CPU-less nodes memory
 * components of their media (CXL/PMEM via dax/kmem, on-package HBM onlined at boot, coherent GPU
 * memory), each attached to its nearest CPU node by the SLIT. The SLIT and HMAT the machine
 * reported go into `measured`, so analysis shows them; link latencies are chosen so the drawn
 * paths reproduce the SLIT's ratios for the simulator. Every number taken from a default is a
 * warning naming the component and field.
 */
export function buildTopology(
  facts: MachineFacts,
  name: string,
  curves: CurveForNode[] = [],
): { topology: Topology; warnings: string[] } {
  const warnings = [...facts.warnings]
  const all = [...facts.nodes.values()].sort((a, b) => a.node - b.node)
  const nodes = all.filter((n) => {
    if ((n.cpus ?? 0) === 0 && (n.capacityBytes ?? 0) === 0 && !n.cxl) {
      warnings.push(`node ${n.node} has neither CPUs nor memory (offline?); left out`)
      return false
    }
    return true
  })
  if (nodes.length === 0)
    throw new ImportError(facts.sources.join(' + ') || 'input', 'describes no NUMA node')
  const joinCxl = joinRegions(facts, warnings)
  const cpuNodes = nodes.filter((n) => (n.cpus ?? 0) > 0)
  if (cpuNodes.length === 0)
    throw new ImportError(
      facts.sources.join(' + '),
      'no node has CPUs; add `numactl --hardware` or the sysfs nodeN/cpulist files so Tierlab knows where the CPUs are',
    )
  const memNodes = nodes.filter((n) => (n.cpus ?? 0) === 0)
  const ordered = [...cpuNodes, ...memNodes]
  // Sockets are s0, s1, … in node order (as in the presets, so a trace's default initiator s0 is
  // the first socket); memory-only nodes keep the machine's node number.
  const socketIndex = new Map(cpuNodes.map((n, i) => [n.node, i]))
  const compId = (n: NodeFacts) =>
    socketIndex.has(n.node) ? `s${socketIndex.get(n.node)}` : `node${n.node}`
  const hmatKnown = facts.sources.some((s) => s === 'sysfs' || s.startsWith('hwloc'))
  const slit = (a: number, b: number): number | undefined => {
    if (!facts.slit) return undefined
    const i = facts.slit.nodeIds.indexOf(a)
    const j = facts.slit.nodeIds.indexOf(b)
    return i < 0 || j < 0 ? undefined : facts.slit.matrix[i][j]
  }

  const kindOf = (n: NodeFacts): MemoryKind => {
    if ((n.cpus ?? 0) > 0) return 'dram'
    if (n.kind && n.kind !== 'dram') return n.kind
    if (n.cxl || joinCxl.has(n.node)) return 'cxl'
    // hwloc's own guess (memattrs.c hwloc__guess_dram_hbm_tiers): a CPU-less node with more than
    // twice the DRAM nodes' measured bandwidth is HBM.
    const bwMBps = n.access1?.readBandwidthMBps ?? 0
    const dramMBps = Math.max(0, ...cpuNodes.map((c) => c.access1?.readBandwidthMBps ?? 0))
    if (dramMBps > 0 && bwMBps > 2 * dramMBps) {
      warnings.push(
        `node ${n.node} has no CPUs and the files do not name its media; its ${bwMBps} MB/s is over twice the DRAM nodes' ${dramMBps} MB/s, so it is imported as on-package HBM (hwloc's guess) — set components "${compId(n)}" media if it is not`,
      )
      return 'hbm'
    }
    warnings.push(
      `node ${n.node} has no CPUs and the files do not name its media; imported as a CXL expander onlined by dax/kmem — set components "${compId(n)}" media and onlining if it is HBM or PMEM`,
    )
    return 'cxl'
  }

  const components: ComponentInput[] = []
  const links: Link[] = []
  const defaulted: string[] = []
  const memoryOf = (n: NodeFacts, kind: MemoryKind) => {
    const d = MEMORY_DEFAULTS[kind]
    const m = n.access1
    // Each number the machine measured is kept; only the missing ones take defaults.
    const pick = (measured: number | undefined, scale: number, fallback: number, field: string) => {
      if (measured !== undefined && measured > 0) return measured / scale
      missing.push(field)
      return fallback
    }
    const missing: string[] = []
    const memory = {
      capacityGiB: (n.capacityBytes ?? 0) / 2 ** 30,
      media: n.media && n.media !== 'DRAM' ? n.media : d.media,
      readLatencyNs: pick(m?.readLatencyNs, 1, d.readLatencyNs, 'readLatencyNs'),
      writeLatencyNs: pick(m?.writeLatencyNs, 1, d.writeLatencyNs, 'writeLatencyNs'),
      readBandwidthGBps: pick(m?.readBandwidthMBps, 1000, d.readBandwidthGBps, 'readBandwidthGBps'),
      writeBandwidthGBps: pick(
        m?.writeBandwidthMBps,
        1000,
        d.writeBandwidthGBps,
        'writeBandwidthGBps',
      ),
      // What the machine's kernel held: no HMAT/CDAT data means the default adistance ([HMATC]).
      reportsPerformance: hmatKnown ? hasData(m) : true,
    }
    if (missing.length > 0)
      defaulted.push(
        `${compId(n)} ${missing.length === 4 ? 'all four' : missing.join(', ')} (${d.media} defaults)`,
      )
    if (n.capacityBytes === undefined)
      warnings.push(
        `components "${compId(n)}" memory.capacityGiB: no file gives node ${n.node}'s size; using 0`,
      )
    return memory
  }

  for (const n of cpuNodes)
    components.push({
      id: compId(n),
      kind: 'socket',
      name: `Node ${n.node}`,
      cores: n.cpus as number,
      memory: memoryOf(n, 'dram'),
    })

  // Sockets: a full mesh, each link's latency the SLIT's extra over local (SLIT: 10 = local).
  let upiDefaulted = false
  for (let i = 0; i < cpuNodes.length; i++)
    for (let j = i + 1; j < cpuNodes.length; j++) {
      const a = cpuNodes[i]
      const b = cpuNodes[j]
      const d = slit(a.node, b.node) ?? 21
      const local = (components[i] as { memory: { readLatencyNs: number } }).memory.readLatencyNs
      links.push({
        a: compId(a),
        b: compId(b),
        kind: 'upi',
        latencyNs: round1((local * (d - 10)) / 10),
        bandwidthGBps: DEFAULT_UPI_GBPS,
      })
      upiDefaulted = true
    }
  if (upiDefaulted)
    warnings.push(
      `socket-to-socket links: no file gives their bandwidth; using ${DEFAULT_UPI_GBPS} GB/s per direction — set links[].bandwidthGBps from \`mlc --bandwidth_matrix\``,
    )

  for (const n of memNodes) {
    const kind = kindOf(n)
    const memory = memoryOf(n, kind)
    const local = cpuNodes.find((c) => c.node === n.localTo)
    const host = facts.slit || !local ? nearestCpuNode(n, cpuNodes, slit) : local
    if (!facts.slit && !local)
      warnings.push(`node ${n.node}: no SLIT in the files; attached to node ${host.node}`)
    const hostLocal = (
      components.find((c) => c.id === compId(host)) as { memory: { readLatencyNs: number } }
    ).memory.readLatencyNs
    const d = slit(host.node, n.node)
    // Path latency = link + device; aim at local × SLIT/10 unless the device latency is measured.
    const linkLatencyNs =
      hasData(n.access1) || d === undefined
        ? 0
        : Math.max(0, round1((hostLocal * d) / 10 - memory.readLatencyNs))
    const id = compId(n)
    const label = n.cxl
      ? `${n.cxl.region} (${n.cxl.interleaveWays}-way, ${n.cxl.memdevs.join('+') || 'memdevs unknown'})`
      : `Node ${n.node}`
    if (kind === 'gpu') {
      components.push({ id, kind: 'gpu', name: label, coherent: true, memory })
      links.push({
        a: compId(host),
        b: id,
        kind: 'nvlink-c2c',
        latencyNs: linkLatencyNs,
        bandwidthGBps: memory.readBandwidthGBps,
      })
    } else {
      components.push({
        id,
        kind: 'cxl-memory',
        name: kind === 'hbm' ? `${label} (on-package HBM)` : label,
        memory,
        ...(kind === 'hbm' ? { onlining: 'boot' as const } : {}),
      })
      if (kind === 'hbm')
        // On-package memory has no link kind of its own; a PCIe edge at the memory's bandwidth stands in.
        links.push({
          a: compId(host),
          b: id,
          kind: 'pcie',
          latencyNs: linkLatencyNs,
          bandwidthGBps: memory.readBandwidthGBps,
        })
      else if (hasData(n.access1))
        links.push({
          a: compId(host),
          b: id,
          kind: 'cxl',
          latencyNs: linkLatencyNs,
          bandwidthGBps: memory.readBandwidthGBps,
        })
      else {
        const ways = n.cxl?.interleaveWays ?? 1
        links.push({
          a: compId(host),
          b: id,
          kind: 'cxl',
          latencyNs: linkLatencyNs || DEFAULT_CXL_LINK.latencyNs,
          generation: DEFAULT_CXL_LINK.generation,
          lanes: DEFAULT_CXL_LINK.lanes,
          ...(ways > 1 ? { bandwidthGBps: ways * 31.5 } : {}),
        })
        warnings.push(
          `links "${compId(host)}"-"${id}": the files give no CXL link width; assuming Gen${DEFAULT_CXL_LINK.generation} x${DEFAULT_CXL_LINK.lanes}${ways > 1 ? ` per device, ${ways}-way interleaved` : ''} — set generation and lanes (lspci -vv shows them)`,
        )
      }
    }
  }
  if (defaulted.length > 0)
    warnings.push(
      `memory performance not in the files, defaults used for ${defaulted.join('; ')} (docs/import.md lists them) — fill in components[].memory from \`mlc --latency_matrix\` and \`--bandwidth_matrix\``,
    )

  applyCurves(components, curves, nodes, compId, warnings)

  const measured: NonNullable<TopologyInput['measured']> = {
    machineNodes: ordered.map((n) => n.node),
  }
  if (ordered.some((n, i) => n.node !== i))
    warnings.push(
      `the machine numbers its nodes ${ordered.map((n) => n.node).join(', ')}: \`analyze\` reports them under these ids, while the topology numbers sockets first and keeps the machine's ids in measured.machineNodes`,
    )
  if (facts.slit) {
    const rows = ordered.map((a) => ordered.map((b) => slit(a.node, b.node)))
    if (rows.every((r) => r.every((v) => v !== undefined))) measured.distance = rows as number[][]
    else
      warnings.push(
        'the SLIT does not cover every node; distances are derived from the drawn links',
      )
  }
  const access = ordered
    .filter((n) => n.access0 || n.access1)
    .map((n) => ({
      component: compId(n),
      ...(n.access0 ? { access0: n.access0 } : {}),
      ...(n.access1 ? { access1: n.access1 } : {}),
    }))
  if (access.length > 0) measured.access = access

  const doc: TopologyInput = {
    format: formatTag('topology'),
    name,
    source: `Imported by tierlab import-machine from ${[...new Set(facts.sources)].join(', ')}`,
    components,
    links,
    measured,
  }
  const parsed = parseDocument('topology', doc)
  if (!parsed.ok)
    throw new ImportError(
      name,
      `the imported machine is not a valid topology (${summariseIssues('topology', parsed.issues)}); check the input files`,
    )
  compareKernelTiers(parsed.value, facts, warnings)
  return { topology: parsed.value, warnings }
}

const round1 = (x: number) => Math.round(x * 10) / 10

function nearestCpuNode(
  n: NodeFacts,
  cpuNodes: NodeFacts[],
  slit: (a: number, b: number) => number | undefined,
): NodeFacts {
  let best = cpuNodes[0]
  let bestD = Infinity
  for (const c of cpuNodes) {
    const d = slit(c.node, n.node) ?? Infinity
    if (d < bestD) {
      best = c
      bestD = d
    }
  }
  return best
}

/** CXL regions and the node each became (daxctl / cxl -X target_node). */
function joinRegions(facts: MachineFacts, warnings: string[]): Set<number> {
  const joined = new Set<number>()
  for (const [region, info] of facts.cxlRegions) {
    const node = facts.regionNode.get(region)
    if (node === undefined) {
      warnings.push(
        `CXL ${region} (${info.sizeBytes} bytes) has no DAX device onlined as system RAM in the files; add \`daxctl list\` output to join it to its NUMA node`,
      )
      continue
    }
    const n = facts.nodes.get(node)
    if (!n) {
      warnings.push(
        `CXL ${region} became node ${node}, which no other file lists; add \`numactl --hardware\` or sysfs for its size and distances`,
      )
      continue
    }
    n.cxl = {
      region,
      interleaveWays: info.interleaveWays,
      sizeBytes: info.sizeBytes,
      memdevs: info.memdevs,
    }
    if (!n.kind || n.kind === 'dram') n.kind = info.type === 'pmem' ? 'pmem' : 'cxl'
    if (n.capacityBytes === undefined) n.capacityBytes = info.sizeBytes
    joined.add(node)
  }
  return joined
}

function applyCurves(
  components: ComponentInput[],
  curves: CurveForNode[],
  nodes: NodeFacts[],
  compId: (n: NodeFacts) => string,
  warnings: string[],
): void {
  for (const { node, curve, file } of curves) {
    const target = nodes.find((n) => n.node === node)
    const ids =
      node === undefined
        ? nodes.filter((n) => (n.cpus ?? 0) > 0).map(compId)
        : target
          ? [compId(target)]
          : []
    if (ids.length === 0)
      throw new ImportError(
        file,
        `--curve names node ${node}, which the machine files do not list; use one of ${nodes.map((n) => n.node).join(', ')}`,
      )
    for (const id of ids) {
      const c = components.find((x) => x.id === id)
      if (c && 'memory' in c) c.memory.loadedLatency = curve.points
    }
    if (node === undefined)
      warnings.push(
        `${file}: the ${curve.format === 'mlc' ? 'MLC' : 'Mess'} curve applies to every socket's DRAM; name a node with --curve NODE=FILE to attach it to one`,
      )
  }
}

/** The machine's kernel tiers (sysfs memory_tiering) against what Tierlab computes from the same data. */
function compareKernelTiers(topology: Topology, facts: MachineFacts, warnings: string[]): void {
  if (!facts.kernelTiers) return
  const analysis = analyzeTopology(topology)
  const machineNodes = topology.measured?.machineNodes ?? []
  const ours = new Map<number, number>()
  analysis.nodes.forEach((n) => ours.set(machineNodes[n.node] ?? n.node, n.tier))
  // Group by tier on both sides: the same partition of nodes means the same tiering.
  const partition = (m: Map<number, number>) =>
    JSON.stringify(
      [...new Set(m.values())]
        .sort((a, b) => a - b)
        .map((t) =>
          [...m]
            .filter(([, v]) => v === t)
            .map(([k]) => k)
            .sort((a, b) => a - b),
        ),
    )
  const kernel = new Map<number, number>()
  for (const [tier, ids] of facts.kernelTiers)
    for (const id of ids) if (ours.has(id)) kernel.set(id, tier)
  if (kernel.size === ours.size && partition(kernel) !== partition(ours))
    warnings.push(
      `the machine's kernel groups the nodes into tiers ${partition(kernel)} but Tierlab computes ${partition(ours)} from the imported data; its firmware data or kernel version differ, compare analyze's adistances`,
    )
}
