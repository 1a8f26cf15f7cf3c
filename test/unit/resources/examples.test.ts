import { describe, expect, it, vi } from 'vitest'
import type { RunSummaryMetrics } from '../../../shared/runs'
import { BUILTIN_POLICIES, runSimulation } from '../../../main/engine'
import {
  exampleFiles,
  readExample,
  resolveExample,
  runScaled,
  scaleExperiment,
} from './example-runs'

/**
 * Every shipped example states its expected outcome in its notes; these tests run each one at a
 * reduced size (example-runs.ts scales memory, threads and byte knobs together, so warm-up and
 * per-page access rates match the full run) and check that outcome. The engine changes under
 * these tests, so they compare policies with each other, with margins, never absolute figures.
 */
vi.setConfig({ testTimeout: 300_000 })

/** 4 KiB examples run at 1/64 of their memory; the 2 MiB GPU one at 1/2 (thread counts stay real). */
const SCALE_4K = 1 / 64
const SCALE_GPU = 1 / 2

type Policy = { id: string; params?: Record<string, unknown> }
const FIRST_TOUCH: Policy = { id: 'first-touch' }
const ORACLE: Policy = { id: 'oracle', params: { migrationBudgetMBps: 2048 } }
const nbt = (params: Record<string, unknown> = {}): Policy => ({
  id: 'numa-balancing-tiering',
  params,
})

const cache = new Map<string, RunSummaryMetrics>()
/** The example's summary with another policy (or its own), at `scale`; runs once per key. */
async function run(file: string, policy: Policy | null, scale: number) {
  const key = `${file}|${JSON.stringify(policy)}|${scale}`
  const hit = cache.get(key)
  if (hit) return hit
  const raw = readExample(file)
  const summary = runScaled(await resolveExample(raw, policy ?? undefined), scale)
  cache.set(key, summary)
  return summary
}

type RunResult = ReturnType<typeof runSimulation>
const fullCache = new Map<string, RunResult>()
/** Like `run`, with the per-process results and the series (the GPU example needs them). */
async function runFull(file: string, policy: Policy | null, scale: number) {
  const key = `${file}|${JSON.stringify(policy)}|${scale}`
  const hit = fullCache.get(key)
  if (hit) return hit
  const exp = scaleExperiment(await resolveExample(readExample(file), policy ?? undefined), scale)
  const result = runSimulation(exp, BUILTIN_POLICIES)
  fullCache.set(key, result)
  return result
}

const hit = (s: RunSummaryMetrics) => s.topTierHitRatio
const lat = (s: RunSummaryMetrics) => s.meanLatencyNs
const ops = (s: RunSummaryMetrics) => s.throughputOpsPerS

/** The three KV examples share a machine and workload: one run per policy serves all three. */
async function kvTrio() {
  const file = 'kv-store-first-touch.json'
  return {
    ft: await run(file, FIRST_TOUCH, SCALE_4K),
    nb: await run(file, nbt(), SCALE_4K),
    or: await run(file, ORACLE, SCALE_4K),
  }
}

