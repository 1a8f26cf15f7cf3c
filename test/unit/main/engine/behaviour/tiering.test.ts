import { describe, expect, it } from 'vitest'
import { BUILTIN_POLICIES, runSimulation, type SimulationResult } from '../../../../../main/engine'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { CXL, DRAM, experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

const series = (r: SimulationResult, key: string) => r.series.find((s) => s.key === key)!.values
const last = (v: number[]) => v[v.length - 1]
const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length

describe('tiering behaviour', () => {
  // 256 MiB hot-set workload on 128 MiB DRAM + 512 MiB CXL: the working set is twice DRAM.
  // 20 % of pages take 99.9 % of accesses; cold pages see ~0.07 accesses/s, hot ones ~100/s.
  const topo = socketPlusCxl(1 / 8, 1 / 2)
  const wl = singleRegion(
    0.25,
    { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.999 },
    { threads: 1, computeNsPerOp: 300 },
  )
  const run = (policy: string, params: Record<string, unknown> = {}) =>
    runSimulation(
      experiment(topo, wl, policy, params, { pageBytes: 4096, durationS: 10 }),
      BUILTIN_POLICIES,
    )

  it('numa-balancing-tiering moves hot pages that first-touch leaves on CXL', () => {
    const ft = run('first-touch')
    const nb = run('numa-balancing-tiering')
    // First touch fills DRAM with the first half of a shuffled region: about half the hot pages
    // stay on CXL for good, so the hit ratio stays near 0.5.
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.55)
    expect(ft.summary.migratedBytes).toBe(0)
    // The hottest heatmap bin sits half on tier ordinal 1 under first touch, mostly on 0 after
    // NUMA balancing has run.
    expect(last(ft.heatmap.values.slice(-64, -63))).toBeGreaterThan(0.3)
    expect(last(nb.heatmap.values.slice(-64, -63))).toBeLessThan(0.15)
    // The hot set (51 MiB) fits DRAM: at the end nearly all accesses hit the top tier.
    expect(last(series(nb, 'topTierHitRatio'))).toBeGreaterThan(0.9)
    expect(nb.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.2)
    expect(nb.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.05)
    expect(nb.summary.hintFaults).toBeGreaterThan(0)
  })

  it('the scanner slows down once it promotes, as tiering mode counts only promoted faults', () => {
    // RSS 256 MiB is one 256 MB window: task_scan_min = 1000 ms, task_scan_max = 60 s [FAIR].
    // Promoted faults count as remote and private, so local + shared = 0 and the period doubles
    // after every pass that promoted. (A pass here is a marking window and then an empty one:
    // CXL pages are spread over every 2 MiB range, so the first window uses up its budget right
    // at the end.) Sync: marks at 1, 4 and 10 s; async leaves every fault uncounted, so its
    // scanner keeps 1 s: marks every 2 s.
    // Uniform accesses, ~40/s per page: a marked page on CXL faults within tens of ms at full
    // speed, so the faults follow the scans. Under sync each promotion costs the one thread a
    // single-folio migration, ~38 µs [MIGOFF]: a pass's ~33 000 promotions take ~1.25 s of its
    // time, so the stalled process (and with it its fault arrivals) runs into the next second.
    // A burst is therefore counted where it starts.
    const warm = singleRegion(0.25, { kind: 'uniform' }, { threads: 1, computeNsPerOp: 300 })
    const long = (promotion: string) =>
      runSimulation(
        experiment(
          topo,
          warm,
          'numa-balancing-tiering',
          { promotion },
          {
            pageBytes: 4096,
            durationS: 20,
          },
        ),
        BUILTIN_POLICIES,
      )
    const sync = long('sync')
    const async = long('async')
    // Seconds in which a pass marked pages: each burst of faults follows a scan and starts in a
    // second after one without a burst.
    const bursts = (r: SimulationResult) => {
      const v = series(r, 'hintFaultsPerS')
      const perS = v.length / 20
      const busy = Array.from(
        { length: 20 },
        (_, s) => mean(v.slice(s * perS, (s + 1) * perS)) > 1000,
      )
      return busy.map((b, s) => (b && (s === 0 || !busy[s - 1]) ? s : -1)).filter((s) => s >= 0)
    }
    const gaps = (b: number[]) => b.slice(1).map((s, i) => s - b[i])
    // Every pass's gap grows (the period doubles) under sync; async scans at a steady pace.
    const syncGaps = gaps(bursts(sync))
    expect(syncGaps.length).toBeGreaterThanOrEqual(2)
    for (let i = 1; i < syncGaps.length; i++) expect(syncGaps[i]).toBeGreaterThan(syncGaps[i - 1])
    const asyncGaps = gaps(bursts(async))
    expect(asyncGaps.length).toBeGreaterThanOrEqual(6)
    expect(new Set(asyncGaps).size).toBe(1)
    expect(async.summary.hintFaults).toBeGreaterThan(2.5 * sync.summary.hintFaults)
  })

  it('the promotion rate limit bounds promoted bytes per second', () => {
    // 1 MB/s = 256 pages of 4 KiB per 1 s window [FAIR]. DRAM is full, so the free-space fast
    // path (free > promo watermark + 1 GiB) never bypasses the limit. Over 10 s at most
    // 10 windows (+1 page each for the window that trips the limit): 10 × (1 MiB + 4 KiB).
    const limited = run('numa-balancing-tiering', { rateLimitMBps: 1 })
    expect(limited.summary.promotedBytes).toBeGreaterThan(0)
    expect(limited.summary.promotedBytes).toBeLessThanOrEqual(10 * (1024 * 1024 + 4096))
    // Without the limit the same run promotes more than the limit would ever allow.
    const free = run('numa-balancing-tiering')
    expect(free.summary.promotedBytes).toBeGreaterThan(10 * (1024 * 1024 + 4096))
  })

  it('pushing DRAM towards its peak bandwidth raises its loaded latency', () => {
    // DRAM only, 100 GB/s. 1 thread, MLP 10, no compute: ~1e8 accesses/s = 6.4 GB/s (6 % of
    // peak): factor 1 + 0.209 × (0.064 − 0.0082) / 0.486 ≈ 1.024 → ~102 ns.
    // 32 threads would ask for 205 GB/s at idle latency. The loop settles where Little's law
    // (accesses/s = 32 × 10 / latency) meets the Ice Lake curve: utilisation u = 2.048 / factor,
    // which the curve satisfies at u ≈ 0.915, factor ≈ 2.24 (≈ 224 ns).
    const dramOnly = socketPlusCxl(1, 1)
    const one = (threads: number) =>
      runSimulation(
        experiment(
          dramOnly,
          singleRegion(0.25, { kind: 'uniform' }, { threads, computeNsPerOp: 0, mlp: 10 }),
          'first-touch',
          {},
          { durationS: 0.2 },
        ),
        BUILTIN_POLICIES,
      )
    const light = one(1)
    const heavy = one(32)
    const lightLat = last(series(light, 'node.0.loadedLatencyNs'))
    const heavyLat = last(series(heavy, 'node.0.loadedLatencyNs'))
    expect(lightLat).toBeGreaterThan(101)
    expect(lightLat).toBeLessThan(104)
    expect(heavyLat).toBeGreaterThan(2.1 * lightLat)
    expect(heavyLat).toBeLessThan(2.3 * lightLat)
    const util = last(series(heavy, 'node.0.bandwidthUtilisation'))
    expect(util).toBeGreaterThan(0.9)
    expect(util).toBeLessThan(0.93)
    // Throughput is capped by the bandwidth: accesses × 64 B stay near 100 GB/s, far from the
    // 32 × 6.4 GB/s the threads would ask for.
    const heavyGBps = (heavy.summary.throughputOpsPerS * 64) / 1e9
    expect(heavyGBps).toBeGreaterThan(90)
    expect(heavyGBps).toBeLessThan(115)
  })
})

