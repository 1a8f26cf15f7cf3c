import {
  NODE_SERIES,
  nodeSeriesLabel,
  PROCESS_SERIES,
  processSeriesLabel,
  RUN_SERIES,
  seriesKey,
  type NodeSeriesKind,
  type ProcessSeriesKind,
  type RunSeriesKind,
  type SummaryMetricKey,
} from '../../../shared/metrics/catalogue'
import type { HeatmapData, NodeResult, RunSummaryMetrics, SeriesData } from '../../../shared/runs'
import type { SimCore } from '../sim/core'
import { CPU_SOURCES } from '../sim/cpu-ledger'
import type { ExactDraws } from '../sim/exact'
import { HEAT_BINS } from '../sim/hotness-order'
import type { Machine } from '../sim/machine'
import type { PerfResult } from '../sim/perf'
import type { PolicySeriesSpec } from '../vocabulary'
import { HeatmapRecorder } from './heatmap'
import { LatencyMix } from './latency-mix'
import { round, SeriesRecorder } from './series'

export interface RunMetricsOptions {
  /** Series the policy declared; `publish` fills them, stored as `policy.<name>`. */
  policySeries: Record<string, PolicySeriesSpec>
  /** Frames waiting in the asynchronous migration queues now. */
  queueDepth(): number
}

/**
 * Per-epoch metrics of a run (DESIGN.md §6): the series, the heatmap, and the sums behind the
 * summary. Rates are per second of simulated time; ratios are 0..1.
 */
export class RunMetrics {
  private readonly series: SeriesRecorder
  private readonly heat: HeatmapRecorder
  private readonly ids = {} as Record<RunSeriesKind, number>
  private readonly procIds: Array<{ ops: number; lat: number }>
  private readonly nodeIds: Array<{ used: number; share: number; util: number; lat: number }>
  /** Per-access latencies of the whole run, for the summary's percentiles. */
  private readonly latencyMix = new LatencyMix()
  private readonly nodeNames: Array<{ node: number; component: string }>
  private readonly lastNodeShare: Float64Array
  private epochsDone = 0
  private opsSum = 0
  private allFastSum = 0
  private accLatSum = 0
  private accSum = 0
  private topAccSum = 0
  private hotShareSum = 0
  private readonly procOps: Float64Array
  private readonly procAccLat: Float64Array
  private readonly procAcc: Float64Array
  private readonly lastLive: Record<string, number> = {}
  private readonly policyIds = new Map<string, number>()
  /** Last published value of each policy series (carried until the next publish). */
  private readonly policyValues: Float64Array
  private readonly kernelIds: Array<{ node: number; id: number }> = []
  private localAccSum = 0
  private cpuAccSum = 0
  private threadMigrationsSeen = 0

