import type {
  AnalyzeResult,
  ApiEvent,
  ApiInput,
  ApiMethod,
  ApiOutput,
  AppInfo,
  PolicyInfo,
  SavedTopology,
  TierlabClient,
  TopologyPreset,
} from '../../../shared/api/contract'
import { ApiError } from '../../../shared/api/errors'
import { parseDocument, parseDocumentText } from '../../../shared/formats/parse'
import { placeImport } from '../../../shared/library-import'
import type { Topology } from '../../../shared/formats/topology'
import type { RunRecord } from '../../../shared/runs'

export interface FakeClientSeed {
  info?: Partial<AppInfo>
  presets?: TopologyPreset[]
  saved?: SavedTopology[]
  runs?: RunRecord[]
  policies?: PolicyInfo[]
  /** The analysis the fake answers with; the real one lives in main/engine. */
  analyze?: (topology: Topology) => AnalyzeResult
  /** ISO time stamped on saved topologies (the fake has no clock of its own). */
  now?: string
  /** Extra or replacement answers, for methods the fake does not model. */
  handlers?: FakeHandlers
}

export interface FakeClient extends TierlabClient {
  /** Every call made, in order, for tests to inspect. */
  readonly calls: Array<{ method: ApiMethod; input: unknown }>
  /** Pushes an event to the subscribers, as the host would. */
  emit(event: ApiEvent): void
  /** Makes the next call of `method` fail with `error`. */
  failNext(method: ApiMethod, error: ApiError): void
}

type Handler = (input: never) => unknown

/** Answers per method; methods without one reject with an 'unavailable' ApiError. */
export type FakeHandlers = { [M in ApiMethod]?: (input: ApiInput<M>) => ApiOutput<M> }

/**
 * An in-memory TierlabClient for component and store tests (style-anchors.md "What to absorb"
 * 11): topologies are validated with the real shared/formats schemas, so import errors carry the
 * same per-field issues as the host's.
 */
export function createFakeClient(seed: FakeClientSeed = {}): FakeClient {
  const saved = new Map<number, SavedTopology>((seed.saved ?? []).map((s) => [s.id, s]))
  let nextId = Math.max(0, ...saved.keys()) + 1
  const now = seed.now ?? '2026-01-01T00:00:00.000Z'
  const listeners = new Set<(event: ApiEvent) => void>()
  const failures = new Map<ApiMethod, ApiError>()
  const calls: FakeClient['calls'] = []

  const emit = (event: ApiEvent): void => {
    for (const l of [...listeners]) l(event)
  }
  const analyze = (doc: unknown): AnalyzeResult => {
    const parsed = parseDocument('topology', doc)
    if (!parsed.ok) return { ok: false, issues: parsed.issues }
    if (!seed.analyze) throw new ApiError('unavailable', 'The fake client was given no analysis.')
    return seed.analyze(parsed.value)
  }
  const store = (topology: Topology, id?: number): SavedTopology => {
    const entry: SavedTopology = {
      id: id ?? nextId++,
      name: topology.name,
      createdAt: saved.get(id ?? -1)?.createdAt ?? now,
      updatedAt: now,
      topology,
    }
    saved.set(entry.id, entry)
    emit({ type: 'changed', what: 'topologies' })
    return entry
  }
  const get = (id: number): SavedTopology => {
    const entry = saved.get(id)
    if (!entry) throw new ApiError('not-found', `No saved topology with id ${id}.`)
    return entry
  }

  const handlers: FakeHandlers = {
    'app.info': () => ({
      version: '0.0.0-fake',
      engineVersion: 'fake',
      databasePath: '/tmp/fake.db',
      host: 'web',
      ...seed.info,
    }),
    'topology.presets': () => seed.presets ?? [],
    'topology.analyze': ({ topology }) => analyze(topology),
    'topology.list': () =>
      [...saved.values()].map(({ topology, ...rest }) => ({
        ...rest,
        components: topology.components.length,
        links: topology.links.length,
      })),
    'topology.get': ({ id }) => get(id),
    'topology.save': ({ id, topology }) => {
      const parsed = parseDocument('topology', topology)
      if (!parsed.ok) throw new ApiError('invalid-input', 'The topology is invalid.', parsed.issues)
      if (id !== undefined) get(id)
      return store(parsed.value, id)
    },
    'topology.import': ({ text }) => {
      const parsed = parseDocumentText('topology', text)
      if (!parsed.ok) return { ok: false, issues: parsed.issues }
      // The same rule as the host (main/services/topology-handlers.ts).
      const place = placeImport(parsed.value, [...saved.values()], (id) => get(id).topology)
      if (place.kind === 'duplicate')
        return { ok: true, saved: get(place.id), note: 'This topology is already in your library.' }
      return { ok: true, saved: store({ ...parsed.value, name: place.name }) }
    },
    'topology.delete': ({ id }) => {
      const deleted = saved.delete(id)
      if (deleted) emit({ type: 'changed', what: 'topologies' })
      return { deleted }
    },
    'policies.list': () => seed.policies ?? [],
    'runs.list': () => seed.runs ?? [],
    'runs.get': ({ id }) => {
      throw new ApiError('not-found', `No run with id ${id}.`)
    },
  }

  return {
    calls,
    emit,
    failNext(method, error) {
      failures.set(method, error)
    },
    async call(method, input) {
      calls.push({ method, input })
      const failure = failures.get(method)
      if (failure) {
        failures.delete(method)
        throw failure
      }
      const handler = (seed.handlers?.[method] ?? handlers[method]) as Handler | undefined
      if (!handler) {
        throw new ApiError(
          'unavailable',
          `The fake client has no answer for ${method}; pass one in handlers.`,
        )
      }
      // Structured clone: callers must not share objects with the fake's "database".
      return structuredClone(handler(input as never)) as never
    },
    onEvent(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
  }
}
