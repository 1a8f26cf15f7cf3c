import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import type { ApiEvent } from '../../../../../shared/api'
import type { RunRecord } from '../../../../../shared/runs'
import { dispatch, openServices, type Services } from '../../../../../main/services'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc } from './helpers'

let db: TempDb
let services: Services
let events: ApiEvent[]
beforeEach(() => {
  db = tempDb()
  services = openServices({
    dbPath: db.dbPath,
    host: 'web',
    runs: { createWorker: createFakeWorker, poolSize: 2 },
  })
  events = []
  services.events.on((e) => events.push(e))
})
afterEach(() => {
  services.close()
  db.cleanup()
})

async function call(method: string, input: unknown) {
  const reply = await dispatch(services, method, input)
  if (!reply.ok) throw Object.assign(new Error(reply.error.message), reply.error)
  return reply.value
}

/** Resolves once every given run has reached a final status. */
async function settled(ids: number[]): Promise<void> {
  const final = ['done', 'failed', 'cancelled', 'interrupted']
  const isFinal = (id: number) =>
    events.some((e) => e.type === 'run-status' && e.runId === id && final.includes(e.status))
  while (!ids.every(isFinal)) await new Promise((r) => setTimeout(r, 5))
}

describe('run methods through dispatch (fake worker)', () => {
  it('validates inputs with the contract before a handler runs', async () => {
    const reply = await dispatch(services, 'runs.sweep', { experiment: {}, knob: 'x', values: [] })
    expect(reply).toMatchObject({
      ok: false,
      error: {
        code: 'invalid-input',
        message: 'invalid input for runs.sweep: values needs at least one value, got an array',
      },
    })
    const bad = await dispatch(services, 'runs.delete', { ids: [0] })
    expect(bad.ok).toBe(false)
  })

  it('starts runs, filters the list by policy, tag and text, and serves series and heatmaps', async () => {
    const a = (await call('runs.start', {
      experiment: experimentDoc(fakeName('finish', 1, 5)),
      tags: ['alpha'],
    })) as RunRecord
    const other = { ...experimentDoc(fakeName('finish', 1, 5)), policy: { id: 'first-touch' } }
    const b = (await call('runs.start', {
      experiment: other,
      tags: ['beta'],
      batch: 'b1',
    })) as RunRecord
    await settled([a.id, b.id])
    const ids = async (filter: object) =>
      ((await call('runs.list', filter)) as RunRecord[]).map((r) => r.id)
    expect(await ids({ policyId: 'first-touch' })).toEqual([b.id])
    expect(await ids({ tag: 'alpha' })).toEqual([a.id])
    expect(await ids({ text: 'b1' })).toEqual([b.id])
    expect(await ids({ status: 'done' })).toEqual([b.id, a.id])
    const series = await call('runs.series', { id: a.id, keys: ['k'] })
    // The fake's one series: values [id, id + 0.25] at t = 0.5 s and 1 s.
    expect(series).toEqual([
      { key: 'k', label: 'K', unit: 'u', t: [0.5, 1], values: [a.id, a.id + 0.25] },
    ])
    expect(await call('runs.heatmap', { id: a.id })).toBeNull()
    await expect(call('runs.series', { id: 999 })).rejects.toMatchObject({ code: 'not-found' })
  })

  it('closing the services terminates the workers and marks the live runs as no longer running', async () => {
    const run = (await call('runs.start', {
      experiment: experimentDoc(fakeName('finish', 100_000, 5)),
    })) as RunRecord
    while (!events.some((e) => e.type === 'run-progress'))
      await new Promise((r) => setTimeout(r, 5))
    services.close()
    const reopened = openServices({ dbPath: db.dbPath, host: 'web' })
    try {
      const after = (await dispatch(reopened, 'runs.get', { id: run.id })) as {
        ok: true
        value: RunRecord
      }
      expect(['interrupted', 'failed']).toContain(after.value.status)
      expect(after.value.error).toMatch(/^Interrupted/)
    } finally {
      reopened.close()
    }
  })
})
