import type { HeatmapData, NodeResult, RunSummaryMetrics, SeriesData } from '../../shared/runs'
import { DEFAULT_MIGRATION_COST } from './kernel'
import { withRunArrays } from './memory/run-arrays'
import { RunMetrics } from './metrics/run-metrics'
import { checkPolicyFits, definitionOf, type PolicySource } from './policies/resolve'
import { createRng } from './rng'
import { frameBaseRates, frameBaseSkew } from './sim/base-page-rates'
import { Allocator } from './sim/allocation'
import { SimContext } from './sim/context'
import { SimCore } from './sim/core'
import { addCounters } from './sim/counters'
import { SimulationInputError } from './sim/errors'
import { ExactDraws } from './sim/exact'
import { Kswapd } from './sim/kswapd'
import { buildMachine } from './sim/machine'
import { Migrator } from './sim/migration'
import { DEFAULT_MIGRATION_QUEUE, MigrationQueues } from './sim/migration-queue'
import { PerfModel } from './sim/perf'
import { ShadowCopies } from './sim/shadow-copies'
import { SplitFrames } from './sim/split-frames'
import { AccessedBitModel } from './sim/telemetry/accessed-bits'
import type { TelemetrySink } from './sim/telemetry/source'
import { TelemetryHub } from './sim/telemetry/sources'
import type { EngineOptions, ResolvedExperimentInput } from './sim/types'
import { checkCapacity, checkExactBudget, checkInitiators } from './sim/validate'
import { analyzeTopology } from './topology'
import type { PolicyInstance, TruthView } from './vocabulary'
import { BASE_PAGE_BYTES, compileWorkload } from './workload'

export interface SimulationProgress {
  epoch: number
  epochs: number
  simulatedS: number
  durationS: number
  /** throughputOpsPerS, meanLatencyNs, topTierHitRatio, promotedBytesPerS, demotedBytesPerS */
  live: Record<string, number>
}

export interface SimulationHooks {
  onProgress?(p: SimulationProgress): void
  progressEveryEpochs?: number
  shouldCancel?(): boolean
}

export interface SimulationResult {
  summary: RunSummaryMetrics
  processes: Array<{ id: string; throughputOpsPerS: number; meanLatencyNs: number }>
  nodes: NodeResult[]
  series: SeriesData[]
  heatmap: HeatmapData
  cancelled: boolean
  /** What the run could not do faithfully (e.g. epochs whose closed loop did not converge). */
  warnings: string[]
}

/** Default ping-pong window: a frame back on the node it left within 1 s. */
export const PING_PONG_WINDOW_S = 1

/** Everything a run holds; also used by the benchmark to measure per-frame memory. */
export interface SimulationSetup {
  core: SimCore
  /** Bytes per frame of every per-frame array allocated so far (call again after the run). */
  bytesPerFrame(): number
  /** The same by array, e.g. { state: 4, weight: 4, 'hintFaults.scanEpoch': 4, … }. */
  frameArrayBytes(): Record<string, number>
}

export type { PolicySource } from './policies/resolve'

/**
 * Runs one experiment (presets already inlined) under a policy taken from `policies` to the end
 * or until `hooks.shouldCancel()`. Throws SimulationInputError, one sentence, for an experiment
 * that cannot run. `inspect` sees the set-up state (the benchmark measures memory with it).
 */
export function runSimulationCore(
  exp: ResolvedExperimentInput,
  policies: PolicySource,
  hooks: SimulationHooks = {},
  options: EngineOptions = {},
  inspect?: (setup: SimulationSetup) => void,
): SimulationResult {
  // Per-frame arrays come from the previous run's (memory/run-arrays.ts: fresh pages are slow).
  return withRunArrays(() => simulate(exp, policies, hooks, options, inspect))
}

