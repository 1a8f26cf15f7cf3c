import type { SeriesData } from '../../../../shared/runs'
import { createFakeRunsClient, makeExperiment, makeRun, makeSeries } from '../runs/fakeRunsClient'

const GiB = 1024 ** 3
const times = [0.5, 1, 1.5, 2]

function runSeries(scale: number): SeriesData[] {
  return [
    makeSeries(
      'throughputOpsPerS',
      'Throughput (all processes)',
      'ops/s',
      times,
      times.map((_, i) => scale * (i + 1)),
    ),
    makeSeries('topTierHitRatio', 'Top-tier hit ratio', 'ratio', times, [0.4, 0.5, 0.6, 0.7]),
    makeSeries('process.kv.meanLatencyNs', 'kv mean latency', 'ns', times, [200, 190, 180, 170]),
    makeSeries(
      'node.0.usedBytes',
      'node 0 (s0) used',
      'B',
      times,
      [1, 2, 3, 4].map((g) => g * GiB),
    ),
    makeSeries(
      'node.2.usedBytes',
      'node 2 (c0) used',
      'B',
      times,
      [4, 3, 2, 1].map((g) => g * GiB),
    ),
  ]
}

/** Two finished kv runs, first-touch (id 1) and numa-balancing-tiering (id 2), plus a third. */
export function compareClient() {
  return createFakeRunsClient({
    runs: [
      makeRun(1, {
        policyId: 'first-touch',
        summary: { throughputOpsPerS: 1000, topTierHitRatio: 0.42, meanLatencyNs: 251 },
      }),
      makeRun(2, {
        policyId: 'numa-balancing-tiering',
        summary: {
          throughputOpsPerS: 1230,
          topTierHitRatio: 0.91,
          meanLatencyNs: 180,
          promotedBytes: 1.2 * GiB,
        },
      }),
      makeRun(3, { policyId: 'tpp', summary: { throughputOpsPerS: 1100 } }),
    ],
    details: {
      1: { experiment: makeExperiment({ name: 'kv', policy: { id: 'first-touch', params: {} } }) },
      2: {
        experiment: makeExperiment({
          name: 'kv',
          policy: { id: 'numa-balancing-tiering', params: { hotThresholdMs: 1000 } },
        }),
      },
      3: { experiment: makeExperiment({ name: 'kv', policy: { id: 'tpp', params: {} } }) },
    },
    series: { 1: runSeries(100), 2: runSeries(123), 3: runSeries(110) },
    heatmaps: {
      1: { t: [1, 2], rankBins: 2, tiers: [4, 7], values: [0.5, 1, 0.5, 1] },
      2: { t: [1, 2], rankBins: 2, tiers: [4, 7], values: [0, 1, 0, 0.5] },
    },
  })
}
