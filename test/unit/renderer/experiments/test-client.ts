import { createApp } from 'vue'
import { createPinia, setActivePinia, type Pinia } from 'pinia'
import type {
  ApiEvent,
  ApiInput,
  ApiMethod,
  ApiOutput,
  PolicyInfo,
  TierlabClient,
  WorkloadPreset,
} from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import type { Workload } from '../../../../shared/formats/workload'
import type { RunRecord } from '../../../../shared/runs'
import { createFakeClient } from '../../../../renderer/src/api/fake-client'
import { provideClient } from '../../../../renderer/src/api/provide'
import { presets as topologyPresets } from '../helpers/fixtures'

type Handlers = { [M in ApiMethod]?: (input: ApiInput<M>) => ApiOutput<M> }

export interface TestClient extends TierlabClient {
  calls: Array<{ method: ApiMethod; input: unknown }>
  emit(event: ApiEvent): void
  failNext(method: ApiMethod, error: ApiError): void
  callsOf<M extends ApiMethod>(method: M): Array<ApiInput<M>>
}

/**
 * The frame helper's fake client (topologies, policies) plus in-memory runs, workload presets,
 * previews and library, so builder tests see what the host would answer.
 */
export function createTestClient(
  options: { policies?: PolicyInfo[]; handlers?: Handlers } = {},
): TestClient {
  const base = createFakeClient({
    presets: topologyPresets,
    policies: options.policies ?? POLICIES,
  })
  const calls: TestClient['calls'] = []
  const failures = new Map<ApiMethod, ApiError>()
  let nextRunId = 1
  const record = (
    name: string,
    policyId: string,
    tags: string[],
    batch: string | null,
  ): RunRecord => ({
    id: nextRunId++,
    name,
    status: 'queued',
    policyId,
    topologyName: 'T',
    workloadName: 'W',
    seed: 1,
    engineVersion: 'test',
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    wallMs: null,
    tags,
    notes: '',
    batch,
    summary: null,
    error: null,
  })
  const defaults: Handlers = {
    'workload.presets': () => WORKLOAD_PRESETS,
    'workload.list': () => [],
    'workload.preview': ({ process, phase, points }) => {
      const n = points ?? 3
      const fractions = Array.from({ length: n }, (_, i) => i / (n - 1))
      return { process, phase, fractions, shares: fractions.map((x) => Math.sqrt(x)) }
    },
    'runs.start': ({ experiment, tags }) => {
      const e = experiment as { name: string; policy: { id: string } }
      return record(e.name, e.policy.id, tags ?? [], null)
    },
    'runs.sweep': ({ experiment, values, tags }) => {
      const e = experiment as { name: string; policy: { id: string } }
      return (values ?? []).map((v) =>
        record(`${e.name} ${String(v)}`, e.policy.id, tags ?? [], 'sweep-1'),
      )
    },
    'runs.cancel': ({ id }) => ({ ...record('x', 'p', [], null), id, status: 'cancelled' }),
    'runs.list': () => [],
  }
  const handlers: Handlers = { ...defaults, ...options.handlers }
  return {
    calls,
    emit: (e) => base.emit(e),
    failNext: (m, e) => failures.set(m, e),
    callsOf: <M extends ApiMethod>(m: M) =>
      calls.filter((c) => c.method === m).map((c) => c.input as ApiInput<M>),
    onEvent: (l) => base.onEvent(l),
    async call(method, input) {
      calls.push({ method, input: JSON.parse(JSON.stringify(input)) as unknown })
      const failure = failures.get(method)
      if (failure) {
        failures.delete(method)
        throw failure
      }
      const h = handlers[method] as ((i: unknown) => unknown) | undefined
      if (h) return JSON.parse(JSON.stringify(h(input))) as never
      return base.call(method, input)
    },
  }
}

export function setupTestStores(client: TestClient = createTestClient()): {
  client: TestClient
  pinia: Pinia
} {
  const app = createApp({})
  provideClient(app, client)
  const pinia = createPinia()
  app.use(pinia)
  setActivePinia(pinia)
  return { client, pinia }
}

export async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((r) => setTimeout(r, 0))
}

/** Two policies shaped as policies.list reports them (numbers, flags, enums, an object). */
export const POLICIES: PolicyInfo[] = [
  { id: 'first-touch', name: 'First touch', description: 'Local first, no tiering.', knobs: [] },
  {
    id: 'numa-balancing-tiering',
    name: 'NUMA balancing, tiering mode',
    description: 'numa_balancing=2.',
    knobs: [
      {
        name: 'hotThresholdMs',
        label: 'Hot threshold',
        description: 'Hint-fault latency below which a page is hot.',
        unit: 'ms',
        type: 'number',
        default: 1000,
        exclusiveMin: 0,
        max: 3_600_000,
      },
      {
        name: 'scanSizeMB',
        label: 'Scan size',
        description: 'Pages made PROT_NONE per scan window.',
        unit: 'MB',
        type: 'integer',
        default: 256,
        min: 1,
      },
      {
        name: 'thresholdAutoAdjust',
        label: 'Adjust the threshold',
        description: 'Adjust the hot threshold.',
        unit: '',
        type: 'boolean',
        default: true,
      },
      {
        name: 'promotion',
        label: 'Promotion',
        description: 'sync or async.',
        unit: '',
        type: 'enum',
        default: 'sync',
        values: ['sync', 'async'],
      },
      {
        name: 'nodes',
        label: 'Nodes',
        description: 'NUMA nodes.',
        unit: 'node ids',
        type: 'object',
        default: [],
      },
    ],
  },
]

export const kvWorkload: Workload = {
  format: 'tierlab.workload/v1',
  name: 'KV',
  regions: [
    { id: 'index', sizeGiB: 2, firstTouch: 'server', allocation: 'start' },
    { id: 'items', sizeGiB: 30, firstTouch: 'server', allocation: 'start' },
  ],
  processes: [
    {
      id: 'server',
      initiator: 's0',
      threads: 16,
      computeNsPerOp: 1000,
      accessesPerOp: 6,
      mlp: 2,
      writeFraction: 0.05,
      phases: [
        {
          durationS: 60,
          accesses: [
            {
              region: 'index',
              share: 0.35,
              pattern: { kind: 'zipf', s: 0.99, layout: 'shuffled' },
            },
            {
              region: 'items',
              share: 0.65,
              pattern: { kind: 'zipf', s: 0.99, layout: 'shuffled' },
            },
          ],
        },
      ],
    },
  ],
}

export const WORKLOAD_PRESETS: WorkloadPreset[] = [
  { id: 'kv-store', name: 'KV', description: 'A key-value store.', workload: kvWorkload },
]

/** Not found, as the host answers for an unknown id. */
export const notFound = (what: string) => new ApiError('not-found', `There is no ${what}.`)
