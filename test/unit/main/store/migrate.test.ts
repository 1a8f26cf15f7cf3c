import fs from 'node:fs'
import path from 'node:path'
import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import {
  LATEST_SCHEMA_VERSION,
  TIERLAB_APPLICATION_ID,
  openStore,
  runFingerprint,
  runGroupKey,
} from '../../../../main/store'
import { MIGRATIONS, migrate } from '../../../../main/store/schema/migrations'
import { makeTempDir, runInput } from './helpers'

const FIXTURE_V1 = path.resolve(__dirname, '../../../fixtures/db/v1.sql')

let dir: string
let cleanup: () => void
beforeEach(() => ({ dir, cleanup } = makeTempDir()))
afterEach(() => cleanup())

function buildV1(file: string): void {
  const raw = new Database(file)
  raw.exec(fs.readFileSync(FIXTURE_V1, 'utf8'))
  raw.close()
}

function schemaOf(file: string) {
  const raw = new Database(file, { readonly: true })
  const entries = raw
    .prepare(
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite_%' ORDER BY name",
    )
    .all()
  const pragmas = {
    userVersion: raw.pragma('user_version', { simple: true }),
    applicationId: raw.pragma('application_id', { simple: true }),
  }
  raw.close()
  return { entries, pragmas }
}

const columnsOf = (file: string, table: string): string[] => {
  const raw = new Database(file, { readonly: true })
  const names = (raw.pragma(`table_info(${table})`) as Array<{ name: string }>).map((c) => c.name)
  raw.close()
  return names
}

describe('migrations', () => {
  it('are numbered 1, 2, … with no gap, each described', () => {
    expect(MIGRATIONS.map((m) => m.version)).toEqual(MIGRATIONS.map((_, i) => i + 1))
    for (const m of MIGRATIONS) expect(m.description.length).toBeGreaterThan(10)
  })

  it('v1 in code still equals the frozen fixture (released migrations are never edited)', () => {
    const fromFixture = path.join(dir, 'fixture.db')
    buildV1(fromFixture)
    const fromCode = path.join(dir, 'code.db')
    const raw = new Database(fromCode)
    expect(migrate(raw, 1)).toBe(1)
    raw.close()
    expect(schemaOf(fromCode)).toEqual(schemaOf(fromFixture))
    expect(schemaOf(fromFixture).pragmas).toEqual({
      userVersion: 1,
      applicationId: TIERLAB_APPLICATION_ID,
    })
  })

  it('migrates the frozen v1 database to the latest schema without losing a row', () => {
    const file = path.join(dir, 'v1.db')
    buildV1(file)
    const store = openStore(file, { clock: () => new Date('2026-04-01T00:00:00.000Z') })
    expect(store.schemaVersion).toBe(LATEST_SCHEMA_VERSION)
    // Run 3 was 'running' in v1, which recorded no owner: its process cannot be alive.
    expect(store.interruptedAtOpen).toBe(1)

    expect(store.topologies.list()).toEqual([
      {
        id: 1,
        name: 'one socket + CXL',
        createdAt: '2026-03-01T09:00:00.000Z',
        updatedAt: '2026-03-02T10:30:00.000Z',
        components: 2,
        links: 1,
      },
      {
        id: 2,
        name: 'two sockets',
        createdAt: '2026-03-03T08:15:00.000Z',
        updatedAt: '2026-03-03T08:15:00.000Z',
        components: 2,
        links: 1,
      },
    ])
    expect(store.topologies.get(1)?.topology.links[0]).toEqual({
      a: 's0',
      b: 'cxl0',
      kind: 'cxl',
      latencyNs: 0,
      generation: 5,
      lanes: 16,
    })

    const runs = store.runs.list()
    expect(runs.map((r) => [r.id, r.status])).toEqual([
      [3, 'interrupted'],
      [2, 'failed'],
      [1, 'done'],
    ])
    const done = store.runs.get(1)!
    expect(done).toMatchObject({
      name: 'kv-store tpp',
      policyId: 'tpp',
      seed: 7,
      startedAt: '2026-03-04T12:00:01.000Z',
      finishedAt: '2026-03-04T12:00:09.500Z',
      wallMs: 8500,
      summary: {
        meanThroughputOpsPerS: 1250000,
        slowdownVsOracle: 1.08,
        migratedBytes: 5368709120,
      },
      processes: [{ id: 'kv', throughputOpsPerS: 1250000, meanLatencyNs: 142.5 }],
      // v3's per-node results did not exist: none, rather than a guess; nor v6's warnings.
      nodes: [],
      warnings: [],
      tags: [],
      notes: '',
      batch: null,
      error: null,
    })
    expect(done.experiment.policy).toEqual({ id: 'tpp', params: {} })
    expect(store.runs.get(2)?.error).toBe(
      'region "table" (96 GiB) does not fit in 64 GiB of memory',
    )
    const interrupted = store.runs.get(3)!
    expect(interrupted.finishedAt).toBe('2026-04-01T00:00:00.000Z')
    expect(interrupted.startedAt).toBe('2026-03-06T18:45:02.000Z')
    expect(interrupted.experiment.policy.params).toEqual({ hotThresholdAccesses: 8 })
    expect(store.runs.series(1)).toEqual([])

    // v2 back-filled fingerprints, so re-importing an export of run 1 is caught.
    const fingerprint = runFingerprint({
      experiment: done.experiment,
      seed: 7,
      engineVersion: '0.1.0',
      createdAt: '2026-03-04T12:00:00.000Z',
    })
    expect(store.runs.findDuplicate(fingerprint)).toBe(1)
    // v3 back-filled replicate groups: the same experiment on the same engine, any seed.
    expect(done.groupKey).toBe(runGroupKey(done.experiment, '0.1.0'))

    // The v2 tables work on the migrated file.
    const id = store.runs.create(runInput({ tags: ['after-migration'] })).id
    expect(id).toBe(4)
    expect(store.workloads.list()).toEqual([])
    store.close()

    const { entries } = schemaOf(file)
    expect(entries.map((e) => (e as { name: string }).name)).toEqual([
      'run_heatmaps',
      'run_series',
      'runs',
      'runs_batch',
      'runs_created_at',
      'runs_fingerprint',
      'runs_group_key',
      'runs_job_id',
      'runs_job_id_done',
      'runs_policy_id',
      'runs_status',
      'topologies',
      'user_policies',
      'user_policy_versions',
      'user_policy_versions_sha',
      'workloads',
    ])
    expect(columnsOf(file, 'runs')).toEqual(
      expect.arrayContaining(['tags_json', 'notes', 'batch', 'fingerprint', 'owner_pid']),
    )
    expect(columnsOf(file, 'runs')).toEqual(
      expect.arrayContaining(['group_key', 'replicate', 'sweep_point_json', 'job_id', 'queue_url']),
    )
  })

  it('does nothing when opened again at the latest version', () => {
    const file = path.join(dir, 'v1.db')
    buildV1(file)
    openStore(file).close()
    const before = schemaOf(file)
    const store = openStore(file)
    expect(store.interruptedAtOpen).toBe(0)
    expect(store.runs.count()).toBe(3)
    store.close()
    expect(schemaOf(file)).toEqual(before)
  })
})
