/**
 * Seeded random machines for the kernel-oracle test: 1–4 sockets, 0–4 CXL expanders, 0–2 switches,
 * 0–2 GPUs (coherent or not), fractional latencies and bandwidths that exercise the kernel's integer
 * truncation, DRAM references that sit inside, exactly on, or beyond the 10 % rule, and now and
 * then memory that reports no performance data or has no capacity.
 */
import type { TopologyInput } from '../../../../../shared/formats/topology'

/** mulberry32: small, seeded, good enough to vary test inputs. */
export function rng(seed: number) {
  let a = seed >>> 0
  const next = () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
  const int = (lo: number, hi: number) => lo + Math.floor(next() * (hi - lo + 1))
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(next() * xs.length)]
  // One decimal place, so that ns and MB/s values get truncated to integers.
  const frac = (lo: number, hi: number) => Math.round((lo + next() * (hi - lo)) * 10) / 10
  return { next, int, pick, frac, chance: (p: number) => next() < p }
}

type Rng = ReturnType<typeof rng>
type Component = TopologyInput['components'][number]
type Link = NonNullable<TopologyInput['links']>[number]

function mem(r: Rng, latNs: number, bwGBps: number, capacityGiB = r.pick([16, 64, 128, 256])) {
  return {
    capacityGiB,
    readLatencyNs: latNs,
    writeLatencyNs: r.chance(0.3) ? r.frac(latNs, latNs * 1.3) : latNs,
    readBandwidthGBps: bwGBps,
    writeBandwidthGBps: r.chance(0.3) ? r.frac(bwGBps * 0.5, bwGBps) : bwGBps,
    ...(r.chance(0.08) ? { reportsPerformance: false } : {}),
  }
}

function dramFor(r: Rng, refLat: number, refBw: number, first: boolean) {
  if (first) return { lat: refLat, bw: refBw }
  const mode = r.pick(['same', 'same', 'inside', 'edge', 'beyond'] as const)
  if (mode === 'same') return { lat: refLat, bw: refBw }
  if (mode === 'inside') return { lat: r.frac(refLat * 0.95, refLat * 1.05), bw: refBw }
  // Exactly 10 % off: allowed, since the kernel tests |d|·10 > ref.
  if (mode === 'edge') return { lat: Math.round(refLat * 1.1), bw: Math.round(refBw * 0.9) }
  return { lat: r.frac(refLat * 1.12, refLat * 1.4), bw: refBw }
}

export function randomTopology(seed: number): TopologyInput {
  const r = rng(seed)
  const components: Component[] = []
  const links: Link[] = []
  const nSockets = r.int(1, 4)
  const refLat = r.pick([80, 89, 97.6, 110, 121.3])
  const refBw = r.pick([176, 300, 307.2, 460.8])
  const sockets: string[] = []
  for (let i = 0; i < nSockets; i++) {
    const d = dramFor(r, refLat, refBw, i === 0)
    const m = mem(r, d.lat, d.bw)
    if (i === 0) Object.assign(m, { writeLatencyNs: d.lat, writeBandwidthGBps: d.bw })
    components.push({ id: `s${i}`, kind: 'socket', cores: r.int(8, 96), memory: m })
    sockets.push(`s${i}`)
  }
  for (let i = 1; i < nSockets; i++) {
    links.push({
      a: `s${i - 1}`,
      b: `s${i}`,
      kind: 'upi',
      latencyNs: r.frac(30, 80),
      bandwidthGBps: r.frac(40, 120),
    })
  }
  if (nSockets === 4 && r.chance(0.5)) {
    links.push({ a: 's0', b: 's3', kind: 'upi', latencyNs: r.frac(30, 80), bandwidthGBps: 60 })
  }
  const attach: string[] = [...sockets]
  const nSwitches = r.int(0, 2)
  for (let i = 0; i < nSwitches; i++) {
    const id = `sw${i}`
    components.push({ id, kind: 'cxl-switch', latencyNs: r.frac(0, 100) })
    const ups = r.chance(0.4) && nSockets > 1 ? 2 : 1
    const first = r.int(0, nSockets - 1)
    for (let u = 0; u < ups; u++) {
      links.push({
        a: sockets[(first + u) % nSockets],
        b: id,
        kind: 'cxl',
        generation: r.pick([4, 5, 6]),
        lanes: r.pick([8, 16] as const),
        latencyNs: r.frac(10, 60),
      })
    }
    attach.push(id)
  }
  const nCxl = r.int(0, 4)
  for (let i = 0; i < nCxl; i++) {
    const id = `c${i}`
    const m = mem(r, r.frac(90, 400), r.frac(8, 80), r.chance(0.07) ? 0 : 128)
    components.push({ id, kind: 'cxl-memory', memory: m })
    const to = r.pick(attach)
    links.push(
      r.chance(0.7)
        ? {
            a: to,
            b: id,
            kind: 'cxl',
            generation: r.pick([3, 4, 5, 6]),
            lanes: r.pick([4, 8, 16] as const),
            latencyNs: r.frac(20, 120),
          }
        : { a: to, b: id, kind: 'cxl', latencyNs: r.frac(20, 120), bandwidthGBps: r.frac(5, 70) },
    )
  }
  const nGpus = r.int(0, 2)
  for (let i = 0; i < nGpus; i++) {
    const id = `g${i}`
    const m = mem(r, r.frac(80, 400), r.frac(1000, 3500), r.pick([16, 80, 96]))
    components.push({ id, kind: 'gpu', coherent: r.chance(0.6), memory: m })
    const to = r.pick(sockets)
    links.push(
      r.chance(0.5)
        ? { a: to, b: id, kind: 'nvlink-c2c', latencyNs: r.frac(20, 200), bandwidthGBps: 450 }
        : { a: to, b: id, kind: 'pcie', generation: 5, lanes: 16, latencyNs: r.frac(100, 400) },
    )
  }
  // Shuffle the non-socket components so NUMA numbering follows file order, not kind.
  const rest = components.slice(nSockets)
  for (let i = rest.length - 1; i > 0; i--) {
    const j = r.int(0, i)
    ;[rest[i], rest[j]] = [rest[j], rest[i]]
  }
  const interleaved = r.chance(0.3)
    ? [rest[0], ...components.slice(0, nSockets), ...rest.slice(1)].filter(Boolean)
    : [...components.slice(0, nSockets), ...rest]
  return {
    format: 'tierlab.topology/v1',
    name: `random ${seed}`,
    components: interleaved,
    links,
  }
}
