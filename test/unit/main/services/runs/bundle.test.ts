import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc, runService } from './helpers'

let a: TempDb
let b: TempDb
let open: Array<{ close(): void }> = []
beforeEach(() => {
  a = tempDb()
  b = tempDb()
})
afterEach(() => {
  for (const s of open) s.close()
  open = []
  a.cleanup()
  b.cleanup()
})

function service(db: TempDb) {
  const s = runService(db.dbPath, {
    createWorker: createFakeWorker,
    poolSize: 1,
    clock: () => new Date('2026-11-25T12:00:00Z'),
  })
  open.push(s)
  return s
}

describe('runs.export / runs.import', () => {
  it('round-trips runs with series exactly into another database, and reports duplicates on a second import', async () => {
    const src = service(a)
    // A run with an engine warning: the warning travels with it.
    const one = await src.service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('warn', 2, 5)),
      tags: ['x'],
    })
    const two = await src.service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('crash')),
    })
    await Promise.all([one, two].map((r) => src.service.queue.settled(r.id)))
    await src.service.handlers['runs.setNotes']({ id: one.id, notes: 'keep me' })

    const exported = await src.service.handlers['runs.export']({ ids: [one.id, two.id] })
    expect(exported.fileName).toBe(`tierlab-runs-${one.id}-and-1-more.json`)
    const bundle = JSON.parse(exported.text)
    expect(bundle.format).toBe('tierlab.bundle/v1')
    expect(bundle.exportedAt).toBe('2026-11-25T12:00:00.000Z')
    expect(bundle.runs.map((r: { status: string }) => r.status)).toEqual(['done', 'failed'])
    expect(bundle.runs[0].timings.createdAt).toBe(src.store.runs.get(one.id)!.createdAt)
    expect(bundle.runs[0].warnings).toEqual([
      `the closed loop did not converge in 2 epoch(s) of run ${one.id}`,
    ])

    const dst = service(b)
    const first = await dst.service.handlers['runs.import']({ text: exported.text })
    expect(first.duplicates).toEqual([])
    expect(first.imported).toHaveLength(2)
    const [newOne, newTwo] = first.imported
    const copy = dst.store.runs.get(newOne)!
    const orig = src.store.runs.get(one.id)!
    const { id: _a, ...copyRest } = copy
    const { id: _b, ...origRest } = orig
    expect(copyRest).toEqual(origRest)
    expect(copy.warnings).toHaveLength(1)
    expect(dst.store.runs.series(newOne)).toEqual(src.store.runs.series(one.id))
    expect(dst.store.runs.heatmap(newOne)).toEqual(src.store.runs.heatmap(one.id))
    expect(dst.store.runs.get(newTwo)!.error).toBe(src.store.runs.get(two.id)!.error)

    const second = await dst.service.handlers['runs.import']({ text: exported.text })
    expect(second).toEqual({ imported: [], duplicates: [newOne, newTwo] })
    // Into the database it came from, the originals are the duplicates.
    const back = await src.service.handlers['runs.import']({ text: exported.text })
    expect(back).toEqual({ imported: [], duplicates: [one.id, two.id] })
  })

  it('refuses a bad bundle with the field named, importing nothing', async () => {
    const src = service(a)
    const run = await src.service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('finish', 1, 5)),
    })
    await src.service.queue.settled(run.id)
    const bundle = JSON.parse((await src.service.handlers['runs.export']({ ids: [run.id] })).text)
    const dst = service(b)
    const bad = structuredClone(bundle)
    bad.runs.push(structuredClone(bundle.runs[0]))
    bad.runs[1].series[0].values.pop()
    await expect(
      dst.service.handlers['runs.import']({ text: JSON.stringify(bad) }),
    ).rejects.toThrow(
      'bundle: runs[1].series[0].values has 1 values for 2 times; each time needs one value',
    )
    await expect(
      dst.service.handlers['runs.import']({
        text: JSON.stringify({ ...bundle, format: 'tierlab.bundle/v2' }),
      }),
    ).rejects.toThrow(/reads tierlab\.bundle up to v1; update Tierlab/)
    await expect(dst.service.handlers['runs.import']({ text: '{' })).rejects.toThrow(
      /not valid JSON/,
    )
    expect(dst.store.runs.count()).toBe(0)
    await expect(src.service.handlers['runs.export']({ ids: [run.id, 404] })).rejects.toMatchObject(
      {
        code: 'not-found',
      },
    )
  })
})
