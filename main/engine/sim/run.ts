import type { SeriesData, HeatmapData, RunSummaryMetrics } from '../../../shared/runs'
import { migrationCpuNsPerFrame } from '../kernel'
import type { HintFault, PolicyInstance, TruthView } from '../policies/api'
import { createRng } from '../rng'
import { analyzeTopology } from '../topology'
import { compileWorkload } from '../workload'
import { addCounters, SimCore } from './core'
import { SimContext } from './context'
import { ExactDraws } from './exact'
import { SimulationInputError } from './errors'
import { Allocator } from './allocation'
import { Kswapd, ACCESSED_BIT_CHECK_S } from './kswapd'
import { buildMachine } from './machine'
import { Migrator } from './migration'
import { PerfModel } from './perf'
import { DeviceCounters } from './telemetry/device-counters'
import { HintFaultScanner } from './telemetry/hint-faults'
import { SampleSource } from './telemetry/samples'
import type { EngineOptions, ResolvedExperimentInput } from './types'
import { checkCapacity, checkExactBudget, checkInitiators, resolvePolicy } from './validate'
import { RunMetrics } from '../metrics/run-metrics'

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
  series: SeriesData[]
  heatmap: HeatmapData
  cancelled: boolean
}

/** Default ping-pong window: a frame back on the node it left within 1 s. */
export const PING_PONG_WINDOW_S = 1

/** Everything a run holds; also used by the benchmark to measure per-frame memory. */
export interface SimulationSetup {
  core: SimCore
  bytesPerFrame(): number
}

export function runSimulationCore(
  exp: ResolvedExperimentInput,
  hooks: SimulationHooks = {},
  options: EngineOptions = {},
  inspect?: (setup: SimulationSetup) => void,
): SimulationResult {
  const analysis = analyzeTopology(exp.topology)
  checkInitiators(exp, analysis)
  const { def, knobs } = resolvePolicy(
    exp.policy.id ?? '',
    exp.policy.params ?? {},
    options.policyDef,
  )
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
    migrationCpuSPerFrame: migrationCpuNsPerFrame(exp.pageBytes) * 1e-9,
    accessedBitCheckS: ACCESSED_BIT_CHECK_S,
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

  const migrator = new Migrator(core)
  const ctx = new SimContext(core, migrator, analysis, root.fork('policy'), exact)
  const subs = def.subscriptions(knobs)
  const reclaim = def.reclaim(knobs)
  let instance: PolicyInstance
  const truth: TruthView | null =
    def.id === 'oracle'
      ? {
          frameAccessRate: (f) => core.frames.weight[f] * core.allRateScale,
          hotOrder: () => core.hotOrder as Uint32Array,
          hotSetFrames: () => core.hotSetFrames,
          orderVersion: () => core.hotOrderVersion,
        }
      : null
  if (truth) core.hotOrder = new Uint32Array(core.frames.count)
  try {
    instance = def.create(knobs, ctx, truth)
  } catch (e) {
    if (e instanceof SimulationInputError) throw e
    throw new SimulationInputError(
      `policy "${def.id}": ${e instanceof Error ? e.message : String(e)}`,
    )
  }
  const scanner = subs.hintFaults
    ? new HintFaultScanner(
        core,
        subs.hintFaults,
        exact,
        root.fork('hint-faults'),
        (process, periodMs, rssBytes) =>
          instance.nextScanPeriodMs
            ? instance.nextScanPeriodMs({ process, periodMs, rssBytes }, ctx)
            : periodMs,
        instance.ignoredHintFaultLatencyMs
          ? (tMs) => instance.ignoredHintFaultLatencyMs!(tMs, ctx)
          : null,
      )
    : null
  migrator.scanner = scanner
  const samples = subs.samples ? new SampleSource(core, subs.samples, root.fork('samples')) : null
  const devices =
    subs.cxlMonitor || subs.gpuCounters
      ? new DeviceCounters(core, subs.cxlMonitor, subs.gpuCounters, root.fork('devices'))
      : null
  const kswapd = reclaim.demotionEnabled
    ? new Kswapd(core, migrator, reclaim, exact, root.fork('kswapd'))
    : null
  ctx.kswapd = kswapd
  migrator.lru = kswapd?.lru ?? null
  const draws = exact ? new ExactDraws(core, root.fork('exact'), scanner, samples, devices) : null
  const allocator = new Allocator(core, instance, ctx)
  allocator.scanner = scanner

  // Start: phases, allocation, then masses with the frames in place.
  core.refreshPhases()
  allocator.allocateAtStart()
  core.rebuildMasses()
  const movingWindows = compiled.processes.some((p) =>
    p.phases.some((ph) => ph.accesses.some((a) => a.pattern.kind === 'moving-window')),
  )
  inspect?.({
    core,
    bytesPerFrame: () =>
      core.frames.bytesPerFrame(compiled) +
      (kswapd ? kswapd.lru.ages.byteLength / core.frames.count : 0) +
      (scanner ? scanner.bytesPerFrame() : 0) +
      core.nodeBits.byteLength / core.frames.count +
      (core.hotOrder ? core.hotOrder.byteLength / core.frames.count : 0),
  })

  const metrics = new RunMetrics(core, epochs, epochS, machine)
  const onFault = (fault: HintFault): void => instance.onHintFault?.(fault, ctx)
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
      scanner?.rescheduleAll()
    } else if (e > 0 && movingWindows) {
      core.advanceWindows(prevT, core.nowS, (f) => scanner?.reschedule(f))
      if (truth && e % 100 === 0) core.rerank()
    }
    prevT = core.nowS
    allocator.growEpoch()

    const r = perf.solve()
    core.cpuRateScale = core.rateScale(true)
    core.allRateScale = core.rateScale(false)
    ctx.perf = r

    scanner?.scan()
    if (draws) draws.drawEpoch(r, onFault)
    else scanner?.deliver(onFault)
    if (samples) {
      if (!exact) samples.drawEpoch()
      const batch = samples.take()
      if (batch.length > 0) instance.onSamples?.(batch, ctx)
    }
    if (devices) {
      if (devices.cxl && instance.onCxlHotRecords)
        for (const [node, recs] of devices.cxlRecords(exact))
          if (recs.length > 0) instance.onCxlHotRecords(node, recs, ctx)
      if (devices.gpu && instance.onGpuCounter) {
        const notes = devices.gpuNotifications(exact)
        if (notes.length > 0) instance.onGpuCounter(notes, ctx)
      }
    }
    instance.onEpoch?.(ctx)
    kswapd?.run()

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
  return metrics.finish(cancelled)
}
