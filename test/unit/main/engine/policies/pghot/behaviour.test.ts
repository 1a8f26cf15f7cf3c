import { describe, expect, it } from 'vitest'
import {
  BUILTIN_POLICIES,
  runSimulation,
  type ResolvedExperiment,
  type SimulationResult,
} from '../../../../../../main/engine'
import { DEFAULT_MIGRATION_COST } from '../../../../../../main/engine/kernel'
import { runSimulationCore } from '../../../../../../main/engine/run'
import { workloadSchema, type WorkloadInput } from '../../../../../../shared/formats/workload'
import { experiment, singleRegion, socketPlusCxl, twoSocketsPlusCxl } from '../../sim/fixtures'

const total = (r: SimulationResult, name: string) =>
  r.series.find((s) => s.key === `policy.${name}`)!.values.reduce((a, b) => a + b, 0)

/**
 * 256 MiB hot-set workload on 128 MiB DRAM + 512 MiB CXL (as the tiering behaviour test): first
 * touch fills DRAM with half of a shuffled region, so about half of the hot set starts on CXL.
 */
const topo = socketPlusCxl(1 / 8, 1 / 2)
const hotset = singleRegion(
  0.25,
  { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.999 },
  { threads: 1, computeNsPerOp: 300 },
)
const run = (policy: string, params: Record<string, unknown> = {}, durationS = 8) =>
  runSimulation(
    experiment(topo, hotset, policy, params, { pageBytes: 4096, durationS }),
    BUILTIN_POLICIES,
  )