  constructor(
    private readonly core: SimCore,
    epochs: number,
    private readonly epochS: number,
    machine: Machine,
    private readonly opts: RunMetricsOptions = { policySeries: {}, queueDepth: () => 0 },
  ) {
    this.series = new SeriesRecorder(epochs, epochS)
    const s = this.series
    const tiers: number[] = []
    for (const n of machine.nodes) if (n.capacityBytes > 0) tiers[n.tierOrdinal] ??= n.tier
    this.heat = new HeatmapRecorder(
      epochs,
      HEAT_BINS,
      tiers.filter((t) => t !== undefined),
    )
    // Series are defined from the metric catalogue (shared/metrics/catalogue.ts), which also
    // gives the renderer and the CLI their units and better-directions.
    const d = (kind: RunSeriesKind) =>
      (this.ids[kind] = s.define(
        seriesKey.run(kind),
        RUN_SERIES[kind].label,
        RUN_SERIES[kind].unit,
      ))
    d('throughputOpsPerS')
    d('meanLatencyNs')
    d('topTierHitRatio')
    d('hotInTopTierShare')
    d('promotionsPerS')
    d('demotionsPerS')
    d('promotedBytesPerS')
    d('demotedBytesPerS')
    d('hintFaultsPerS')
    d('samplesPerS')
    d('policyCpuShare')
    const pd = (id: string, kind: ProcessSeriesKind) =>
      s.define(seriesKey.process(id, kind), processSeriesLabel(id, kind), PROCESS_SERIES[kind].unit)
    this.procIds = core.w.processes.map((p) => ({
      ops: pd(p.id, 'throughputOpsPerS'),
      lat: pd(p.id, 'meanLatencyNs'),
    }))
    const nd = (n: { node: number; component: string }, kind: NodeSeriesKind) =>
      s.define(
        seriesKey.node(n.node, kind),
        nodeSeriesLabel(n.node, n.component, kind),
        NODE_SERIES[kind].unit,
      )
    this.nodeIds = machine.nodes.map((n) => ({
      used: nd(n, 'usedBytes'),
      share: nd(n, 'accessShare'),
      util: nd(n, 'bandwidthUtilisation'),
      lat: nd(n, 'loadedLatencyNs'),
    }))
    d('migrationQueueDepthFrames')
    d('migrationQueueDelayMs')
    d('threadMigrationsPerS')
    d('localAccessRatio')
    for (const n of machine.nodes)
      if (n.cpuNode === n.node)
        this.kernelIds.push({
          node: n.node,
          id: nd(n, 'kernelThreadCpu'),
        })
    const names = Object.keys(opts.policySeries)
    for (const name of names) {
      const spec = opts.policySeries[name]
      this.policyIds.set(name, s.define(seriesKey.policy(name), spec.label, spec.unit, spec.better))
    }
    this.policyValues = new Float64Array(names.length)
    this.nodeNames = machine.nodes.map((n) => ({ node: n.node, component: n.component }))
    this.lastNodeShare = new Float64Array(machine.nodes.length)
    this.procOps = new Float64Array(core.P)
    this.procAccLat = new Float64Array(core.P)
    this.procAcc = new Float64Array(core.P)
  }

  /** A policy's value for this epoch of one of its declared series. */
  publish(name: string, value: number): void {
    const id = this.policyIds.get(name)
    if (id === undefined)
      throw new Error(
        `publish: series "${name}" is not declared in the policy's definition (declared: ${[...this.policyIds.keys()].join(', ') || 'none'})`,
      )
    this.policyValues[[...this.policyIds.keys()].indexOf(name)] = value
  }

  /** Share of CPU accesses served by the accessing thread's own socket node (this epoch). */
  private localAccesses(r: PerfResult): { local: number; all: number } {
    const c = this.core
    let local = 0
    let all = 0
    for (let p = 0; p < c.P; p++) {
      if (c.procIsCpu[p] !== 1) continue
      const a = r.accessesPerS[p]
      all += a
      for (const g of c.threads.groups(p)) {
        const node = c.m.initiators[g.initiator].node
        if (node !== null) local += a * g.share * r.share[p * c.N + node]
      }
    }
    return { local, all }
  }

