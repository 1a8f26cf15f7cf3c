import { describe, expect, it } from 'vitest'
import { z } from 'zod'
import {
  BUILTIN_POLICIES,
  createRegistry,
  runSimulation,
  type ResolvedExperiment,
  type SimulationResult,
} from '../../../../../main/engine'
import {
  definePolicy,
  type HintFault,
  type PolicyDefinition,
} from '../../../../../main/engine/policies/api'
import { analyzeTopology } from '../../../../../main/engine/topology'
import { numaBalancingTiering } from '../../../../../main/engine/policies/numa-balancing-tiering'
import { topologySchema } from '../../../../../shared/formats/topology'
import { workloadSchema } from '../../../../../shared/formats/workload'
import { CXL, DRAM, experiment, singleRegion, socketPlusCxl } from './fixtures'

/**
 * Faults a policy declares it ignores (ignoredHintFaultLatencyMs) are counted in bulk instead of
 * delivered. That must change nothing but the work: each run here is compared with the same run
 * under a copy of the policy without the declaration, which sees every fault.
 */

const calls = { withCutoff: 0, everyFault: 0 }

// numa-balancing-tiering as shipped, counting its onHintFault calls.
const testPolicies: PolicyDefinition[] = []
testPolicies.push(
  definePolicy({
    ...numaBalancingTiering,
    id: 'test-nbt-counted',
    create: (k, ctx, truth) => {
      const inner = numaBalancingTiering.create(k, ctx, truth)
      return {
        ...inner,
        onHintFault: (f, c) => {
          calls.withCutoff++
          inner.onHintFault!(f, c)
        },
      }
    },
  }),
  // The same policy without the cutoff: every fault is delivered.
  definePolicy({
    ...numaBalancingTiering,
    id: 'test-nbt-every-fault',
    create: (k, ctx, truth) => {
      const inner = numaBalancingTiering.create(k, ctx, truth)
      const { ignoredHintFaultLatencyMs: _dropped, ...rest } = inner
      return {
        ...rest,
        onHintFault: (f, c) => {
          calls.everyFault++
          inner.onHintFault!(f, c)
        },
      }
    },
  }),
)

const COUNTS = [
  'hintFaults',
  'promotions',
  'demotions',
  'promotedBytes',
  'demotedBytes',
  'migratedBytes',
  'pingPongs',
  'failedMigrations',
  'accessedBitChecks',
] as const

function expectSameRun(a: SimulationResult, b: SimulationResult): void {
  // A summarised fault arrives like any other and only skips the handler and the
  // fault origin (cpupid); a later fault of the same page can therefore see another last CPU,
  // so the two runs are held to a fraction of a percent rather than to the last fault.
  for (const k of COUNTS) {
    const big = Math.max(a.summary[k], b.summary[k])
    expect(Math.abs(a.summary[k] - b.summary[k]), k).toBeLessThanOrEqual(0.01 * big + 16)
  }
  expect(a.summary.policyCpuS / b.summary.policyCpuS).toBeCloseTo(1, 2)
  expect(a.summary.throughputOpsPerS / b.summary.throughputOpsPerS).toBeCloseTo(1, 3)
  expect(a.summary.topTierHitRatio).toBeCloseTo(b.summary.topTierHitRatio, 2)
}

function compare(
  exp: ResolvedExperiment,
  params: Record<string, unknown> = {},
): { counted: SimulationResult; every: SimulationResult } {
  calls.withCutoff = 0
  calls.everyFault = 0
  const counted = runSimulation(
    { ...exp, policy: { id: 'test-nbt-counted', params } },
    createRegistry([...BUILTIN_POLICIES.list(), ...testPolicies]),
  )
  const every = runSimulation(
    { ...exp, policy: { id: 'test-nbt-every-fault', params } },
    createRegistry([...BUILTIN_POLICIES.list(), ...testPolicies]),
  )
  expectSameRun(counted, every)
  // The bulk path was really taken: fewer calls than faults, and none missed without it.
  expect(every.summary.hintFaults).toBeGreaterThan(0)
  expect(calls.everyFault).toBe(every.summary.hintFaults)
  expect(calls.withCutoff).toBeLessThan(counted.summary.hintFaults)
  return { counted, every }
}

