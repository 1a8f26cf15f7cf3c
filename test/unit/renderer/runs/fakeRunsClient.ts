import { createApp } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type {
  ApiEvent,
  ApiInput,
  ApiMethod,
  ApiOutput,
  TierlabClient,
} from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import type { Experiment } from '../../../../shared/formats/experiment'
import type { HeatmapData, RunDetail, RunRecord, SeriesData } from '../../../../shared/runs'
import { provideClient } from '../../../../renderer/src/api/provide'

/** A run as the archive lists it; every field can be overridden. */
export function makeRun(id: number, over: Partial<RunRecord> = {}): RunRecord {
  return {
    id,
    name: `run ${id}`,
    status: 'done',
    policyId: 'first-touch',
    topologyName: '2S + CXL',
    workloadName: 'kv-store',
    seed: 1,
    engineVersion: '1.0.0',
    createdAt: `2026-01-${String(((id - 1) % 28) + 1).padStart(2, '0')}T10:00:00.000Z`,
    startedAt: null,
    finishedAt: null,
    wallMs: 1000 * id,
    tags: [],
    notes: '',
    batch: null,
    summary: { throughputOpsPerS: 1000 * id, topTierHitRatio: 0.5 },
    error: null,
    ...over,
  }
}

/** A minimal experiment snapshot (presets referenced, as the diff only reads paths). */
export function makeExperiment(over: Record<string, unknown> = {}): Experiment {
  return {
    format: 'tierlab.experiment/v1',
    name: 'exp',
    topology: { preset: '2s-cxl' },
    workload: { preset: 'kv-store' },
    policy: { id: 'first-touch', params: {} },
    pageBytes: 4096,
    durationS: 2,
    epochMs: 10,
    seed: 1,
    mode: 'fast',
    tags: [],
    ...over,
  } as Experiment
}

export function makeSeries(
  key: string,
  label: string,
  unit: string,
  t: number[],
  values: number[],
): SeriesData {
  return { key, label, unit, t, values }
}

export interface FakeRunsDb {
  runs: RunRecord[]
  /** Delay of runs.list without a limit, ms (the host is slow to list everything). */
  fullListDelayMs?: number
  details?: Record<number, Partial<RunDetail>>
  series?: Record<number, SeriesData[]>
  heatmaps?: Record<number, HeatmapData | null>
}

export interface FakeRunsClient extends TierlabClient {
  readonly calls: Array<{ method: ApiMethod; input: unknown }>
  emit(event: ApiEvent): void
  /** The fake's current runs (after deletes and edits). */
  runs(): RunRecord[]
  failNext(method: ApiMethod, error: ApiError): void
}

/** An in-memory host for the runs.* methods, as main/services answers them. */
export function createFakeRunsClient(db: FakeRunsDb): FakeRunsClient {
  let runs = db.runs.map((r) => structuredClone(r))
  const listeners = new Set<(e: ApiEvent) => void>()
  const calls: FakeRunsClient['calls'] = []
  const failures = new Map<ApiMethod, ApiError>()
  const find = (id: number): RunRecord => {
    const r = runs.find((x) => x.id === id)
    if (!r) throw new ApiError('not-found', `There is no run with id ${id}.`)
    return r
  }
  const handlers: Partial<{ [M in ApiMethod]: (input: ApiInput<M>) => ApiOutput<M> }> = {
    'runs.list': ({ limit }) => (limit === undefined ? runs : runs.slice(0, limit)),
    'runs.get': ({ id }) => ({
      ...find(id),
      experiment: makeExperiment({ name: find(id).name }),
      processes: [],
      nodes: [],
      ...db.details?.[id],
    }),
    'runs.series': ({ id, keys }) => {
      find(id)
      const all = db.series?.[id] ?? []
      return keys ? all.filter((s) => keys.includes(s.key)) : all
    },
    'runs.heatmap': ({ id }) => {
      find(id)
      return db.heatmaps?.[id] ?? null
    },
    'runs.setTags': ({ id, tags }) => {
      const r = { ...find(id), tags }
      runs = runs.map((x) => (x.id === id ? r : x))
      return r
    },
    'runs.setNotes': ({ id, notes }) => {
      const r = { ...find(id), notes }
      runs = runs.map((x) => (x.id === id ? r : x))
      return r
    },
    'runs.delete': ({ ids }) => {
      const before = runs.length
      runs = runs.filter((r) => !ids.includes(r.id))
      return { deleted: before - runs.length }
    },
    'runs.export': ({ ids }) => ({
      fileName: `tierlab-runs-${ids.join('-')}.json`,
      text: JSON.stringify({ format: 'tierlab.bundle/v1', runs: ids.map(find) }),
    }),
  }
  return {
    calls,
    runs: () => runs,
    emit(event) {
      for (const l of [...listeners]) l(event)
    },
    failNext(method, error) {
      failures.set(method, error)
    },
    async call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>> {
      calls.push({ method, input })
      const failure = failures.get(method)
      if (failure) {
        failures.delete(method)
        throw failure
      }
      const isFullList = method === 'runs.list' && (input as { limit?: number }).limit === undefined
      if (isFullList && db.fullListDelayMs)
        await new Promise((r) => setTimeout(r, db.fullListDelayMs))
      const handler = handlers[method] as ((i: ApiInput<M>) => ApiOutput<M>) | undefined
      if (!handler) throw new ApiError('unknown-method', `The fake has no ${method}.`)
      return structuredClone(handler(input))
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}

/** A Pinia bound to an app that provides this client, as main.ts wires the real one. */
export function setupWith(client: TierlabClient): Pinia {
  const app = createApp({})
  provideClient(app, client)
  const pinia = createPinia()
  app.use(pinia)
  setActivePinia(pinia)
  return pinia
}

/** Lets pending promise callbacks run. */
export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}
