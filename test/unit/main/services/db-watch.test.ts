import { afterEach, describe, expect, it, vi } from 'vitest'
import type { ApiEvent } from '../../../../shared/api'
import { openServices, resolveResourcesDir, type Services } from '../../../../main/services'
import { openStore } from '../../../../main/store'
import { seedRuns, tempDb, type TempDb } from './fixtures'

/**
 * The Queue said it shows CLI runs but only this process's events reached it. Services opened
 * with watchDatabaseMs announce writes by another connection to the same file (a second process
 * in real use) as `changed` events, and stay quiet about their own.
 */
describe('watching the shared database', () => {
  let db: TempDb
  let services: Services | null = null
  afterEach(() => {
    services?.close()
    db?.cleanup()
  })

  function watched(): { events: ApiEvent[] } {
    db = tempDb()
    services = openServices({
      dbPath: db.dbPath,
      resourcesDir: resolveResourcesDir(),
      host: 'web',
      watchDatabaseMs: 20,
    })
    const events: ApiEvent[] = []
    services.events.on((e) => events.push(e))
    return { events }
  }

  it('announces runs another connection writes, within a poll', async () => {
    const { events } = watched()
    const other = openStore(db.dbPath)
    const { queuedId } = seedRuns(other) // what `tierlab run` or `import` would write
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'changed', what: 'runs' }))
    // And again for a later change: the run the CLI then starts.
    events.length = 0
    other.runs.markRunning(queuedId)
    await vi.waitFor(() => expect(events).toContainEqual({ type: 'changed', what: 'runs' }))
    other.close()
  })

  it('stays quiet while nobody else writes', async () => {
    const { events } = watched()
    await services!.handlers['runs.list']({})
    await new Promise((r) => setTimeout(r, 120))
    expect(events.filter((e) => e.type === 'changed')).toEqual([])
  })

  it('stops polling when the services close', async () => {
    const { events } = watched()
    services!.close()
    services = null
    const other = openStore(db.dbPath)
    seedRuns(other)
    await new Promise((r) => setTimeout(r, 120))
    expect(events).toEqual([])
    other.close()
  })
})