  record(r: PerfResult, draws: ExactDraws | null): void {
    const c = this.core
    const s = this.series
    const cnt = c.counters
    const perS = 1 / this.epochS
    let ops = 0
    let allFast = 0
    let acc = 0
    let accLat = 0
    for (let p = 0; p < c.P; p++) {
      ops += r.opsPerS[p]
      allFast += r.allFastOpsPerS[p]
      const a = r.accessesPerS[p]
      acc += a
      accLat += a * r.meanLatencyNs[p]
      this.procOps[p] += r.opsPerS[p]
      this.procAcc[p] += a
      this.procAccLat[p] += a * r.meanLatencyNs[p]
      s.set(this.procIds[p].ops, r.opsPerS[p])
      s.set(this.procIds[p].lat, r.meanLatencyNs[p])
    }
    const meanLat = acc > 0 ? accLat / acc : 0
    // Exact mode: the hit ratio and node shares come from the drawn accesses.
    const drawn = draws?.hitRatio() ?? null
    // Fast mode: migrations happen during the epoch, so average the placement at its start (the
    // solve) and at its end (after this epoch's moves), as if they were spread over the epoch.
    const hit = drawn ?? (r.topTierHitRatio + this.endOfEpochHitRatio(r)) / 2
    const nodeAcc = new Float64Array(c.N)
    let nodeAll = 0
    for (let p = 0; p < c.P; p++)
      for (let n = 0; n < c.N; n++) {
        const v =
          draws && drawn !== null
            ? draws.counts[p * c.N + n]
            : r.accessesPerS[p] * r.share[p * c.N + n]
        nodeAcc[n] += v
        nodeAll += v
        // The epoch's latency mix: these accesses were served at this pair's loaded latency.
        this.latencyMix.add(c.procNodeLatencyNs[p * c.N + n], v)
      }
    const hotShare = c.hotFrames > 0 ? this.hotInTop() / c.hotFrames : 0
    s.set(this.ids.throughputOpsPerS, ops)
    s.set(this.ids.meanLatencyNs, meanLat)
    s.set(this.ids.topTierHitRatio, hit)
    s.set(this.ids.hotInTopTierShare, hotShare)
    s.set(this.ids.promotionsPerS, cnt.promotions * perS)
    s.set(this.ids.demotionsPerS, cnt.demotions * perS)
    s.set(this.ids.promotedBytesPerS, cnt.promotedBytes * perS)
    s.set(this.ids.demotedBytesPerS, cnt.demotedBytes * perS)
    s.set(this.ids.hintFaultsPerS, cnt.hintFaults * perS)
    s.set(this.ids.samplesPerS, cnt.samples * perS)
    s.set(this.ids.policyCpuShare, cnt.policyCpuS * perS)
    s.set(this.ids.migrationQueueDepthFrames, this.opts.queueDepth())
    s.set(
      this.ids.migrationQueueDelayMs,
      cnt.queueDrained > 0 ? (cnt.queueDelaySumS / cnt.queueDrained) * 1000 : 0,
    )
    const tm = c.threads.migrations
    s.set(this.ids.threadMigrationsPerS, (tm - this.threadMigrationsSeen) * perS)
    this.threadMigrationsSeen = tm
    const loc = this.localAccesses(r)
    s.set(this.ids.localAccessRatio, loc.all > 0 ? loc.local / loc.all : 0)
    this.localAccSum += loc.local
    this.cpuAccSum += loc.all
    for (const k of this.kernelIds) s.set(k.id, c.kernelCpuS[k.node] * perS)
    let i = 0
    for (const id of this.policyIds.values()) s.set(id, this.policyValues[i++])
    for (let n = 0; n < c.N; n++) {
      const ids = this.nodeIds[n]
      s.set(ids.used, c.usedBytes(n))
      this.lastNodeShare[n] = nodeAll > 0 ? nodeAcc[n] / nodeAll : 0
      s.set(ids.share, this.lastNodeShare[n])
      s.set(ids.util, r.nodeUtilisation[n])
      s.set(ids.lat, r.nodeLoadedLatencyNs[n])
    }
    s.next()
    const sums = c.heatSums()
    this.heat.add((this.epochsDone + 1) * this.epochS, sums.binTierSum, sums.binCount)
    this.epochsDone++
    this.opsSum += ops
    this.allFastSum += allFast
    this.accSum += acc
    this.accLatSum += accLat
    this.topAccSum += acc * hit
    this.hotShareSum += hotShare
    const live = this.lastLive
    live.throughputOpsPerS = ops
    live.meanLatencyNs = meanLat
    live.topTierHitRatio = hit
    live.promotedBytesPerS = cnt.promotedBytes * perS
    live.demotedBytesPerS = cnt.demotedBytes * perS
  }

