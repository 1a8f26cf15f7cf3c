import type Database from 'better-sqlite3'
import { runNotFound } from './run-rows'
import { createRunImport } from './import'
import { createRunLifecycle, type RunOwner } from './lifecycle'
import { createRunQueries } from './queries'
import { createSeriesStore } from './series-store'
import type { RunRepository } from './types'

export function createRunRepository(
  db: Database.Database,
  now: () => string,
  owner: RunOwner,
): RunRepository {
  const seriesStore = createSeriesStore(db)
  const queries = createRunQueries(db)
  const exists = db.prepare('SELECT 1 FROM runs WHERE id = ?').pluck()
  const mustExist = (id: number) => {
    if (exists.get(id) === undefined) {
      throw runNotFound(id)
    }
  }
  return {
    ...createRunLifecycle(db, seriesStore, now, owner),
    ...queries,
    ...createRunImport(db, seriesStore),
    series(id, keys) {
      mustExist(id)
      return seriesStore.read(id, keys)
    },
    heatmap(id) {
      mustExist(id)
      return seriesStore.readHeatmap(id)
    },
  }
}

export type { RunOwner } from './lifecycle'
export type * from './types'