describe('who pays and who faults', () => {
  it("a GPU's accesses cause no hint faults", () => {
    // Region r0 sits on CXL (DRAM is nearly empty-sized). In the CPU case p1 (a CPU process)
    // hammers it; in the GPU case a coherent GPU does. p0 is a CPU process whose address space
    // includes r0 (share 0), so its scanner marks r0's pages either way. Demotion is off so that
    // p0's own pages stay on DRAM (unscanned in tiering mode).
    const topology = topologySchema.parse({
      format: 'tierlab.topology/v1',
      name: 'socket, CXL and a coherent GPU',
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1 / 16, ...DRAM } },
        { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: 1, ...CXL } },
        {
          id: 'g0',
          kind: 'gpu',
          coherent: true,
          memory: {
            capacityGiB: 1,
            media: 'HBM3',
            readLatencyNs: 300,
            writeLatencyNs: 300,
            readBandwidthGBps: 3000,
            writeBandwidthGBps: 3000,
          },
        },
      ],
      links: [
        { a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 },
        { a: 's0', b: 'g0', kind: 'nvlink-c2c', bandwidthGBps: 450, latencyNs: 150 },
      ],
    })
    const workload = (hammer: string) =>
      workloadSchema.parse({
        format: 'tierlab.workload/v1',
        name: 'hammer r0',
        // 'own' is allocated first, so it is the one that fits DRAM.
        regions: [
          { id: 'own', sizeGiB: 1 / 64, firstTouch: 'p0' },
          { id: 'r0', sizeGiB: 0.25, firstTouch: 'p0' },
        ],
        processes: [
          {
            id: 'p0',
            initiator: 's0',
            threads: 1,
            computeNsPerOp: 1000,
            accessesPerOp: 1,
            mlp: 1,
            writeFraction: 0,
            phases: [
              {
                durationS: 1,
                accesses: [
                  { region: 'own', share: 1, pattern: { kind: 'uniform' } },
                  { region: 'r0', share: 0, pattern: { kind: 'uniform' } },
                ],
              },
            ],
          },
          {
            id: 'p1',
            initiator: hammer,
            threads: 4,
            computeNsPerOp: 200,
            accessesPerOp: 1,
            mlp: 4,
            writeFraction: 0,
            phases: [
              {
                durationS: 1,
                accesses: [{ region: 'r0', share: 1, pattern: { kind: 'zipf', s: 1 } }],
              },
            ],
          },
        ],
      })
    const run = (hammer: string) =>
      runSimulation(
        {
          ...experiment(
            socketPlusCxl(1, 1),
            singleRegion(0.1, { kind: 'uniform' }),
            'numa-balancing-tiering',
            { scanDelayMs: 100, demotionEnabled: false },
            { durationS: 2, pageBytes: 2097152 },
          ),
          topology,
          workload: workload(hammer),
        },
        BUILTIN_POLICIES,
      )
    const cpu = run('s0')
    const gpu = run('g0')
    expect(cpu.summary.hintFaults).toBeGreaterThan(50)
    expect(gpu.summary.hintFaults).toBe(0)
    expect(gpu.summary.promotedBytes).toBe(0)
  })

  it('synchronous promotion slows the faulting process where asynchronous does not', () => {
    // Phase 1 (1 s) touches r0, which first touch put on DRAM; phase 2 moves to r1 (on CXL).
    // NUMA balancing then promotes r1's hot pages while kswapd demotes r0's cold ones. A 2 MiB
    // promotion costs 2097152 B ÷ 10.67 GB/s = 196.5 µs of CPU [MIGOFF]: in the faulting task
    // when synchronous, in a kernel thread (on an idle core here) when asynchronous.
    const wl2 = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'phase shift',
      regions: [
        { id: 'r0', sizeGiB: 0.125, firstTouch: 'p0' },
        { id: 'r1', sizeGiB: 0.125, firstTouch: 'p0' },
      ],
      processes: [
        {
          id: 'p0',
          initiator: 's0',
          threads: 1,
          computeNsPerOp: 300,
          accessesPerOp: 1,
          mlp: 1,
          writeFraction: 0,
          phases: [
            {
              durationS: 1,
              accesses: [
                {
                  region: 'r0',
                  share: 1,
                  pattern: { kind: 'hotset', hotFraction: 0.5, hotProbability: 0.999 },
                },
              ],
            },
            {
              durationS: 1,
              accesses: [
                {
                  region: 'r1',
                  share: 1,
                  pattern: { kind: 'hotset', hotFraction: 0.5, hotProbability: 0.999 },
                },
              ],
            },
          ],
        },
      ],
    })
    const run = (promotion: string) =>
      runSimulation(
        experiment(
          socketPlusCxl(5 / 32, 1 / 2),
          wl2 as never,
          'numa-balancing-tiering',
          { promotion, scanDelayMs: 100 },
          { pageBytes: 2097152, durationS: 3 },
        ),
        BUILTIN_POLICIES,
      )
    const sync = run('sync')
    const async_ = run('async')
    expect(sync.summary.promotions).toBeGreaterThan(20)
    // Thread time left for work per epoch: ops/s × (compute + latency) = available threads.
    const avail = (r: SimulationResult) => {
      const ops = series(r, 'process.p0.throughputOpsPerS')
      const lat = series(r, 'process.p0.meanLatencyNs')
      return ops.map((o, i) => (o * (300 + lat[i])) / 1e9)
    }
    const a = avail(async_)
    const s = avail(sync)
    // Asynchronous: the process only pays its own hint faults and scans (µs each).
    // Synchronous: it also pays every promotion, so less of its thread is left.
    const lostAsync = 1 - mean(a)
    const lostSync = 1 - mean(s)
    expect(lostSync).toBeGreaterThan(lostAsync)
    // The extra loss is the promotions' CPU: promotions × 196.5 µs over 3 s of one thread
    // (±20 %: the two runs may differ in fault timing).
    const expected = (sync.summary.promotions * 2097152) / 10.67e9 / 3
    expect(lostSync - lostAsync).toBeGreaterThan(0.8 * expected)
    expect(lostSync - lostAsync).toBeLessThan(1.2 * expected + 0.002)
  })
})
