import { describe, expect, it } from 'vitest'
import {
  HEADLINE_METRICS,
  NODE_SERIES,
  nodeSeriesLabel,
  PROCESS_SERIES,
  RUN_SERIES,
  SUMMARY_METRICS,
  seriesInfo,
  seriesKey,
  summaryMetricInfo,
} from '../../../../shared/metrics/catalogue'

describe('metric catalogue', () => {
  it('describes the summary metrics, including those engine 0.3 adds', () => {
    expect(summaryMetricInfo('throughputOpsPerS')).toMatchObject({
      label: 'Throughput',
      unit: 'ops/s',
      better: 'higher',
      group: 'run',
    })
    expect(summaryMetricInfo('p999LatencyNs')).toMatchObject({ unit: 'ns', better: 'lower' })
    expect(summaryMetricInfo('localAccessRatio')).toMatchObject({
      unit: 'ratio',
      better: 'higher',
    })
    expect(summaryMetricInfo('meanQueueDelayMs')).toMatchObject({
      unit: 'ms',
      better: 'lower',
    })
    expect(summaryMetricInfo('migrationCpuS')).toMatchObject({ unit: 'CPU s', better: 'lower' })
    expect(summaryMetricInfo('threadMigrations')).toMatchObject({ unit: 'count' })
    expect(summaryMetricInfo('droppedMigrations')).toMatchObject({ unit: 'count' })
    for (const k of HEADLINE_METRICS) expect(SUMMARY_METRICS[k]).toBeDefined()
  })

  it('gives a key it does not know its own name, no unit and no verdict, rather than a guess', () => {
    // The old renderer read "Ns" as nanoseconds and "latency" as lower-is-better.
    expect(summaryMetricInfo('someNewLatencyNs')).toEqual({
      key: 'someNewLatencyNs',
      kind: 'someNewLatencyNs',
      group: 'run',
      label: 'someNewLatencyNs',
      unit: 'count',
      better: 'neutral',
    })
    // Object.prototype names are not catalogue entries.
    expect(summaryMetricInfo('toString').better).toBe('neutral')
    expect(seriesInfo('constructor').group).toBe('run')
  })

  it('groups run, per-process, per-node and policy series from their keys', () => {
    expect(seriesInfo('promotionsPerS')).toMatchObject({ group: 'run', unit: 'frames/s' })
    expect(seriesInfo('threadMigrationsPerS')).toMatchObject({ group: 'run' })
    expect(seriesInfo(seriesKey.process('kv', 'throughputOpsPerS'))).toMatchObject({
      group: 'process',
      subject: 'kv',
      kind: 'throughputOpsPerS',
      unit: 'ops/s',
      better: 'higher',
      label: 'kv throughput',
    })
    // Process ids may contain dots (the workload format allows them).
    expect(seriesInfo('process.db.shard.1.meanLatencyNs')).toMatchObject({
      group: 'process',
      subject: 'db.shard.1',
      kind: 'meanLatencyNs',
    })
    const key = seriesKey.node(2, 'kernelThreadCpu')
    expect(key).toBe('node.2.kernelThreadCpu')
    expect(seriesInfo(key, { label: nodeSeriesLabel(2, 'cxl0', 'kernelThreadCpu') })).toEqual({
      key,
      group: 'node',
      subject: '2',
      kind: 'kernelThreadCpu',
      label: 'node 2 (cxl0) kernel-thread CPU',
      unit: 'CPU s/s',
      better: 'lower',
    })
    expect(seriesInfo('node.0.kernelThreadCpu').unit).toBe('CPU s/s')
    expect(seriesInfo('migrationQueueDelayMs').unit).toBe('ms')
    // A node key with an unknown kind is not a node series the catalogue can describe.
    expect(seriesInfo('node.1.somethingElse', { label: 'x', unit: 'u' })).toMatchObject({
      group: 'run',
      label: 'x',
      unit: 'u',
      better: 'neutral',
    })
  })

  it("takes a policy series' label, unit and direction from the series itself", () => {
    expect(
      seriesInfo(seriesKey.policy('hotThresholdMs'), { label: 'Hot threshold', unit: 'ms' }),
    ).toEqual({
      key: 'policy.hotThresholdMs',
      group: 'policy',
      subject: 'hotThresholdMs',
      label: 'Hot threshold',
      unit: 'ms',
      better: 'neutral',
    })
    expect(
      seriesInfo('policy.queue', { label: 'Queue', unit: 'frames', better: 'lower' }).better,
    ).toBe('lower')
  })

  it('keeps the series keys archived runs already use', () => {
    // Keys as engine 0.2.0 stored them (test/fixtures/db/v2.sql) must still match their entries.
    expect(Object.keys(RUN_SERIES)).toEqual(
      expect.arrayContaining(['throughputOpsPerS', 'meanLatencyNs', 'topTierHitRatio']),
    )
    expect(Object.keys(PROCESS_SERIES)).toEqual(['throughputOpsPerS', 'meanLatencyNs'])
    expect(Object.keys(NODE_SERIES)).toEqual(
      expect.arrayContaining([
        'usedBytes',
        'accessShare',
        'bandwidthUtilisation',
        'loadedLatencyNs',
      ]),
    )
    expect(seriesInfo('node.0.usedBytes').unit).toBe('B')
  })
})
