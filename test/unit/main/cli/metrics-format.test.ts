import { describe, expect, it } from 'vitest'
import { printWarnings, renderRunText, runJson } from '../../../../main/cli/commands/run'
import { renderSweepTable } from '../../../../main/cli/format/sweep-table'
import { summaryRows } from '../../../../main/cli/format/metrics'
import type { RunDetail } from '../../../../shared/runs'

function run(over: Partial<RunDetail> = {}): RunDetail {
  return {
    id: 4,
    name: 'kv numab',
    status: 'done',
    policyId: 'numa-balancing-tiering',
    topologyName: 't',
    workloadName: 'w',
    seed: 1,
    engineVersion: '0.3.0',
    createdAt: '2026-12-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    wallMs: 10,
    tags: [],
    notes: '',
    batch: null,
    error: null,
    experiment: {} as RunDetail['experiment'],
    summary: { throughputOpsPerS: 1_234_567.891, p99LatencyNs: 260, p90LatencyNs: 255.5 },
    processes: [{ id: 'kv', throughputOpsPerS: 1_234_567.891, meanLatencyNs: 150 }],
    nodes: [
      { node: 0, component: 's0', usedBytes: 3 * 2 ** 30, accessShare: 0.75 },
      { node: 1, component: 'cxl0', usedBytes: 2 ** 30, accessShare: 0.25 },
    ],
    ...over,
  }
}

describe('CLI metric tables', () => {
  it('labels the summary from the catalogue, headline first, missing metrics as —', () => {
    const rows = summaryRows({
      throughputOpsPerS: 1e6,
      p99LatencyNs: 260,
      promotedBytes: 3 * 2 ** 30,
      futureMetric: 3,
    })
    expect(rows).toContainEqual(['Promoted', '3.0 GiB', ''])
    expect(rows).toContainEqual(['Demoted', '—', 'B'])
    expect(rows[0]).toEqual(['Throughput', '1000000', 'ops/s'])
    expect(rows).toContainEqual(['p99 latency', '260', 'ns'])
    // An engine 0.2.0 run has no p90: shown, but as missing rather than 0.
    expect(rows).toContainEqual(['p90 latency', '—', 'ns'])
    expect(rows).toContainEqual(['Mean async-migration queue delay', '—', 'ms'])
    // Unknown keys keep their own name at the end.
    expect(rows[rows.length - 1]).toEqual(['futureMetric', '3', ''])
  })

  it('prints the run text with summary, process and node tables', () => {
    const text = renderRunText(run())
    expect(text).toMatch(/^run 4: kv numab — done\n/)
    expect(text).toMatch(/\nThroughput +1234570 +ops\/s\n/)
    expect(text).toMatch(/\np90 latency +255\.5 +ns\n/)
    expect(text).toMatch(/\nnode +component +used at end +access share\n +0 +s0 +3\.0 GiB +0\.75\n/)
  })

  it('adds the nodes at the end of the run to --json, and none for an old run', () => {
    expect(runJson(run()).nodes).toEqual([
      { node: 0, component: 's0', usedBytes: 3 * 2 ** 30, accessShare: 0.75 },
      { node: 1, component: 'cxl0', usedBytes: 2 ** 30, accessShare: 0.25 },
    ])
    expect(runJson(run({ nodes: [] })).nodes).toEqual([])
  })

  it("puts the engine's warnings in --json and on stderr, none for a run without", () => {
    const warnings = ['the closed loop did not converge in 2 epoch(s)']
    expect(runJson(run({ warnings })).warnings).toEqual(warnings)
    expect(runJson(run()).warnings).toEqual([])
    const err: string[] = []
    printWarnings({ err: (line: string) => void err.push(line) }, run({ warnings }))
    printWarnings({ err: (line: string) => void err.push(line) }, run())
    expect(err).toEqual(['warning: the closed loop did not converge in 2 epoch(s)'])
  })

  it('titles sweep columns with catalogue labels and units', () => {
    const table = renderSweepTable(
      ['policy.params.hotThresholdMs'],
      [run({ sweepPoint: { 'policy.params.hotThresholdMs': 500 } })],
    )
    const [header, row] = table.split('\n')
    expect(header).toMatch(
      /^run +policy\.params\.hotThresholdMs +status +throughput \(ops\/s\) +mean latency \(ns\) +p99 latency \(ns\) +top-tier hit ratio +promoted \(B\)$/,
    )
    expect(row).toMatch(/^ *4 +500 +done +1234600 +— +260 +— +—$/)
  })
})
