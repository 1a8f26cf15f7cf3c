/**
 * An independent re-implementation of how Linux turns a machine into memory tiers, written from the
 * kernel sources and not from main/engine/topology, so that the two can check each other:
 * - HMAT access1 (ACCESS_COORDINATE_CPU): per metric, the best value over CPU initiators
 *   (drivers/acpi/numa/hmat.c hmat_update_target_attrs), as integers (ns, MB/s);
 * - the DRAM reference: the first CPU+memory node; a later one differing by more than 10 % in any
 *   metric disables the performance algorithm (mm/memory-tiers.c mt_set_default_dram_perf), and
 *   hmat_set_default_dram_perf stops at the first node it cannot use;
 * - adist = 576 · (Rlat+Wlat)/(Rlat_dram+Wlat_dram) · (Rbw_dram+Wbw_dram)/(Rbw+Wbw), evaluated left
 *   to right in 32-bit unsigned C arithmetic (mt_perf_to_adistance);
 * - tiers by adist >> 7, the top tier, and demotion targets: the next existing tier's nodes picked by
 *   find_next_best_node (mm/page_alloc.c: +1 for a lower node id, +1 for a node with CPUs, then
 *   node_load left over from build_all_zonelists) while the SLIT distance stays the first one's
 *   (establish_demotion_targets).
 * The path model (device latency + link and switch latencies; bandwidth the minimum along the path)
 * is Tierlab's own (DESIGN.md §2); the SLIT table is taken from the analysis under test.
 */
import type { Topology } from '../../../../../shared/formats/topology'
import { linkBandwidthGBps } from '../../../../../shared/units'

// [MTH] include/linux/memory-tiers.h
const CHUNK_BITS = 7
const ADIST_DRAM = 4 * 128 + 64
// [KMEM] drivers/dax/kmem.c: a kmem (CXL) node keeps this when no algorithm gives a value.
const ADIST_DAX_DEFAULT = 5 * ADIST_DRAM
// A typical x86-64 distribution kernel: CONFIG_NODES_SHIFT=10.
const MAX_NUMNODES = 1024

export interface OracleCoord {
  readLatencyNs: number
  writeLatencyNs: number
  readBandwidthMBps: number
  writeBandwidthMBps: number
}

export interface OracleNode {
  node: number
  component: string
  hasCpu: boolean
  hasMemory: boolean
  /** Hardware access1 before the firmware decides whether to report it. */
  access1: OracleCoord | null
  adistance: number
  tier: number
}

export interface OracleResult {
  nodes: OracleNode[]
  tiers: { tier: number; nodes: number[] }[]
  topTierAdistance: number
  demotionTargets: Record<string, number[]>
}

const ZERO: OracleCoord = {
  readLatencyNs: 0,
  writeLatencyNs: 0,
  readBandwidthMBps: 0,
  writeBandwidthMBps: 0,
}

interface Route {
  readLatencyNs: number
  writeLatencyNs: number
  readBandwidthGBps: number
  writeBandwidthGBps: number
}

/** Best route from one socket to every memory component: least latency, then most bandwidth. */
function routesFrom(topo: Topology, start: string): Map<string, Route> {
  const byId = new Map(topo.components.map((c) => [c.id, c]))
  const adj = new Map<string, { to: string; latencyNs: number; bandwidthGBps: number }[]>()
  for (const l of topo.links) {
    const bw = l.bandwidthGBps ?? linkBandwidthGBps(l.generation ?? 0, l.lanes ?? 0)
    for (const [x, y] of [
      [l.a, l.b],
      [l.b, l.a],
    ] as const) {
      if (!adj.has(x)) adj.set(x, [])
      adj.get(x)!.push({ to: y, latencyNs: l.latencyNs, bandwidthGBps: bw })
    }
  }
  // Exhaustive simple-path search: topologies here are small, and it needs no tie rules.
  const best = new Map<string, { latencyNs: number; bandwidthGBps: number }>()
  const walk = (at: string, seen: Set<string>, latencyNs: number, bandwidthGBps: number) => {
    const prev = best.get(at)
    if (
      !prev ||
      latencyNs < prev.latencyNs - 1e-9 ||
      (Math.abs(latencyNs - prev.latencyNs) <= 1e-9 && bandwidthGBps > prev.bandwidthGBps)
    ) {
      best.set(at, { latencyNs, bandwidthGBps })
    }
    const here = byId.get(at)!
    // Requests pass through sockets (UPI, host bridges) and switches, never through an endpoint.
    if (at !== start && here.kind !== 'socket' && here.kind !== 'cxl-switch') return
    for (const e of adj.get(at) ?? []) {
      if (seen.has(e.to)) continue
      const next = byId.get(e.to)!
      // A CXL switch forwards host requests down to devices, never across to another host.
      if (here.kind === 'cxl-switch' && next.kind === 'socket') continue
      const sw = next.kind === 'cxl-switch' ? next.latencyNs : 0
      seen.add(e.to)
      walk(e.to, seen, latencyNs + e.latencyNs + sw, Math.min(bandwidthGBps, e.bandwidthGBps))
      seen.delete(e.to)
    }
  }
  walk(start, new Set([start]), 0, Infinity)
  const out = new Map<string, Route>()
  for (const [id, r] of best) {
    const c = byId.get(id)!
    if (!('memory' in c)) continue
    out.set(id, {
      readLatencyNs: c.memory.readLatencyNs + r.latencyNs,
      writeLatencyNs: c.memory.writeLatencyNs + r.latencyNs,
      readBandwidthGBps: Math.min(c.memory.readBandwidthGBps, r.bandwidthGBps),
      writeBandwidthGBps: Math.min(c.memory.writeBandwidthGBps, r.bandwidthGBps),
    })
  }
  return out
}

