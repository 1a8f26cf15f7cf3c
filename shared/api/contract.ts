import { z } from 'zod'
import type { Topology } from '../formats/topology'
import type { FieldIssue } from '../formats/parse'
import type { TopologyAnalysis } from '../analysis'
import type { RunDetail, RunRecord } from '../runs'
import { RUN_STATUSES } from '../runs'
import type { ApiMethodName } from './methods'

/**
 * The one contract between the renderer (or any client) and main: each method's input schema
 * (validated by every host before a service sees it) and its result type. Hosts, the preload and
 * the renderer client are all typed from this map, so a renamed method fails the type check.
 */

export interface AppInfo {
  version: string
  engineVersion: string
  /** Absolute path of the SQLite database in use. */
  databasePath: string
  /** Which host serves this client. */
  host: 'electron' | 'web'
}

export interface TopologyPreset {
  id: string
  name: string
  description: string
  /** Where the numbers come from. */
  source: string
  topology: Topology
}

export interface SavedTopology {
  id: number
  name: string
  createdAt: string
  updatedAt: string
  topology: Topology
}
export type SavedTopologySummary = Omit<SavedTopology, 'topology'> & {
  components: number
  links: number
}

/** Analysis never throws for a bad topology: the issues are the answer. */
export type AnalyzeResult =
  { ok: true; topology: Topology; analysis: TopologyAnalysis } | { ok: false; issues: FieldIssue[] }

/** A policy knob as the UI and `tierlab policies --json` show it. */
export interface PolicyKnob {
  name: string
  description: string
  unit: string
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'object'
  default: unknown
  min?: number
  max?: number
  values?: string[]
}
export interface PolicyInfo {
  id: string
  name: string
  description: string
  knobs: PolicyKnob[]
}

const noInput = z.strictObject({})
const rowId = z.number().int().positive()

function method<Out>() {
  return <In extends z.ZodType>(input: In, description: string) => ({
    input,
    description,
    output: undefined as unknown as Out,
  })
}

export const apiContract = {
  'app.info': method<AppInfo>()(noInput, 'Version, engine version and database path.'),
  'topology.presets': method<TopologyPreset[]>()(
    noInput,
    'The topology presets shipped in resources/.',
  ),
  'topology.analyze': method<AnalyzeResult>()(
    z.strictObject({ topology: z.unknown() }),
    'Validate a topology document and analyse it as Linux would (nodes, paths, tiers, distances).',
  ),
  'topology.list': method<SavedTopologySummary[]>()(noInput, "The user's saved topologies."),
  'topology.get': method<SavedTopology>()(z.strictObject({ id: rowId }), 'One saved topology.'),
  'topology.save': method<SavedTopology>()(
    z.strictObject({ id: rowId.optional(), topology: z.unknown() }),
    'Validate and save a topology (a new one, or replace `id`).',
  ),
  'topology.import': method<
    { ok: true; saved: SavedTopology } | { ok: false; issues: FieldIssue[] }
  >()(
    z.strictObject({ fileName: z.string().max(500), text: z.string().max(20_000_000) }),
    'Import a topology file: validated per field, saved when valid.',
  ),
  'topology.delete': method<{ deleted: boolean }>()(
    z.strictObject({ id: rowId }),
    'Delete a saved topology.',
  ),
  'policies.list': method<PolicyInfo[]>()(
    noInput,
    'Placement policies with their knobs, defaults and units.',
  ),
  'runs.list': method<RunRecord[]>()(
    z.strictObject({
      status: z.enum(RUN_STATUSES).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
    }),
    'Archived runs, newest first.',
  ),
  'runs.get': method<RunDetail>()(
    z.strictObject({ id: rowId }),
    'One run with its experiment and per-process results.',
  ),
} satisfies Record<ApiMethodName, { input: z.ZodType; description: string; output: unknown }>

export type ApiContract = typeof apiContract
export type ApiMethod = keyof ApiContract
export type ApiInput<M extends ApiMethod> = z.input<ApiContract[M]['input']>
export type ApiParsedInput<M extends ApiMethod> = z.output<ApiContract[M]['input']>
export type ApiOutput<M extends ApiMethod> = ApiContract[M]['output']

// Compile-time check that methods.ts lists exactly the contract's methods.
type _SameKeys = [ApiMethodName] extends [ApiMethod]
  ? [ApiMethod] extends [ApiMethodName]
    ? true
    : never
  : never
const _sameKeys: _SameKeys = true
void _sameKeys

/** Events pushed to clients: run progress and "something changed, reload". */
export type ApiEvent =
  | {
      type: 'run-progress'
      runId: number
      epoch: number
      simulatedS: number
      durationS: number
      etaS: number | null
      live?: Record<string, number>
    }
  | { type: 'run-status'; runId: number; status: RunRecord['status'] }
  | { type: 'changed'; what: 'topologies' | 'workloads' | 'runs' }

/** The client side: what the renderer (or a test) calls, whatever the transport. */
export interface TierlabClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>
  /** Subscribe to events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void
}