describe('summarised hint faults', () => {
  it('change no result of a tiering run with phase changes and a moving window', () => {
    // 64 MiB of 4 KiB pages on 32 MiB DRAM + CXL: zipf, then a moving window (its rates change
    // every epoch, redrawing pending faults), then zipf again (a phase change redraws them all).
    const wl = workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'phased',
      regions: [{ id: 'r0', sizeGiB: 1 / 16, firstTouch: 'p0' }],
      processes: [
        {
          id: 'p0',
          initiator: 's0',
          threads: 1,
          computeNsPerOp: 20000,
          accessesPerOp: 1,
          mlp: 1,
          writeFraction: 0,
          phases: [
            {
              durationS: 3,
              accesses: [{ region: 'r0', share: 1, pattern: { kind: 'zipf', s: 0.9 } }],
            },
            {
              durationS: 2.5,
              accesses: [
                {
                  region: 'r0',
                  share: 1,
                  pattern: { kind: 'moving-window', widthFraction: 0.3, periodS: 2 },
                },
              ],
            },
            {
              durationS: 6.5,
              accesses: [{ region: 'r0', share: 1, pattern: { kind: 'zipf', s: 1.1 } }],
            },
          ],
        },
      ],
    })
    const exp = experiment(
      socketPlusCxl(1 / 32, 1 / 4),
      wl,
      'x',
      {},
      { pageBytes: 4096, durationS: 12 },
    )
    const { counted } = compare(exp)
    expect(counted.summary.promotions).toBeGreaterThan(0)
  })

  it('change no result while the hot threshold adjusts, up and down', () => {
    // scan_period_max of 2 s makes the threshold adjust within the run: with the default rate
    // limit candidates fall short and it climbs towards 2·hot_threshold; with 1 MB/s they exceed
    // it and it falls. Either way the cutoff must stay above every threshold in force.
    const exp = experiment(
      socketPlusCxl(1 / 32, 1 / 4),
      singleRegion(1 / 16, { kind: 'zipf', s: 0.9 }, { threads: 1, computeNsPerOp: 20000 }),
      'x',
      {},
      { pageBytes: 4096, durationS: 14 },
    )
    for (const rateLimitMBps of [65536, 1]) {
      const { counted } = compare(exp, {
        scanPeriodMaxMs: 2000,
        hotThresholdMs: 500,
        rateLimitMBps,
      })
      expect(counted.summary.promotions).toBeGreaterThan(0)
    }
  })

  it('change no result when summarised frames are demoted again, down a third tier', () => {
    // DRAM, a CXL expander and a slower one behind a switch: DRAM's demotions fill the near
    // expander, whose kswapd then moves PROT_NONE pages (with summarised faults) further down.
    const topo = topologySchema.parse({
      format: 'tierlab.topology/v1',
      name: '3 tiers',
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: { capacityGiB: 1 / 32, ...DRAM } },
        { id: 'c0', kind: 'cxl-memory', memory: { capacityGiB: 1 / 32, ...CXL } },
        { id: 'sw0', kind: 'cxl-switch', latencyNs: 30 },
        {
          id: 'c1',
          kind: 'cxl-memory',
          memory: { ...CXL, capacityGiB: 1 / 4, readLatencyNs: 400, writeLatencyNs: 400 },
        },
      ],
      links: [
        { a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 },
        { a: 's0', b: 'sw0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 },
        { a: 'sw0', b: 'c1', kind: 'cxl', bandwidthGBps: 32, latencyNs: 200 },
      ],
    })
    const analysis = analyzeTopology(topo)
    const tierOf = (id: string) => analysis.nodes.find((n) => n.component === id)!.tier
    expect(new Set(['s0', 'c0', 'c1'].map(tierOf)).size).toBe(3)
    const wl = singleRegion(
      3 / 32,
      { kind: 'hotset', hotFraction: 0.3, hotProbability: 0.9 },
      { threads: 1, computeNsPerOp: 2000 },
    )
    const { counted } = compare(experiment(topo, wl, 'x', {}, { pageBytes: 4096, durationS: 10 }))
    expect(counted.summary.demotions).toBeGreaterThan(counted.summary.promotions)
  })

  it('are delivered after all once the policy wants every fault again', () => {
    // A passive policy (it never migrates, so both runs draw the same faults) that ignores
    // faults of 300 ms or more until 3 s, then wants them all: the faults pending then, counted
    // in bulk so far, must reach it in their epoch.
    const seen: Record<string, Array<{ epoch: number; latencyMs: number }>> = { cut: [], all: [] }
    const passive = (id: string, cut: boolean) =>
      definePolicy({
        id,
        name: id,
        description: 'passive hint-fault recorder (tests only)',
        knobs: z.strictObject({}),
        subscriptions: () => ({
          hintFaults: {
            mode: 'tiering',
            scanDelayMs: 1000,
            scanPeriodMinMs: 1000,
            scanPeriodMaxMs: 60000,
            scanSizeMB: 256,
          },
        }),
        reclaim: () => ({ demotionEnabled: false, balanceTo: 'promo' }),
        create: (_k, ctx) => ({
          ...(cut ? { ignoredHintFaultLatencyMs: () => (ctx.nowS < 3 ? 300 : Infinity) } : {}),
          onHintFault: (f: HintFault) =>
            seen[cut ? 'cut' : 'all'].push({
              epoch: ctx.epoch,
              latencyMs: f.faultTimeMs - f.scanTimeMs,
            }),
        }),
      })
    testPolicies.push(passive('test-passive-cut', true), passive('test-passive-all', false))
    const exp = experiment(
      socketPlusCxl(1 / 32, 1 / 4),
      singleRegion(1 / 16, { kind: 'zipf', s: 0.9 }, { threads: 1, computeNsPerOp: 2000 }),
      'x',
      {},
      { pageBytes: 4096, durationS: 8 },
    )
    const cut = runSimulation(
      { ...exp, policy: { id: 'test-passive-cut', params: {} } },
      createRegistry([...BUILTIN_POLICIES.list(), ...testPolicies]),
    )
    const all = runSimulation(
      { ...exp, policy: { id: 'test-passive-all', params: {} } },
      createRegistry([...BUILTIN_POLICIES.list(), ...testPolicies]),
    )
    expectSameRun(cut, all)
    const flipEpoch = 300
    const wanted = (f: { epoch: number; latencyMs: number }) =>
      f.latencyMs < 300 || f.epoch >= flipEpoch
    const expected = seen.all.filter(wanted)
    // Compare the faults the policy wants (it sees, and ignores, some beyond the cutoff).
    const got = seen.cut.filter(wanted)
    // The same faults up to a later fault's origin (see expectSameRun): 0.1 %.
    expect(Math.abs(got.length - expected.length)).toBeLessThanOrEqual(0.001 * expected.length)
    expect(seen.cut.length).toBeLessThan(seen.all.length)
    // Epoch by epoch the same faults arrive (a converted fault keeps its epoch).
    const perEpoch = (xs: Array<{ epoch: number }>) => {
      const m = new Map<number, number>()
      for (const x of xs) m.set(x.epoch, (m.get(x.epoch) ?? 0) + 1)
      return m
    }
    const a = perEpoch(got)
    const b = perEpoch(expected)
    let apart = 0
    for (const e of new Set([...a.keys(), ...b.keys()]))
      apart += Math.abs((a.get(e) ?? 0) - (b.get(e) ?? 0))
    // Identical up to the flip; after it, events are thinned with the rate scale of their epoch and
    // the converted summarised faults were thinned with the scale at their filing, which the
    // bursts of hint-fault CPU charges move by a few percent: the epochs differ by a few percent.
    expect(apart).toBeLessThanOrEqual(0.08 * expected.length)
    const before = (m: Map<number, number>) =>
      [...m.entries()].filter(([e]) => e < flipEpoch).reduce((x, [, n]) => x + n, 0)
    expect(before(a)).toBe(before(b))
    expect(seen.all.some((f) => f.epoch >= flipEpoch && f.latencyMs >= 300)).toBe(true)
  })
})