const OUTCOMES: Record<string, () => Promise<void>> = {
  'kv-store-first-touch.json': async () => {
    const { ft, nb, or } = await kvTrio()
    // "a top-tier hit ratio near the DRAM share (about 0.65) … both do better"
    expect(hit(ft)).toBeGreaterThan(0.55)
    expect(hit(ft)).toBeLessThan(0.75)
    expect(hit(nb)).toBeGreaterThan(hit(ft) + 0.1)
    expect(hit(or)).toBeGreaterThan(hit(ft) + 0.1)
    expect(lat(ft)).toBeGreaterThan(lat(nb) * 1.08)
    expect(lat(ft)).toBeGreaterThan(lat(or) * 1.08)
  },
  'kv-store-numa-tiering.json': async () => {
    const { ft, or } = await kvTrio()
    const nb = await run('kv-store-numa-tiering.json', null, SCALE_4K)
    // "well above first-touch's hit ratio … mean latency about a fifth lower … oracle ahead"
    expect(hit(nb)).toBeGreaterThan(hit(ft) + 0.15)
    expect(lat(nb)).toBeLessThan(lat(ft) * 0.9)
    expect(hit(or)).toBeGreaterThanOrEqual(hit(nb) - 0.01)
  },
  'kv-store-oracle.json': async () => {
    const { ft, nb } = await kvTrio()
    const or = await run('kv-store-oracle.json', null, SCALE_4K)
    // "the highest hit ratio and the lowest mean latency, at or above NUMA balancing"
    expect(hit(or)).toBeGreaterThanOrEqual(Math.max(hit(ft), hit(nb)) - 0.01)
    expect(lat(or)).toBeLessThanOrEqual(Math.min(lat(ft), lat(nb)) * 1.01)
    expect(ops(or)).toBeGreaterThanOrEqual(Math.max(ops(ft), ops(nb)) * 0.99)
  },
  'kv-store-hot-threshold-sweep.json': async () => {
    const file = 'kv-store-hot-threshold-sweep.json'
    const ft = await run(file, FIRST_TOUCH, SCALE_4K)
    const [t50, t1000, t5000] = await Promise.all(
      [50, 1000, 5000].map((ms) => run(file, nbt({ hotThresholdMs: ms }), SCALE_4K)),
    )
    // "promoted bytes grow with the threshold, throughput falls, every threshold beats first-touch"
    expect(t50.promotedBytes).toBeLessThan(t1000.promotedBytes)
    expect(t1000.promotedBytes).toBeLessThan(t5000.promotedBytes)
    expect(ops(t50)).toBeGreaterThan(ops(t5000))
    for (const s of [t50, t1000, t5000]) expect(hit(s)).toBeGreaterThan(hit(ft) + 0.1)
  },
  'phase-shift-rate-limit-sweep.json': async () => {
    const file = 'phase-shift-rate-limit-sweep.json'
    const ft = await run(file, FIRST_TOUCH, SCALE_4K)
    const [r16, r256, r65536] = await Promise.all(
      [16, 256, 65536].map((mbps) =>
        run(file, nbt({ rateLimitMBps: mbps, thresholdAutoAdjust: false }), SCALE_4K),
      ),
    )
    // "hit ratio rises with the limit; 16 MB/s level with first-touch; 256 MB/s does best; the
    // default's synchronous promotions cost more than they save"
    expect(hit(r16)).toBeLessThan(hit(r256))
    expect(hit(r256)).toBeLessThan(hit(r65536))
    expect(Math.abs(ops(r16) / ops(ft) - 1)).toBeLessThan(0.02)
    expect(ops(r256)).toBeGreaterThan(ops(r16))
    expect(ops(r256)).toBeGreaterThan(ops(r65536) * 1.05)
    expect(ops(r65536)).toBeLessThan(ops(ft))
  },
  'gpu-embeddings-grace-hopper.json': async () => {
    const file = 'gpu-embeddings-grace-hopper.json'
    const ft = await run(file, FIRST_TOUCH, SCALE_GPU)
    const nb = await run(file, null, SCALE_GPU)
    // "NUMA balancing ends within a few per cent of first-touch"
    expect(Math.abs(ops(nb) / ops(ft) - 1)).toBeLessThan(0.03)
  },
  'gpu-driver-managed-grace-hopper.json': async () => {
    const file = 'gpu-driver-managed-grace-hopper.json'
    const ft = await runFull(file, FIRST_TOUCH, SCALE_GPU)
    const nb = await runFull(file, nbt(), SCALE_GPU)
    const gac = await runFull(file, null, SCALE_GPU)
    const trainer = (r: RunResult) => r.processes.find((p) => p.id === 'trainer')!.throughputOpsPerS
    const loader = (r: RunResult) => r.processes.find((p) => p.id === 'loader')!.throughputOpsPerS
    // "NUMA balancing in tiering mode ends level with first-touch (within 2 %) and takes no hint
    // fault from the GPU"
    expect(Math.abs(trainer(nb) / trainer(ft) - 1)).toBeLessThan(0.02)
    expect(nb.summary.hintFaults).toBe(0)
    // "moves the tables into HBM … zero hint faults and no eviction … the trainer's throughput
    // ends well above both (at least 1.2x); the loader gains too"
    expect(gac.summary.hintFaults).toBe(0)
    const held = gac.series.find((s) => s.key === 'policy.gpuMigratedBytes')!.values
    expect(held.at(-1)).toBeGreaterThan(0.9 * 12 * 2 ** 30 * SCALE_GPU)
    const evicted = gac.series.find((s) => s.key === 'policy.evictedBytesPerS')!.values
    expect(Math.max(...evicted)).toBe(0)
    expect(trainer(gac)).toBeGreaterThan(1.2 * Math.max(trainer(ft), trainer(nb)))
    expect(loader(gac)).toBeGreaterThan(loader(ft))
  },
  'policy-library-kv-store.json': async () => {
    const file = 'policy-library-kv-store.json'
    // The set the notes' sweep runs: every built-in policy at its defaults, but the GPU one.
    const ids = BUILTIN_POLICIES.list()
      .map((p) => p.id)
      .filter((id) => id !== 'gpu-access-counters')
    expect(String(readExample(file).notes)).toContain(`--values ${ids.join(',')}`)
    const by: Record<string, RunSummaryMetrics> = {}
    for (const id of ids) by[id] = await run(file, { id }, SCALE_4K)
    const ft = by['first-touch']
    // "the policies that track hotness … a clearly higher top-tier hit ratio and a lower mean
    // latency than first-touch"
    for (const id of [
      'numa-balancing-tiering',
      'colloid',
      'nomad',
      'memtis',
      'hemem',
      'pghot',
      'tpp',
    ]) {
      expect(hit(by[id]), id).toBeGreaterThan(hit(ft) + 0.05)
      expect(lat(by[id]), id).toBeLessThan(lat(ft) * 0.97)
    }
    // "interleave and weighted-interleave … hit DRAM less than first-touch"
    for (const id of ['interleave', 'weighted-interleave'])
      expect(hit(by[id]), id).toBeLessThan(hit(ft) - 0.03)
    // "numa-balancing at its default mode 1 … damon-tiering at mtier's goals … level with
    // first-touch"
    for (const id of ['numa-balancing', 'damon-tiering'])
      expect(Math.abs(hit(by[id]) - hit(ft)), id).toBeLessThan(0.02)
    // "the policies that promote in the faulting task … end below first-touch in ops/s despite
    // their hit ratio; the ones that sample and migrate from a background thread … level with
    // first-touch or above it"
    for (const id of ['numa-balancing-tiering', 'tpp', 'colloid'])
      expect(ops(by[id]), id).toBeLessThan(ops(ft) * 0.97)
    for (const id of ['memtis', 'pghot', 'nomad', 'hemem'])
      expect(ops(by[id]), id).toBeGreaterThan(ops(ft) * 0.98)
    // "the oracle … the highest hit ratio, the lowest mean latency and the highest throughput"
    const others = ids.filter((id) => id !== 'oracle').map((id) => by[id])
    expect(hit(by.oracle)).toBeGreaterThanOrEqual(Math.max(...others.map(hit)) - 0.01)
    expect(lat(by.oracle)).toBeLessThanOrEqual(Math.min(...others.map(lat)) * 1.01)
    expect(ops(by.oracle)).toBeGreaterThanOrEqual(Math.max(...others.map(ops)) * 0.99)
  },
  'two-tenants-pooled-switch.json': async () => {
    const file = 'two-tenants-pooled-switch.json'
    const ft = await run(file, FIRST_TOUCH, SCALE_4K)
    const nb = await run(file, null, SCALE_4K)
    const or = await run(file, ORACLE, SCALE_4K)
    // "hit ratio well above first-touch's, throughput below it (synchronous promotion cost), the
    // oracle's hit ratio higher still"
    expect(hit(nb)).toBeGreaterThan(hit(ft) + 0.07)
    expect(ops(nb)).toBeLessThan(ops(ft))
    expect(hit(or)).toBeGreaterThan(hit(nb))
  },
}

describe('shipped examples show what their notes say', () => {
  it('every example has its outcome checked here, and every note states one', () => {
    expect(Object.keys(OUTCOMES).sort()).toEqual(exampleFiles())
    for (const f of exampleFiles()) expect(String(readExample(f).notes)).toMatch(/Expected:/)
  })

  it('cites real sources, never internal documents', () => {
    for (const f of exampleFiles()) {
      const notes = String(readExample(f).notes)
      expect(notes).not.toMatch(/tiering-facts|DESIGN\.md|reference\/|\[[A-Z-]+\]/)
    }
  })

  it.each(Object.keys(OUTCOMES))('%s', async (file) => {
    await OUTCOMES[file]()
  })
})
