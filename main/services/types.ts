import type { ApiEvent, ApiMethod, ApiOutput, ApiParsedInput, AppInfo } from '../../shared/api'
import type { Store } from '../store'
import type { RunServiceOptions } from './runs/run-handlers'
import type { AnalysisRunnerOptions } from './topology-analysis'

/** One async function per API method, typed from shared/api/contract.ts. */
export type ApiHandlers = {
  [M in ApiMethod]: (input: ApiParsedInput<M>) => Promise<ApiOutput<M>>
}

/** Events for every connected client (IPC windows, SSE streams). */
export interface ServiceEvents {
  emit(event: ApiEvent): void
  /** Subscribe; returns the unsubscribe function. */
  on(listener: (event: ApiEvent) => void): () => void
}

export interface ServiceOptions {
  store: Store
  /** The folder holding presets/ (resolveResourcesDir() in dev and tests). */
  resourcesDir: string
  appVersion: string
  host: AppInfo['host']
  /** Worker pool settings (size, a fake worker in tests, timings); defaults otherwise. */
  /**
   * Poll the database this often (ms) for writes by other processes and announce them as
   * `changed` events, so runs started or imported by the CLI show up live; off when absent.
   */
  watchDatabaseMs?: number
  runs?: Pick<
    RunServiceOptions,
    'poolSize' | 'createWorker' | 'progressIntervalMs' | 'cancelGraceMs' | 'clock'
  >
  /** Where topology.analyze runs (in place for small machines, a worker otherwise). */
  analysis?: AnalysisRunnerOptions
}

export interface Services {
  handlers: ApiHandlers
  events: ServiceEvents
  /** The database file, named in storage errors (a full disk, a read-only file). */
  databasePath?: string
  /** Closes the store and drops every listener. Safe to call twice. */
  close(): void
}