describe('pghot', () => {
  it('with IBS as its only source promotes the hot set off CXL with no hint fault, and beats first touch', () => {
    const ft = run('first-touch')
    // ~2e6 accesses/s: one sample in 257 gives a hot 4 KiB page ~0.6 samples/s, so two land in
    // the 3 s window within seconds.
    const ibs = run('pghot', { sources: ['ibs'], samplePeriod: 257 })
    expect(ft.summary.topTierHitRatio).toBeLessThan(0.55)
    expect(ibs.summary.hintFaults).toBe(0)
    expect(ibs.summary.samples).toBeGreaterThan(10_000)
    expect(ibs.summary.promotions).toBeGreaterThan(3000)
    expect(ibs.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.2)
    expect(ibs.summary.throughputOpsPerS).toBeGreaterThan(ft.summary.throughputOpsPerS * 1.05)
    // Every promotion went through kmigrated's queues.
    expect(ibs.summary.queuedMigrations).toBeGreaterThanOrEqual(ibs.summary.promotions)
    // The store's memory is published: 1 byte per frame of the run in compact mode.
    const bytes = ibs.series.find((s) => s.key === 'policy.storeBytes')!.values
    expect(bytes[bytes.length - 1]).toBe((0.25 * 2 ** 30) / 4096)
  })

  it('with hint faults as its source takes hint faults to find the same hot set', () => {
    const hf = run('pghot', { sources: ['hint-faults'] })
    expect(hf.summary.hintFaults).toBeGreaterThan(1000)
    expect(hf.summary.samples).toBe(0)
    expect(hf.summary.promotions).toBeGreaterThan(1000)
    expect(hf.summary.topTierHitRatio).toBeGreaterThan(0.65)
  })

  it('precise mode with the accessor as target beats compact mode with a fixed node when the workload spans two sockets', () => {
    // The Graph500 lesson of pghot v6 [PGHOT-v6-G500]: a process per socket, its data partly on
    // the CXL expander of socket 0. A fixed target (node 0) puts socket 1's hot pages on the
    // remote DRAM; the accessing node puts them on socket 1's own.
    const proc = (id: string, initiator: string, region: string) => ({
      id,
      initiator,
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
              region,
              share: 1,
              pattern: { kind: 'hotset' as const, hotFraction: 0.25, hotProbability: 0.99 },
            },
          ],
        },
      ],
    })
    const wl = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'one store per socket',
      regions: [
        { id: 'r0', sizeGiB: 1 / 8, firstTouch: 'p0' },
        { id: 'r1', sizeGiB: 1 / 8, firstTouch: 'p1' },
      ],
      processes: [proc('p0', 's0', 'r0'), proc('p1', 's1', 'r1')],
    } satisfies WorkloadInput)
    const two = (params: Record<string, unknown>) =>
      runSimulation(
        experiment(twoSocketsPlusCxl(1 / 16, 1 / 2), wl, 'pghot', params, {
          pageBytes: 4096,
          durationS: 5,
        }),
        BUILTIN_POLICIES,
      )
    const ibs = { sources: ['ibs'], samplePeriod: 257 }
    const compact = two({ ...ibs, mode: 'compact', target: 'fixed' })
    const precise = two({ ...ibs, mode: 'precise', target: 'accessor' })
    expect(precise.summary.throughputOpsPerS).toBeGreaterThanOrEqual(
      compact.summary.throughputOpsPerS,
    )
    expect(precise.summary.localAccessRatio).toBeGreaterThan(
      compact.summary.localAccessRatio + 0.15,
    )
    // Socket 1's process gains; socket 0's is not worse off.
    expect(precise.processes[1].throughputOpsPerS).toBeGreaterThan(
      compact.processes[1].throughputOpsPerS,
    )
    // The precise store costs 4 bytes a frame.
    expect(total(precise, 'storeBytes') / total(compact, 'storeBytes')).toBe(4)
  })

  it('promoting asynchronously leaves the faulting task unslowed, where promoting in the task slows it', () => {
    const taskCpuS = (promotion: string) => {
      let taskS = () => 0
      const r = runSimulationCore(
        experiment(
          topo,
          hotset,
          'pghot',
          { sources: ['hint-faults'], promotion },
          {
            pageBytes: 4096,
            durationS: 5,
          },
        ),
        BUILTIN_POLICIES,
        {},
        {},
        // Task CPU = all mechanism CPU − what kernel threads ran (the ledger's two books).
        ({ core }) => {
          const sum = (a: Float64Array) => a.reduce((x, y) => x + y, 0)
          taskS = () => sum(core.cpu.bySourceS) - sum(core.cpu.kernelTotalS)
        },
      )
      return { r, taskS: taskS() }
    }
    const sync = taskCpuS('sync')
    const async = taskCpuS('async')
    expect(sync.r.summary.promotions).toBeGreaterThan(1000)
    expect(async.r.summary.promotions).toBeGreaterThan(0.8 * sync.r.summary.promotions)
    // In the task, each promotion is a single-folio migrate_misplaced_folio (~38 µs [MIGOFF]);
    // asynchronously the task pays only for its hint faults and the records.
    const singleS = DEFAULT_MIGRATION_COST.single4KiBNs * 1e-9
    expect(sync.taskS - async.taskS).toBeGreaterThan(0.8 * sync.r.summary.promotions * singleS)
    expect(async.taskS).toBeLessThan(async.r.summary.hintFaultsCpuS * 1.5)
    expect(async.r.summary.throughputOpsPerS).toBeGreaterThan(sync.r.summary.throughputOpsPerS)
  })

  it('the cost-aware gate migrates less when the hot set moves on before a migration pays back', () => {
    // 2 MiB pages: a promotion costs ~200 µs of CPU plus the copy's bandwidth [MIGOFF], so it
    // pays back after ~1500 accesses at CXL's 140 ns extra latency. The moving window passes
    // each page in 0.2 s at ~4000 accesses/s: never worth it. The steady hot set is.
    const slow = { threads: 1, computeNsPerOp: 20_000 }
    const moving = singleRegion(
      0.25,
      { kind: 'moving-window', widthFraction: 0.1, periodS: 2 },
      slow,
    )
    // Hot data in whole 2 MiB runs (clusterPages 512): with the default 256 KiB runs every huge
    // page holds hot and cold data alike and no placement of huge pages can help.
    const steady = singleRegion(
      0.25,
      { kind: 'hotset', hotFraction: 0.3, hotProbability: 1, clusterPages: 512 },
      slow,
    )
    const go = (wl: typeof moving, costAware: boolean): SimulationResult =>
      runSimulation(
        experiment(
          topo,
          wl,
          'pghot',
          { sources: ['ibs'], samplePeriod: 64, costAware },
          {
            pageBytes: 2097152 as const,
            durationS: 6,
          },
        ) satisfies ResolvedExperiment,
        BUILTIN_POLICIES,
      )
    const plain = go(moving, false)
    const gated = go(moving, true)
    expect(plain.summary.promotions).toBeGreaterThan(100)
    expect(gated.summary.promotions).toBeLessThan(plain.summary.promotions * 0.3)
    expect(gated.summary.migratedBytes).toBeLessThan(plain.summary.migratedBytes * 0.3)
    expect(total(gated, 'rejectedByCost')).toBeGreaterThan(100)
    expect(total(plain, 'rejectedByCost')).toBe(0)
    expect(gated.summary.throughputOpsPerS).toBeGreaterThanOrEqual(
      plain.summary.throughputOpsPerS * 0.99,
    )
    // A hot set that stays is still promoted through the gate.
    const steadyGated = go(steady, true)
    const ft = runSimulation(
      experiment(topo, steady, 'first-touch', {}, { pageBytes: 2097152 as const, durationS: 6 }),
      BUILTIN_POLICIES,
    )
    expect(steadyGated.summary.promotions).toBeGreaterThan(5)
    expect(steadyGated.summary.topTierHitRatio).toBeGreaterThan(ft.summary.topTierHitRatio + 0.1)
  })
})
