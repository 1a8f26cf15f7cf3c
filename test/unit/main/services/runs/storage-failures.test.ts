import Database from 'better-sqlite3'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { ApiEvent } from '../../../../../shared/api'
import { createServiceEvents, dispatch, type Services } from '../../../../../main/services'
import { createRunService } from '../../../../../main/services/runs'
import { openStore } from '../../../../../main/store'
import { tempDb, type TempDb } from '../fixtures'
import { createFakeWorker, fakeName } from './fake-worker'
import { experimentDoc, presets } from './helpers'

// A full disk and a read-only database (issue 14, hostile hour 2 and 3). The full disk is made
// deterministic with PRAGMA max_page_count: the file may not grow, as on a disk with no space.

let db: TempDb
const closers: Array<() => void> = []
beforeEach(() => {
  db = tempDb()
})
afterEach(() => {
  for (const c of closers.splice(0).reverse()) c()
  db.cleanup()
  vi.restoreAllMocks()
})

/** Pages of a freshly created database file. */
function pagesAfterCreate(file: string): number {
  openStore(file).close()
  const raw = new Database(file)
  try {
    return raw.pragma('page_count', { simple: true }) as number
  } finally {
    raw.close()
  }
}

function fullDiskService(headroomPages: number) {
  const store = openStore(db.dbPath, { maxPageCount: pagesAfterCreate(db.dbPath) + headroomPages })
  const events = createServiceEvents()
  const seen: ApiEvent[] = []
  events.on((e) => seen.push(e))
  const service = createRunService({
    store,
    events,
    presets,
    appVersion: '0.0.0-test',
    createWorker: createFakeWorker,
    poolSize: 1,
  })
  closers.push(
    () => store.close(),
    () => service.close(),
  )
  return { store, service, seen }
}

describe('a full disk', () => {
  it('fails the run cleanly when its result does not fit: not left running, one clear reason', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    // Room for the run's row (32 KiB), not for its 1 MiB series.
    const { store, service, seen } = fullDiskService(8)
    const run = await service.handlers['runs.start']({
      experiment: experimentDoc(fakeName('big', 1, 1)),
    })
    const ended = await service.queue.settled(run.id)
    expect(ended.status).toBe('failed')
    expect(ended.error).toMatch(
      /^Could not save the run's result: The disk holding .*tierlab\.db is full \(SQLITE_FULL\).*Free some space/,
    )
    expect(store.runs.get(run.id)).toMatchObject({ status: 'failed', summary: null })
    expect(store.runs.series(run.id)).toEqual([])
    // Every listener (the CLI waits on these) hears that the run ended.
    expect(seen).toContainEqual({ type: 'run-status', runId: run.id, status: 'failed' })
    // No stack trace on stderr.
    expect(logged).not.toHaveBeenCalled()
  })

  it('refuses a new run with the same sentence when not even its row fits', async () => {
    const { store, service } = fullDiskService(0)
    const services: Services = {
      handlers: service.handlers as Services['handlers'],
      events: createServiceEvents(),
      databasePath: store.path,
      close: () => undefined,
    }
    const doc = experimentDoc(fakeName('finish'))
    // Some bytes more than a page, so the row needs a new one.
    doc.notes = 'n'.repeat(20_000)
    const reply = await dispatch(services, 'runs.start', { experiment: doc })
    expect(reply).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/is full \(SQLITE_FULL\)/) },
    })
    expect(store.runs.count()).toBe(0)
  })
})

describe('a read-only database', () => {
  it('is reported as read-only with the fix, not as an internal error', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined)
    openStore(db.dbPath).close()
    // A connection that may not write fails exactly as a read-only file does (SQLITE_READONLY).
    const raw = new Database(db.dbPath)
    closers.push(() => raw.close())
    raw.pragma('query_only = ON')
    let thrown: unknown
    try {
      raw.prepare("UPDATE runs SET notes = 'x'").run()
    } catch (err) {
      thrown = err
    }
    expect((thrown as { code?: string }).code).toBe('SQLITE_READONLY')
    const services = {
      handlers: {
        'runs.setNotes': async () => {
          throw thrown
        },
      },
      events: createServiceEvents(),
      databasePath: db.dbPath,
      close: () => undefined,
    } as unknown as Services
    const reply = await dispatch(services, 'runs.setNotes', { id: 1, notes: 'x' })
    expect(reply).toEqual({
      ok: false,
      error: {
        code: 'unavailable',
        message: `${db.dbPath} is read-only (SQLITE_READONLY), so Tierlab cannot save anything in it. Make the file and its folder writable, or point Tierlab at another file with --db FILE or TIERLAB_DB.`,
      },
    })
    expect(logged).not.toHaveBeenCalled()
  })
})
