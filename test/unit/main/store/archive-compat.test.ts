import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { openServices } from '../../../../main/services'
import { openStore } from '../../../../main/store'
import { LATEST_SCHEMA_VERSION, migrate } from '../../../../main/store/schema/migrations'
import { summaryMetricInfo } from '../../../../shared/metrics/catalogue'
import { makeTempDir } from './helpers'

/** Two runs as engine 0.2.0 archived them, in a schema-v2 file (see the fixture's header). */
const FIXTURE_V2 = path.resolve(__dirname, '../../../fixtures/db/v2.sql')

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = makeTempDir()))
afterEach(() => cleanup())

function buildV2(file: string): void {
  const raw = new Database(file)
  raw.exec(fs.readFileSync(FIXTURE_V2, 'utf8'))
  raw.close()
}

function tableSql(file: string): unknown[] {
  const raw = new Database(file, { readonly: true })
  const rows = raw
    .prepare("SELECT name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name")
    .all()
  raw.close()
  return rows
}

describe('runs archived by engine 0.2.0 (schema v2)', () => {
  it('v2 in code still equals the frozen fixture (released migrations are never edited)', () => {
    const fromFixture = path.join(dir, 'fixture.db')
    buildV2(fromFixture)
    const fromCode = path.join(dir, 'code.db')
    const raw = new Database(fromCode)
    expect(migrate(raw, 2)).toBe(2)
    raw.close()
    expect(tableSql(fromCode)).toEqual(tableSql(fromFixture))
  })

  it('open after the migrations with their stored knobs, summaries and series', () => {
    const file = path.join(dir, 'v2.db')
    buildV2(file)
    const store = openStore(file)
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    const numab = store.runs.get(1)!
    expect(numab.engineVersion).toBe('0.2.0')
    // The knobs stay as that run was started: one set explicitly, the rest never materialised.
    expect(numab.experiment.policy).toEqual({
      id: 'numa-balancing-tiering',
      params: { hotThresholdMs: 1000 },
    })
    expect(numab.nodes).toEqual([])
    // Warnings were not kept before schema v6: none, rather than a guess.
    expect(numab.warnings).toEqual([])
    expect(numab.summary?.throughputOpsPerS).toBeCloseTo(11_090_372.6477, 3)
    expect(numab.summary).not.toHaveProperty('p90LatencyNs')
    expect(numab.summary).toHaveProperty('threadMoves', 0)
    // A metric of 0.2.0 that 0.3 renamed still has its label.
    expect(summaryMetricInfo('threadMoves').label).toBe('Thread moves')

    const series = store.runs.series(1)
    expect(series.map((s) => [s.key, s.unit])).toEqual([
      ['throughputOpsPerS', 'ops/s'],
      ['meanLatencyNs', 'ns'],
      ['node.0.usedBytes', 'B'],
      ['node.1.usedBytes', 'B'],
    ])
    expect(series.every((s) => s.better === undefined && s.values.length === 20)).toBe(true)
    store.close()
  })

  it('export and import again into a new archive, without per-node results', async () => {
    const file = path.join(dir, 'v2.db')
    buildV2(file)
    const services = openServices({ dbPath: file, host: 'web' })
    let text: string
    try {
      text = (await services.handlers['runs.export']({ ids: [1, 2] })).text
    } finally {
      services.close()
    }
    const bundle = JSON.parse(text) as { runs: Array<{ nodes: unknown[]; experiment: unknown }> }
    expect(bundle.runs.map((r) => r.nodes)).toEqual([[], []])

    // A bundle written before `nodes` existed imports too.
    for (const r of bundle.runs) delete (r as { nodes?: unknown }).nodes
    const other = openServices({ dbPath: path.join(dir, 'other.db'), host: 'web' })
    try {
      const result = await other.handlers['runs.import']({ text: JSON.stringify(bundle) })
      expect(result.imported).toHaveLength(2)
      const run = await other.handlers['runs.get']({ id: result.imported[0] })
      expect(run.nodes).toEqual([])
      expect(run.experiment.policy).toEqual({
        id: 'numa-balancing-tiering',
        params: { hotThresholdMs: 1000 },
      })
    } finally {
      other.close()
    }
  })
})
