import { ENGINE_VERSION } from '../engine'
import { openStore } from '../store'
import { createArchiveHandlers } from './archive-handlers'
import { watchDatabase } from './db-watch'
import { createServiceEvents } from './events'
import { createPresetSource } from './experiments/catalog'
import { createWorkloadHandlers } from './experiments/workload-handlers'
import { readAppVersion, resolveResourcesDir } from './resources'
import { createRunService } from './runs/run-handlers'
import { createStudyHandlers } from './studies/list-handler'
import { createImportHandlers } from './import-handlers'
import { createAnalysisRunner } from './topology-analysis'
import { createTopologyHandlers } from './topology-handlers'
import { createUserPolicyHandlers } from './user-policies'
import { dryRunExperiment } from './user-policy-dry-run'
import type { ApiHandlers, ServiceOptions, Services } from './types'
import { createWorkloadLibraryHandlers } from './workload-library-handlers'

/** The API implemented on a store; every host (IPC, HTTP, CLI) drives this same object. */
export function createServices(options: ServiceOptions): Services {
  const { store, resourcesDir, appVersion, host } = options
  const events = createServiceEvents()
  const presets = createPresetSource(resourcesDir)
  // Workers start on the first run, so hosts that only read (the CLI's list) pay nothing.
  const runs = createRunService({ ...options.runs, store, events, presets, appVersion })
  const analysis = createAnalysisRunner(options.analysis)
  const handlers: ApiHandlers = {
    'app.info': async () => ({
      version: appVersion,
      engineVersion: ENGINE_VERSION,
      databasePath: store.path,
      host,
    }),
    ...createTopologyHandlers(store, resourcesDir, events, analysis),
    ...createWorkloadLibraryHandlers(store, events),
    ...createImportHandlers(),
    ...createWorkloadHandlers(presets),
    ...createUserPolicyHandlers(store, resourcesDir, events),
    ...createArchiveHandlers(store),
    ...runs.handlers,
    ...createStudyHandlers(store, resourcesDir),
    'policies.try': async ({ name, source, params }) => {
      // A short run of the script and of first-touch on the check-policy machine, one batch.
      const exp = dryRunExperiment(params, 2)
      const batch = `try-${name}`
      const start = runs.handlers['runs.start']
      const script = await start({
        experiment: { ...exp, name: `try ${name}`, policy: { script: name, source, params } },
        tags: ['try'],
        batch,
      })
      const baseline = await start({
        experiment: { ...exp, name: 'try baseline', policy: { id: 'first-touch', params: {} } },
        tags: ['try'],
        batch,
      })
      return { scriptRunId: script.id, baselineRunId: baseline.id }
    },
  }
  const watcher = options.watchDatabaseMs
    ? watchDatabase(store, (e) => events.emit(e), options.watchDatabaseMs)
    : null
  let closed = false
  return {
    handlers,
    events,
    databasePath: store.path,
    close() {
      if (closed) return
      closed = true
      watcher?.stop()
      // Workers first: the runs they held are marked interrupted while the store is still open.
      runs.close()
      analysis.close()
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
  analysis?: ServiceOptions['analysis']
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
      analysis: options.analysis,
      watchDatabaseMs: options.watchDatabaseMs,
    })
  } catch (err) {
    store.close()
    throw err
  }
}
