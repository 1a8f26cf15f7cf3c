import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  checkRunnable,
  runSimulation,
  SimulationInputError,
  type ResolvedExperiment,
} from '../../../../../main/engine'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { DRAM, experiment, singleRegion, socketPlusCxl } from '../sim/fixtures'

/**
 * gpu-access-counters at reduced size: a socket with DRAM (node 0) and a GPU whose HBM is node 1
 * when coherent (ATS, Grace-Hopper-like) or device-private otherwise, behind a narrow C2C link
 * (10 GB/s) so a GPU reading host memory is link-bound and HBM pays off.
 */
const MiB = 2 ** 20
const HBM = {
  media: 'HBM3',
  readLatencyNs: 300,
  writeLatencyNs: 300,
  readBandwidthGBps: 3000,
  writeBandwidthGBps: 3000,
}
function gpuMachine(opts: { coherent?: boolean; hbmGiB?: number; dramGiB?: number } = {}) {
  return topologySchema.parse({
    format: 'tierlab.topology/v1',
    name: 'socket + GPU',
    components: [
      {
        id: 's0',
        kind: 'socket',
        cores: 8,
        memory: { capacityGiB: opts.dramGiB ?? 1 / 4, ...DRAM },
      },
      {
        id: 'g0',
        kind: 'gpu',
        coherent: opts.coherent ?? true,
        memory: { capacityGiB: opts.hbmGiB ?? 1 / 4, ...HBM },
      },
    ],
    links: [{ a: 's0', b: 'g0', kind: 'nvlink-c2c', bandwidthGBps: 10, latencyNs: 150 }],
  })
}

type Pattern = { kind: 'uniform' } | { kind: 'zipf'; s: number }
/**
 * A CPU loader first-touches `tablesGiB` of tables on DRAM (it then reads only its own small
 * region); the GPU trainer reads the tables. `slow`: a trainer slow enough for exact mode.
 */
function tables(
  tablesGiB: number,
  pattern: Pattern,
  opts: { slow?: boolean; cpuGiB?: number } = {},
) {
  const trainer = opts.slow
    ? { threads: 1, computeNsPerOp: 500, accessesPerOp: 2, mlp: 1 }
    : { threads: 16, computeNsPerOp: 10, accessesPerOp: 8, mlp: 16 }
  return workloadSchema.parse({
    format: 'tierlab.workload/v1',
    name: 'tables',
    // Allocated in this order: the tables first, so they land on DRAM.
    regions: [
      { id: 'tables', sizeGiB: tablesGiB, firstTouch: 'loader' },
      { id: 'own', sizeGiB: opts.cpuGiB ?? 1 / 512, firstTouch: 'loader' },
    ],
    processes: [
      {
        id: 'loader',
        initiator: 's0',
        threads: 1,
        computeNsPerOp: 1000,
        accessesPerOp: 1,
        mlp: 1,
        writeFraction: 0,
        phases: [
          { durationS: 1, accesses: [{ region: 'own', share: 1, pattern: { kind: 'uniform' } }] },
        ],
      },
      {
        id: 'trainer',
        initiator: 'g0',
        ...trainer,
        writeFraction: 0.3,
        phases: [{ durationS: 1, accesses: [{ region: 'tables', share: 1, pattern }] }],
      },
    ],
  })
}

const run = (exp: ResolvedExperiment) => runSimulation(exp, BUILTIN_POLICIES)
const trainerOps = (r: ReturnType<typeof run>) =>
  r.processes.find((p) => p.id === 'trainer')!.throughputOpsPerS
const series = (r: ReturnType<typeof run>, key: string) => {
  const s = r.series.find((x) => x.key === key)
  if (!s) throw new Error(`no series ${key}`)
  return Array.from(s.values)
}
const GAC = 'gpu-access-counters'