/** `a*b/c*d/e` left to right in C unsigned int arithmetic (mt_perf_to_adistance). */
function u32Chain(a: number, lat: number, latRef: number, bwRef: number, bw: number): number {
  const M = 1n << 32n
  let x = (BigInt(a) * BigInt(lat)) % M
  x = x / BigInt(latRef)
  x = (x * BigInt(bwRef)) % M
  x = x / BigInt(bw)
  return Number(x)
}

/**
 * @param distance the SLIT table of the analysis under test (Tierlab's own convention)
 * @param daxComponents component kinds the kernel onlines through dax/kmem (default adist 2880)
 */
export function kernelOracle(topo: Topology, distance: number[][]): OracleResult {
  const sockets = topo.components.filter((c) => c.kind === 'socket')
  const others = topo.components.filter(
    (c) => c.kind === 'cxl-memory' || (c.kind === 'gpu' && c.coherent),
  )
  const ordered = [...sockets, ...others]
  const routes = new Map(sockets.map((s) => [s.id, routesFrom(topo, s.id)]))

  const hw: (OracleCoord | null)[] = ordered.map((c) => {
    // HMAT values are integers: ns (rounded up) and MB/s (rounded down).
    const coords = sockets
      .map((s) => routes.get(s.id)!.get(c.id))
      .filter((r) => r !== undefined)
      .map((r) => ({
        readLatencyNs: Math.ceil(r.readLatencyNs - 1e-9),
        writeLatencyNs: Math.ceil(r.writeLatencyNs - 1e-9),
        readBandwidthMBps: Math.floor(r.readBandwidthGBps * 1000 + 1e-9),
        writeBandwidthMBps: Math.floor(r.writeBandwidthGBps * 1000 + 1e-9),
      }))
    if (coords.length === 0) return null
    // hmat_update_target_attrs: for write latency, read latency, write bandwidth, read bandwidth in
    // turn, keep only the initiators that are best so far, and record the best value of each.
    let cands = coords
    const keep = (key: keyof OracleCoord, better: (a: number, b: number) => boolean) => {
      let best = cands[0][key]
      for (const x of cands) if (better(x[key], best)) best = x[key]
      cands = cands.filter((x) => x[key] === best)
      return best
    }
    const writeLatencyNs = keep('writeLatencyNs', (a, b) => a < b)
    const readLatencyNs = keep('readLatencyNs', (a, b) => a < b)
    const writeBandwidthMBps = keep('writeBandwidthMBps', (a, b) => a > b)
    const readBandwidthMBps = keep('readBandwidthMBps', (a, b) => a > b)
    return { readLatencyNs, writeLatencyNs, readBandwidthMBps, writeBandwidthMBps }
  })
  const reported = ordered.map((c, i) =>
    'memory' in c && c.memory.reportsPerformance && hw[i] ? hw[i]! : ZERO,
  )
  const hasMemory = ordered.map((c) => 'memory' in c && c.memory.capacityGiB > 0)
  const hasCpu = ordered.map((c) => c.kind === 'socket')

  // hmat_set_default_dram_perf over default_dram_nodes (N_MEMORY & N_CPU), ascending; it returns
  // at the first node mt_set_default_dram_perf refuses.
  let ref: OracleCoord | null = null
  let perfError = false // default_dram_perf_error: every later mt_perf_to_adistance gives -EIO
  let hmatRegistered = true // hmat_init registers its notifier only if the loop above succeeded
  for (let n = 0; n < ordered.length; n++) {
    if (!hasMemory[n] || !hasCpu[n]) continue
    const p = reported[n]
    if (
      p.readLatencyNs + p.writeLatencyNs === 0 ||
      p.readBandwidthMBps + p.writeBandwidthMBps === 0
    ) {
      hmatRegistered = false // -EINVAL
      break
    }
    if (!ref) {
      ref = p
      continue
    }
    const off = (a: number, b: number) => Math.abs(a - b) * 10 > b
    if (
      off(p.readLatencyNs, ref.readLatencyNs) ||
      off(p.writeLatencyNs, ref.writeLatencyNs) ||
      off(p.readBandwidthMBps, ref.readBandwidthMBps) ||
      off(p.writeBandwidthMBps, ref.writeBandwidthMBps)
    ) {
      perfError = true
      hmatRegistered = false
      break
    }
  }

  const adist = ordered.map((c, n) => {
    // CXL memory gets its adist from the CXL region's own notifier (drivers/cxl/core/region.c),
    // sockets and GPUs only from HMAT's; kmem-onlined CXL memory defaults to 2880, the rest to 576.
    const cxlMemory = c.kind === 'cxl-memory'
    const fallback = cxlMemory ? ADIST_DAX_DEFAULT : ADIST_DRAM
    if (!cxlMemory && !hmatRegistered) return fallback
    if (perfError || !ref) return fallback
    const p = reported[n]
    const lat = p.readLatencyNs + p.writeLatencyNs
    const bw = p.readBandwidthMBps + p.writeBandwidthMBps
    if (lat === 0 || bw === 0) return fallback
    return u32Chain(
      ADIST_DRAM,
      lat,
      ref.readLatencyNs + ref.writeLatencyNs,
      ref.readBandwidthMBps + ref.writeBandwidthMBps,
      bw,
    )
  })
  const tierOf = (n: number) => adist[n] >> CHUNK_BITS

  const tierIds = [
    ...new Set(
      ordered
        .map((_, n) => n)
        .filter((n) => hasMemory[n])
        .map(tierOf),
    ),
  ]
  tierIds.sort((a, b) => a - b)
  const tiers = tierIds.map((t) => ({
    tier: t,
    nodes: ordered.map((_, n) => n).filter((n) => hasMemory[n] && tierOf(n) === t),
  }))

  // node_load as __build_all_zonelists leaves it: every online node builds its zonelist.
  const N = ordered.length
  const memNodes = ordered.map((_, n) => n).filter((n) => hasMemory[n])
  const online = ordered.map((_, n) => n).filter((n) => hasMemory[n] || hasCpu[n])
  const load = new Array<number>(N).fill(0)
  const nextBest = (node: number, used: Set<number>): number => {
    if (!used.has(node)) {
      used.add(node)
      return node
    }
    let min = Number.MAX_SAFE_INTEGER
    let best = -1
    for (const n of memNodes) {
      if (used.has(n)) continue
      let val = distance[node][n]
      val += n < node ? 1 : 0
      if (hasCpu[n]) val += 1 // PENALTY_FOR_NODE_WITH_CPUS
      val = val * MAX_NUMNODES + load[n]
      if (val < min) {
        min = val
        best = n
      }
    }
    if (best >= 0) used.add(best)
    return best
  }
  for (const local of online) {
    const used = new Set<number>()
    let prev = local
    for (let node = nextBest(local, used); node >= 0; node = nextBest(local, used)) {
      if (distance[local][node] !== distance[local][prev]) load[node] += 1
      prev = node
    }
  }

  const demotionTargets: Record<string, number[]> = {}
  for (const node of memNodes) {
    demotionTargets[String(node)] = []
    const ti = tierIds.indexOf(tierOf(node))
    if (ti === tierIds.length - 1) continue
    const lower = new Set(tiers[ti + 1].nodes)
    const used = new Set(memNodes.filter((m) => !lower.has(m)))
    let bestDistance = -1
    const preferred: number[] = []
    for (;;) {
      const target = nextBest(node, used)
      if (target < 0) break
      const d = distance[node][target]
      if (bestDistance === -1 || d === bestDistance) {
        bestDistance = d
        preferred.push(target)
      } else break
    }
    demotionTargets[String(node)] = preferred.sort((a, b) => a - b)
  }

  let topTierAdistance = 0
  for (let i = tiers.length - 1; i >= 0; i--) {
    if (tiers[i].nodes.some((n) => hasCpu[n])) {
      topTierAdistance = (tiers[i].tier << CHUNK_BITS) + (1 << CHUNK_BITS) - 1
      break
    }
  }

  return {
    nodes: ordered.map((c, n) => ({
      node: n,
      component: c.id,
      hasCpu: hasCpu[n],
      hasMemory: hasMemory[n],
      access1: hw[n],
      adistance: adist[n],
      tier: tierOf(n),
    })),
    tiers,
    topTierAdistance,
    demotionTargets,
  }
}
