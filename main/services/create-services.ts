import { ENGINE_VERSION } from '../engine/version'
import { openStore } from '../store'
import { createArchiveHandlers } from './archive-handlers'
import { watchDatabase } from './db-watch'
import { createServiceEvents } from './events'
import { createPresetSource } from './experiments/catalog'
import { createWorkloadHandlers } from './experiments/workload-handlers'
import { listPolicyInfos } from './policies'
import { readAppVersion, resolveResourcesDir } from './resources'
import { createRunService } from './runs/run-handlers'
import { createTopologyHandlers } from './topology-handlers'
import type { ApiHandlers, ServiceOptions, Services } from './types'
import { createWorkloadLibraryHandlers } from './workload-library-handlers'

/** The API implemented on a store; every host (IPC, HTTP, CLI) drives this same object. */
export function createServices(options: ServiceOptions): Services {
  const { store, resourcesDir, appVersion, host } = options
  const events = createServiceEvents()
  const presets = createPresetSource(resourcesDir)
  // Workers start on the first run, so hosts that only read (the CLI's list) pay nothing.
  const runs = createRunService({ ...options.runs, store, events, presets, appVersion })
  const handlers: ApiHandlers = {
    'app.info': async () => ({
      version: appVersion,
      engineVersion: ENGINE_VERSION,
      databasePath: store.path,
      host,
    }),
    ...createTopologyHandlers(store, resourcesDir, events),
    ...createWorkloadLibraryHandlers(store, events),
    ...createWorkloadHandlers(presets),
    'policies.list': async () => listPolicyInfos(),
    ...createArchiveHandlers(store),
    ...runs.handlers,
  }
  const watcher = options.watchDatabaseMs
    ? watchDatabase(store, (e) => events.emit(e), options.watchDatabaseMs)
    : null
  let closed = false
  return {
    handlers,
    events,
    close() {
      if (closed) return
      closed = true
      watcher?.stop()
      // Workers first: the runs they held are marked interrupted while the store is still open.
      runs.close()
      events.clear()
      store.close()
    },
  }
}

export interface OpenServicesOptions {
  dbPath: string
  /** Defaults to the repository's resources/ (dev, tests, CLI). */
  resourcesDir?: string
  host: ServiceOptions['host']
  /** Defaults to package.json's version. */
  appVersion?: string
  runs?: ServiceOptions['runs']
  watchDatabaseMs?: ServiceOptions['watchDatabaseMs']
}

/** Opens the database (StoreError when it is unusable), then builds the services on it. */
export function openServices(options: OpenServicesOptions): Services {
  const store = openStore(options.dbPath)
  try {
    return createServices({
      store,
      resourcesDir: options.resourcesDir ?? resolveResourcesDir(),
      appVersion: options.appVersion ?? readAppVersion(),
      host: options.host,
      runs: options.runs,
      watchDatabaseMs: options.watchDatabaseMs,
    })
  } catch (err) {
    store.close()
    throw err
  }
}