describe('gpu-access-counters on a coherent (ATS) GPU', () => {
  const machine = gpuMachine()
  const work = tables(1 / 8, { kind: 'zipf', s: 1.05 })
  const ft = run(experiment(machine, work, 'first-touch', {}, { durationS: 2 }))
  const gac = run(experiment(machine, work, GAC, {}, { durationS: 2 }))

  it('moves the GPU-hot tables into HBM and speeds the GPU process up, with no hint fault', () => {
    // All 64 frames of the tables (128 MiB) reach 256 accesses per epoch: all move to HBM.
    expect(series(gac, 'node.1.usedBytes').at(-1)).toBe(128 * MiB)
    expect(series(gac, 'policy.gpuMigratedBytes').at(-1)).toBe(128 * MiB)
    expect(gac.summary.hintFaults).toBe(0)
    expect(gac.summary.threadMigrations).toBe(0)
    // Link-bound at 10 GB/s before, HBM-served after.
    expect(trainerOps(gac)).toBeGreaterThan(2 * trainerOps(ft))
    expect(ft.summary.migratedBytes).toBe(0)
  })

  it('publishes its notifications and batches, which stop once the tables are local', () => {
    const notes = series(gac, 'policy.notificationsPerS')
    const batches = series(gac, 'policy.batchesPerS')
    // Epoch 0: one notification per frame (64 per 10 ms), serviced in one batch of 256.
    expect(notes[0]).toBe(6400)
    expect(batches[0]).toBe(100)
    expect(notes.at(-1)).toBe(0)
    expect(Math.max(...series(gac, 'policy.evictedBytesPerS'))).toBe(0)
  })

  it('counts per 2 MiB granule on 4 KiB pages and migrates whole granules', () => {
    const exp = experiment(machine, work, GAC, {}, { durationS: 0.5, pageBytes: 4096 })
    const r = run(exp)
    const held = series(r, 'policy.gpuMigratedBytes').at(-1)!
    expect(held).toBeGreaterThan(0)
    expect(held % (2 * MiB)).toBe(0)
    // A granule of 512 frames counts all their accesses: at a 64 KiB granularity (16 frames)
    // the same tables raise many more notifications.
    const fine = run({ ...exp, policy: { id: GAC, params: { granularity: '64KiB' } } })
    // (32 times as many granules; not all of the smaller ones reach the threshold in epoch 0.)
    expect(series(fine, 'policy.notificationsPerS')[0]).toBeGreaterThan(
      5 * series(r, 'policy.notificationsPerS')[0],
    )
  })
})

describe('gpu-access-counters when HBM fills', () => {
  // 64 frames of tables, all GPU-hot, and HBM for 32 frames (less its watermark).
  const machine = gpuMachine({ hbmGiB: 1 / 16 })
  const work = tables(1 / 8, { kind: 'uniform' })

  it('evicts the oldest migrated granules back to host memory, never overfilling HBM', () => {
    const r = run(experiment(machine, work, GAC, { thrashingThreshold: 0 }, { durationS: 2 }))
    expect(Math.max(...series(r, 'policy.evictedBytesPerS'))).toBeGreaterThan(0)
    expect(Math.max(...series(r, 'node.1.usedBytes'))).toBeLessThanOrEqual(64 * MiB)
    expect(r.summary.pingPongs).toBeGreaterThan(0)
    expect(r.summary.hintFaults).toBe(0)
  })

  it('declares granules evicted 3 times thrashing and stops moving them', () => {
    const r = run(experiment(machine, work, GAC, {}, { durationS: 4 }))
    const evicted = series(r, 'policy.evictedBytesPerS')
    const evictedBytes = evicted.reduce((s, v) => s + v * 0.01, 0)
    expect(evictedBytes).toBeGreaterThan(0)
    expect(evictedBytes).toBeLessThanOrEqual(3 * 128 * MiB)
    // The last second: every granule that cycled is pinned in host memory; nothing moves.
    expect(Math.max(...evicted.slice(-100))).toBe(0)
  })

  it('without eviction, stops migrating when HBM is full', () => {
    const r = run(experiment(machine, work, GAC, { eviction: false }, { durationS: 1 }))
    expect(Math.max(...series(r, 'policy.evictedBytesPerS'))).toBe(0)
    const held = series(r, 'policy.gpuMigratedBytes')
    expect(held.at(-1)).toBeGreaterThan(16 * MiB)
    expect(held.at(-1)).toBeLessThanOrEqual(64 * MiB)
    expect(r.summary.pingPongs).toBe(0)
  })
})

describe('gpu-access-counters without ATS (a non-coherent GPU)', () => {
  const machine = gpuMachine({ coherent: false })
  const work = tables(1 / 8, { kind: 'zipf', s: 1.05 })

  it('is refused before anything runs with the default migration "auto", as UVM does not migrate', () => {
    const exp = experiment(machine, work, GAC)
    expect(() => checkRunnable(exp)).toThrow(SimulationInputError)
    expect(() => checkRunnable(exp)).toThrow(
      /^policy "gpu-access-counters": GPU "g0" has no ATS \(topology "socket \+ GPU" components\[1\]\.coherent is false\).*set coherent to true.*migration to "on".*"off"/,
    )
    expect(() => run(exp)).toThrow(/components\[1\]\.coherent is false/)
  })

  it('with migration "off" counts but moves nothing', () => {
    const ft = run(experiment(machine, work, 'first-touch', {}, { durationS: 1 }))
    const off = run(experiment(machine, work, GAC, { migration: 'off' }, { durationS: 1 }))
    expect(off.summary.migratedBytes).toBe(0)
    expect(series(off, 'policy.notificationsPerS')[0]).toBeGreaterThan(0)
    expect(Math.abs(trainerOps(off) / trainerOps(ft) - 1)).toBeLessThan(0.01)
  })

  it('with migration "on" moves the tables into device-private memory', () => {
    const on = run(experiment(machine, work, GAC, { migration: 'on' }, { durationS: 1 }))
    expect(series(on, 'policy.gpuMigratedBytes').at(-1)).toBe(128 * MiB)
    expect(on.summary.promotedBytes).toBe(0)
  })
})