function simulate(
  exp: ResolvedExperimentInput,
  policies: PolicySource,
  hooks: SimulationHooks,
  options: EngineOptions,
  inspect?: (setup: SimulationSetup) => void,
): SimulationResult {
  const analysis = analyzeTopology(exp.topology)
  checkInitiators(exp, analysis)
  const { def, knobs } = definitionOf(policies, exp.policy.id ?? '', exp.policy.params ?? {})
  checkPolicyFits(def, knobs, { experiment: exp, analysis })
  let compiled
  try {
    compiled = compileWorkload(exp.workload, exp.pageBytes, exp.seed)
  } catch (e) {
    throw new SimulationInputError(e instanceof Error ? e.message : String(e))
  }
  checkCapacity(compiled, analysis, exp.topology.name)
  const epochS = exp.epochMs / 1000
  const epochs = Math.max(1, Math.ceil(exp.durationS / epochS - 1e-9))
  const exact = exp.mode === 'exact'
  const machine = buildMachine(exp.topology, analysis, exp.pageBytes)
  const root = createRng(exp.seed)
  const core = new SimCore({
    machine,
    workload: compiled,
    epochS,
    durationS: exp.durationS,
    pingPongWindowS: options.pingPongWindowS ?? PING_PONG_WINDOW_S,
    rng: root.fork('core'),
  })
  const perf = new PerfModel(core)
  // Reference rates before anything runs: each process at its home node's idle latency.
  for (let p = 0; p < core.P; p++) {
    const proc = compiled.processes[p]
    const path = core.path(p, core.procHome[p])
    const lat = path ? path.readNs : 100
    const tpo = proc.computeNsPerOp + (proc.accessesPerOp * lat) / proc.mlp
    core.rate[p] = tpo > 0 ? ((proc.threads * 1e9) / tpo) * proc.accessesPerOp : 0
  }
  if (exact) {
    let est = 0
    for (let p = 0; p < core.P; p++) est += core.rate[p] * exp.durationS
    checkExactBudget(est)
  }

  // Mechanisms: migration (with its kernel-thread queues), the accessed-bit model, telemetry.
  const migrator = new Migrator(core, { ...DEFAULT_MIGRATION_COST, ...options.migrationCostNs })
  // kswapd's aging and every other accessed-bit reader share one model and one stream.
  const reclaimRng = root.fork('kswapd')
  const bits = new AccessedBitModel(core, exact, reclaimRng)
  migrator.queues = new MigrationQueues(core, migrator, bits, {
    ...DEFAULT_MIGRATION_QUEUE,
    ...options.migration,
  })
  const ctx = new SimContext(core, migrator, analysis, root.fork('policy'), bits)
  // Non-exclusive tiering's shadow copies: inert (and drawing nothing) until a move asks for one.
  const shadows = new ShadowCopies(core, root.fork('shadows'))
  migrator.shadows = shadows
  ctx.shadows = shadows
  // Split huge pages: a sparse store, inert until a policy splits a frame.
  ctx.splits = new SplitFrames(core, migrator, root.fork('splits'))
  let instance: PolicyInstance | null = null
  const hub = new TelemetryHub({
    core,
    exact,
    rng: (label) => root.fork(label),
    bits,
    policy: () => instance,
    context: () => ctx,
  })
  ctx.hub = hub
  migrator.hub = hub
  const truth: TruthView | null = def.needsTruth
    ? {
        frameAccessRate: (f) => core.frames.weight[f] * core.allRateScale,
        hotOrder: () => core.hotOrder as Uint32Array,
        hotSetFrames: () => core.hotSetFrames,
        orderVersion: () => core.hotOrderVersion,
        frameBaseRates: (f) => {
          const out = new Float64Array(core.pageBytes / BASE_PAGE_BYTES)
          frameBaseRates(core, f, out)
          return out
        },
        frameBaseSkew: (f) => frameBaseSkew(core, f),
      }
    : null
  if (truth) core.hotOrder = new Uint32Array(core.frames.count)
  const metrics = new RunMetrics(core, epochs, epochS, machine, {
    policySeries: def.series ?? {},
    queueDepth: () => migrator.queues?.depth() ?? 0,
  })
  ctx.publisher = metrics
  try {
    instance = def.create(knobs, ctx, truth)
    hub.configure(def.subscriptions(knobs))
  } catch (e) {
    if (e instanceof SimulationInputError) throw e
    throw new SimulationInputError(
      `policy "${def.id}": ${e instanceof Error ? e.message : String(e)}`,
    )
  }
  const policy: PolicyInstance = instance
  const reclaim = def.reclaim(knobs)
  const kswapd = reclaim.demotionEnabled
    ? new Kswapd(core, migrator, reclaim, bits, reclaimRng)
    : null
  migrator.lru = kswapd?.lru ?? null
  const draws = exact ? new ExactDraws(core, root.fork('exact'), hub) : null
  if (draws) draws.shadows = shadows
  const allocator = new Allocator(core, policy, ctx)
  allocator.hub = hub

  // Start: phases, allocation, then masses with the frames in place. A `place` hook may read the
  // weights or the hotness order, so they come first; default placement reads neither, and one
  // rebuild after it derives everything (the same state, one pass over the frames fewer).
  if (policy.place) {
    core.refreshPhases()
    allocator.allocateAtStart()
    core.rebuildMasses()
  } else {
    core.refreshPhases(false)
    allocator.allocateAtStart()
    core.rebuildPlaced()
  }
  const movingWindows = compiled.processes.some((p) =>
    p.phases.some((ph) => ph.accesses.some((a) => a.pattern.kind === 'moving-window')),
  )
  // Per-frame arrays of the engine (a policy's own stores are its own; docs/engine-approximations.md
  // lists them). Lazily allocated ones appear once allocated: ask again after the run.
  const frameArrayBytes = (): Record<string, number> => {
    const F = core.frames.count
    const out: Record<string, number> = {
      ...core.frames.arrayBytes(compiled),
      nodeBits: core.nodeBits.byteLength / F,
      'kswapd.lruAges': kswapd ? kswapd.lru.ages.byteLength / F : 0,
      'migration.queuedBits': migrator.queues?.bytesPerFrame() ?? 0,
      shadowCopies: shadows.bytesPerFrame(),
      hotOrder: core.hotOrder ? core.hotOrder.byteLength / F : 0,
      ...hub.arrayBytes(),
    }
    for (const k of Object.keys(out)) if (!(out[k] > 0)) delete out[k]
    return out
  }
  inspect?.({
    core,
    frameArrayBytes,
    bytesPerFrame: () => Object.values(frameArrayBytes()).reduce((s, b) => s + b, 0),
  })

  const sink: TelemetrySink = {
    onHintFault: (fault) => policy.onHintFault?.(fault, ctx),
    onSamples: (batch) => policy.onSamples?.(batch, ctx),
    onCxlHotRecords: (node, recs) => policy.onCxlHotRecords?.(node, recs, ctx),
    onGpuCounter: (notes) => policy.onGpuCounter?.(notes, ctx),
    onAccessedBits: (scan) => policy.onAccessedBits?.(scan, ctx),
  }
  const every = Math.max(1, hooks.progressEveryEpochs ?? 100)
  let cancelled = false
  let prevT = 0
  const live: Record<string, number> = {}
  for (let e = 0; e < epochs; e++) {
    if (hooks.shouldCancel?.()) {
      cancelled = true
      break
    }
    core.epoch = e
    core.nowS = e * epochS
    // refreshPhases rebuilds masses, weights and the order itself when a phase changed (a second
    // rebuild here redid the same O(frames) work with the same result).
    if (e > 0 && core.refreshPhases()) {
      hub.ratesChanged()
    } else if (e > 0 && movingWindows) {
      core.advanceWindows(prevT, core.nowS, (f) => hub.frameRateChanged(f))
      if (truth && e % 100 === 0) core.rerank()
    }
    prevT = core.nowS
    allocator.growEpoch()

    const r = perf.solve()
    // The last epoch's kernel-thread CPU took cores from this solve; count this epoch's afresh.
    core.kernelCpuS.fill(0)
    core.cpuRateScale = core.rateScale(true)
    core.allRateScale = core.rateScale(false)
    ctx.perf = r

    hub.beginEpoch()
    draws?.drawEpoch(r, sink)
    hub.deliver(sink)
    if (!exact) shadows.epochWrites()
    policy.onEpoch?.(ctx)
    migrator.queues?.drain(r)
    kswapd?.run()
    shadows.balance()

    metrics.record(r, draws)
    addCounters(core.totals, core.counters)
    if (hooks.onProgress && ((e + 1) % every === 0 || e === epochs - 1)) {
      metrics.live(live)
      hooks.onProgress({
        epoch: e + 1,
        epochs,
        simulatedS: (e + 1) * epochS,
        durationS: exp.durationS,
        live,
      })
    }
    core.endEpoch()
  }
  return { ...metrics.finish(cancelled), warnings: perf.warnings() }
}
