import { afterEach, beforeEach, expect, it } from 'vitest'
import { ENGINE_VERSION } from '../../../../../main/engine'
import { dispatch, openServices, resolveResourcesDir } from '../../../../../main/services'
import { openStore } from '../../../../../main/store'
import type { StudySummary } from '../../../../../shared/studies'
import { experiment, tempDb, type TempDb } from '../fixtures'

let db: TempDb
beforeEach(() => (db = tempDb()))
afterEach(() => db.cleanup())

/** Archives runs as `tierlab study` tags them: the study's tag, the variant's, one batch. */
function archiveStudyRuns(batch: string, variants: string[]): number[] {
  const store = openStore(db.dbPath)
  try {
    return variants.map((v) => {
      const run = store.runs.create({
        name: `study run ${v}`,
        experiment: experiment(),
        engineVersion: ENGINE_VERSION,
        seed: 1,
        policyId: 'none',
        topologyName: 't',
        workloadName: 'w',
        tags: ['study:migration-cost', `variant:${v}`],
        batch,
      })
      return run.id
    })
  } finally {
    store.close()
  }
}

async function listStudies(): Promise<StudySummary[]> {
  const services = openServices({
    dbPath: db.dbPath,
    resourcesDir: resolveResourcesDir(),
    host: 'web',
  })
  try {
    const reply = await dispatch(services, 'studies.list', {})
    if (!reply.ok) throw new Error(reply.error.message)
    return reply.value as StudySummary[]
  } finally {
    services.close()
  }
}

it('lists every shipped study, with no runs before it was run here', async () => {
  archiveStudyRuns('', []) // creates the database
  const studies = await listStudies()
  expect(studies.map((s) => s.name)).toEqual(
    expect.arrayContaining(['migration-cost', 'userspace-policy']),
  )
  for (const s of studies) {
    expect(s).toMatchObject({ problem: null, latest: null, batches: 0 })
    expect(s.title.length).toBeGreaterThan(0)
    expect(s.claims).toBeGreaterThan(0)
  }
})

it("gives the newest batch's runs with their variants and the baseline's run for Compare", async () => {
  archiveStudyRuns('study:migration-cost@1', ['first-touch', 'sync'])
  const newer = archiveStudyRuns('study:migration-cost@2', ['sync', 'first-touch', 'async'])
  const study = (await listStudies()).find((s) => s.name === 'migration-cost')!
  expect(study.batches).toBe(2)
  expect(study.latest).toMatchObject({
    batch: 'study:migration-cost@2',
    baselineRunId: newer[1],
  })
  expect(study.latest!.runs.map((r) => [r.runId, r.variant])).toEqual([
    [newer[0], 'sync'],
    [newer[1], 'first-touch'],
    [newer[2], 'async'],
  ])
})