describe('gpu-access-counters refuses machines and workloads it cannot act on', () => {
  const refuse = (exp: ResolvedExperiment, message: RegExp) => {
    expect(() => checkRunnable(exp)).toThrow(message)
    expect(() => run(exp)).toThrow(message)
  }

  it('a machine without a GPU', () => {
    refuse(
      experiment(socketPlusCxl(1 / 8, 1 / 8), singleRegion(1 / 16, { kind: 'uniform' }), GAC),
      /^policy "gpu-access-counters": topology "1S \+ CXL" has no GPU \(no component of kind "gpu"\); add one .* or use a CPU tiering policy/,
    )
  })

  it('a workload with no process on the GPU', () => {
    const cpuOnly = singleRegion(1 / 16, { kind: 'uniform' })
    refuse(
      experiment(gpuMachine(), cpuOnly, GAC),
      /workload "single region" has no process on a GPU.*set a process's initiator to "g0"/,
    )
  })

  it('a GPU without memory to migrate into', () => {
    refuse(
      experiment(gpuMachine({ hbmGiB: 0 }), tables(1 / 16, { kind: 'uniform' }), GAC),
      /GPU "g0" has no memory to migrate into \(.*components\[1\]\.memory\.capacityGiB is 0\); give it its HBM capacity/,
    )
  })
})

describe('gpu-access-counters with Linux tiering for the CPU side', () => {
  // The tables (32 MiB) fill half of DRAM (64 MiB); most of the loader's own 96 MiB spill into HBM, a
  // slower tier for the CPU.
  const machine = gpuMachine({ dramGiB: 1 / 16 })
  const work = tables(1 / 32, { kind: 'zipf', s: 1.05 }, { cpuGiB: 3 / 32 })

  it("cpuPolicy numa-balancing-tiering promotes the CPU's own pages; 'none' takes no hint fault", () => {
    const opts = { durationS: 3 }
    const none = run(experiment(machine, work, GAC, {}, opts))
    const both = run(experiment(machine, work, GAC, { cpuPolicy: 'numa-balancing-tiering' }, opts))
    expect(none.summary.hintFaults).toBe(0)
    expect(none.summary.promotedBytes).toBe(0)
    expect(both.summary.hintFaults).toBeGreaterThan(0)
    expect(both.summary.promotedBytes).toBeGreaterThan(0)
    // The GPU side works in both.
    expect(series(none, 'policy.gpuMigratedBytes').at(-1)).toBeGreaterThan(0)
    expect(series(both, 'policy.gpuMigratedBytes').at(-1)).toBeGreaterThan(0)
    expect(Math.max(...series(both, 'policy.cpuHotThresholdMs'))).toBeGreaterThan(0)
  })
})

describe('gpu-access-counters: exact mode agrees with fast mode', () => {
  // Tolerances of the validation set (sim/exact-vs-fast.test.ts): throughput 3 %, migrated
  // bytes 30 % of the larger (or 64 frames).
  const cases: Array<[string, ResolvedExperiment]> = [
    [
      '2 MiB pages, zipf',
      experiment(
        gpuMachine(),
        tables(1 / 8, { kind: 'zipf', s: 1.05 }, { slow: true }),
        GAC,
        {},
        {
          durationS: 0.5,
        },
      ),
    ],
    [
      '4 KiB pages, 2 MiB granules',
      experiment(
        gpuMachine(),
        tables(1 / 16, { kind: 'zipf', s: 1.05 }, { slow: true }),
        GAC,
        {},
        {
          durationS: 0.5,
          pageBytes: 4096,
        },
      ),
    ],
  ]
  it.each(cases)('%s', (_name, base) => {
    const fast = run({ ...base, mode: 'fast' })
    const exact = run({ ...base, mode: 'exact' })
    expect(fast.summary.migratedBytes).toBeGreaterThan(0)
    expect(Math.abs(trainerOps(exact) / trainerOps(fast) - 1)).toBeLessThan(0.03)
    const big = Math.max(exact.summary.migratedBytes, fast.summary.migratedBytes)
    const diff = Math.abs(exact.summary.migratedBytes - fast.summary.migratedBytes)
    expect(diff <= 0.3 * big || diff <= 64 * base.pageBytes).toBe(true)
  })
})