  private endOfEpochHitRatio(r: PerfResult): number {
    const c = this.core
    let top = 0
    let all = 0
    for (let p = 0; p < c.P; p++) {
      let mTop = 0
      let mAll = 0
      for (let n = 0; n < c.N; n++) {
        const m = Math.max(0, c.mass[p * c.N + n])
        mAll += m
        if (c.topTierOf[n]) mTop += m
      }
      if (mAll <= 0) continue
      top += (r.accessesPerS[p] * mTop) / mAll
      all += r.accessesPerS[p]
    }
    return all > 0 ? top / all : r.topTierHitRatio
  }

  private hotInTop(): number {
    let k = 0
    for (const n of this.core.m.topTierNodes) k += this.core.hotOnNode[n]
    return k
  }

  live(into: Record<string, number>): void {
    Object.assign(into, this.lastLive)
  }

  finish(cancelled: boolean): {
    summary: RunSummaryMetrics
    processes: Array<{ id: string; throughputOpsPerS: number; meanLatencyNs: number }>
    nodes: NodeResult[]
    series: SeriesData[]
    heatmap: HeatmapData
    cancelled: boolean
  } {
    const c = this.core
    const t = c.totals
    const E = Math.max(1, this.epochsDone)
    const throughput = this.opsSum / E
    const summary: RunSummaryMetrics = {
      throughputOpsPerS: throughput,
      meanLatencyNs: this.accSum > 0 ? this.accLatSum / this.accSum : 0,
      topTierHitRatio: this.accSum > 0 ? this.topAccSum / this.accSum : 0,
      promotedBytes: t.promotedBytes,
      demotedBytes: t.demotedBytes,
      migratedBytes: t.migratedBytes,
      hintFaults: t.hintFaults,
      pingPongs: t.pingPongs,
      p50LatencyNs: this.latencyMix.percentile(0.5),
      p90LatencyNs: this.latencyMix.percentile(0.9),
      p99LatencyNs: this.latencyMix.percentile(0.99),
      p999LatencyNs: this.latencyMix.percentile(0.999),
      policyCpuS: t.policyCpuS,
      slowdownVsAllFast: throughput > 0 ? this.allFastSum / E / throughput : 0,
      promotions: t.promotions,
      demotions: t.demotions,
      exchanges: t.exchanges,
      failedMigrations: t.failedMigrations,
      samples: t.samples,
      accessedBitChecks: t.accessedBitChecks,
      hotInTopTierShare: this.hotShareSum / E,
      threadMoves: c.threadMoves,
      threadMigrations: c.threads.migrations,
      localAccessRatio: this.cpuAccSum > 0 ? this.localAccSum / this.cpuAccSum : 0,
      queuedMigrations: t.queuedMigrations,
      droppedMigrations: t.droppedMigrations,
      meanQueueDelayMs: t.queueDrained > 0 ? (t.queueDelaySumS / t.queueDrained) * 1000 : 0,
      simulatedS: this.epochsDone * this.epochS,
      // Every summary metric needs a catalogue entry (label, unit, better-direction).
    } satisfies Partial<Record<SummaryMetricKey, number>>
    // Each mechanism's own CPU (the ledger's books): hintFaultsCpuS, samplesCpuS, migrationCpuS, …
    CPU_SOURCES.forEach((src, i) => (summary[`${src}CpuS`] = c.cpu.bySourceS[i]))
    for (const k of Object.keys(summary)) summary[k] = round(summary[k])
    const processes = c.w.processes.map((p, i) => ({
      id: p.id,
      throughputOpsPerS: round(this.procOps[i] / E),
      meanLatencyNs: round(this.procAcc[i] > 0 ? this.procAccLat[i] / this.procAcc[i] : 0),
    }))
    // The placement at the end of the run (`tierlab run --json`'s `nodes`).
    const nodes: NodeResult[] = this.nodeNames.map(({ node, component }, n) => ({
      node,
      component,
      usedBytes: c.usedBytes(n),
      accessShare: round(this.lastNodeShare[n]),
    }))
    return {
      summary,
      processes,
      nodes,
      series: this.series.build(),
      heatmap: this.heat.build(),
      cancelled,
    }
  }
}
