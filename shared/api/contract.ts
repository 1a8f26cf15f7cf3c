import { z } from 'zod'
import type { Topology } from '../formats/topology'
import type { FieldIssue } from '../formats/parse'
import type { TopologyAnalysis } from '../analysis'
import type { Workload } from '../formats/workload'
import type { SavedWorkload, SavedWorkloadSummary } from '../library'
import type { HeatmapData, RunDetail, RunRecord, SeriesData } from '../runs'
import {
  userPolicyNameSchema,
  userPolicySourceSchema,
  type PolicyTemplate,
  type ScriptCheckResult,
  type UserPolicy,
  type UserPolicySummary,
} from '../user-policies'
import { RUN_STATUSES } from '../runs'
import { SWEEP_MAX_KNOBS, SWEEP_MAX_REPLICATES, type SweepInfo } from '../sweeps'
import type { StudySummary } from '../studies'
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

/** A machine file or trace handed over whole (the app's drop zones), base64 so binaries survive. */
const droppedFile = z.strictObject({
  name: z.string().min(1).max(500),
  /** 64 MiB of data at most. */
  base64: z.string().max(90_000_000),
})

/** `topology.importMachine`: the joined topology, not yet saved, and what the import assumed. */
export interface MachineImport {
  topology: Topology
  warnings: string[]
  formats: { file: string; format: string }[]
}

/** `workload.importTrace`: the trace's workload, not yet saved. */
export interface TraceImport {
  workload: Workload
  warnings: string[]
  format: string
  summary: {
    accesses: number
    footprintBytes: number
    processes: number
    regions: number
    phases: number
  }
}

/** Analysis never throws for a bad topology: the issues are the answer. */
export type AnalyzeResult =
  { ok: true; topology: Topology; analysis: TopologyAnalysis } | { ok: false; issues: FieldIssue[] }

/** A policy knob as the UI and `tierlab policies --json` show it. */
/** A policy knob, as its zod schema describes it (label, unit and description via `.meta`). */
export interface PolicyKnob {
  name: string
  /** What a form calls it, without the unit: "Hot threshold". */
  label: string
  description: string
  unit: string
  type: 'number' | 'integer' | 'boolean' | 'enum' | 'string' | 'object'
  default: unknown
  /** Smallest allowed value. */
  min?: number
  /** Values must be greater than this (e.g. 0 for a knob that must be positive). */
  exclusiveMin?: number
  /** Largest allowed value. */
  max?: number
  /** Values must be less than this. */
  exclusiveMax?: number
  values?: string[]
}
export interface PolicyInfo {
  id: string
  name: string
  description: string
  knobs: PolicyKnob[]
}

/** A workload shipped in resources/presets/workloads; `id` is what `{ "preset": id }` names. */
export interface WorkloadPreset {
  id: string
  name: string
  description: string
  workload: Workload
}

/**
 * A phase's hotness curve: `shares[i]` of the phase's accesses go to the hottest `fractions[i]`
 * of the memory it touches (both 0..1), computed in main from the compiled workload.
 */
export interface WorkloadPreview {
  process: string
  phase: number
  fractions: number[]
  shares: number[]
}

/** A `tierlab.bundle/v1` export: the file name to offer and its JSON text. */
export interface RunExport {
  fileName: string
  text: string
}

/** Ids in this database: new runs, and runs the bundle held that were already here. */
export interface RunImportResult {
  imported: number[]
  duplicates: number[]
}

const noInput = z.strictObject({})
const rowId = z.number().int().positive()
/**
 * The largest tierlab.bundle/v1 text, UTF-8 bytes, that runs.import takes and runs.export writes:
 * whatever one export produces, the same Tierlab can import, over every host. The web host's body
 * limit is derived from it (start-web-host.ts).
 */
export const MAX_BUNDLE_BYTES = 128 * 1024 * 1024

/** A run's tags, as runs.setTags and runs.start take them (and bundles must hold them). */
export const runTags = z.array(z.string().min(1).max(60)).max(32)
const sweepValues = z
  .array(z.union([z.number(), z.string().max(200), z.boolean()]))
  .min(1, { error: 'needs at least one value' })
  .max(1000, { error: 'at most 1000 values per knob' })

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
    /** `note`: the file was already saved (nothing added) or its name was taken (saved renamed). */
    { ok: true; saved: SavedTopology; note?: string } | { ok: false; issues: FieldIssue[] }
  >()(
    z.strictObject({ fileName: z.string().max(500), text: z.string().max(20_000_000) }),
    'Import a topology file: validated per field, saved when valid (once: the same file again adds nothing; a taken name gets "name (2)").',
  ),
  'topology.importMachine': method<MachineImport>()(
    z.strictObject({
      files: z.array(droppedFile).min(1).max(16),
      name: z.string().min(1).max(200).optional(),
    }),
    'Read machine files (hwloc XML, numactl --hardware, sysfs tar.gz, cxl/daxctl list JSON, MLC/Mess curves) into one topology; nothing is saved.',
  ),
  'topology.delete': method<{ deleted: boolean }>()(
    z.strictObject({ id: rowId }),
    'Delete a saved topology.',
  ),
  'policies.user.list': method<UserPolicySummary[]>()(
    noInput,
    "The user's saved policy scripts (newest version of each).",
  ),
  'policies.user.get': method<UserPolicy>()(
    z.strictObject({ name: userPolicyNameSchema, version: rowId.optional() }),
    'One saved policy script (its newest version, or `version`).',
  ),
  'policies.user.save': method<UserPolicy>()(
    z.strictObject({ name: userPolicyNameSchema, source: userPolicySourceSchema }),
    'Save a policy script; a changed source becomes a new version (drafts that do not load are kept).',
  ),
  'policies.user.delete': method<{ deleted: boolean }>()(
    z.strictObject({ name: userPolicyNameSchema }),
    'Delete a saved policy script and all its versions.',
  ),
  'policies.check': method<ScriptCheckResult>()(
    z.strictObject({ name: userPolicyNameSchema, source: userPolicySourceSchema }),
    'Load a policy script in the sandbox: its problems with line numbers, or its knobs.',
  ),
  'policies.try': method<{ scriptRunId: number; baselineRunId: number }>()(
    z.strictObject({
      name: userPolicyNameSchema,
      source: userPolicySourceSchema,
      params: z.record(z.string(), z.unknown()).default({}),
    }),
    'Queue a short run of a policy script and of first-touch on one small machine, for Compare.',
  ),
  'policies.templates': method<PolicyTemplate[]>()(
    noInput,
    'Built-in policies written as scripts, to start a user policy from.',
  ),
  'policies.list': method<PolicyInfo[]>()(
    noInput,
    'Placement policies with their knobs, defaults and units; saved scripts appear as library:NAME.',
  ),
  'runs.list': method<RunRecord[]>()(
    z.strictObject({
      status: z.enum(RUN_STATUSES).optional(),
      policyId: z.string().min(1).max(100).optional(),
      /** Runs carrying this exact tag. */
      tag: z.string().min(1).max(60).optional(),
      /** Case-insensitive text in name, policy, topology, workload, batch or notes. */
      text: z.string().min(1).max(200).optional(),
      /** Runs of one sweep (batch). */
      batch: z.string().min(1).max(200).optional(),
      /** Runs of one replicate group. */
      groupKey: z.string().min(1).max(100).optional(),
      limit: z.number().int().min(1).max(100_000).optional(),
      offset: z.number().int().min(0).optional(),
    }),
    'Archived runs, newest first.',
  ),
  'runs.get': method<RunDetail>()(
    z.strictObject({ id: rowId }),
    'One run with its experiment and per-process results.',
  ),
  'runs.start': method<RunRecord>()(
    z.strictObject({
      experiment: z.unknown(),
      tags: runTags.optional(),
      batch: z.string().min(1).max(100).optional(),
      /** Its place in a sweep planned elsewhere (a Slurm task): grid point, replicate, job id. */
      sweep: z
        .strictObject({
          point: z.record(
            z.string().max(300),
            z.union([z.number(), z.string().max(200), z.boolean()]),
          ),
          replicate: z.number().int().nonnegative(),
          jobId: z.string().min(1).max(100),
          /** The run's name in the sweep (`base [knob=value] #2`). */
          name: z.string().min(1).max(400).optional(),
        })
        .optional(),
    }),
    'Validate an experiment (presets inlined) and queue it; the record comes back queued.',
  ),
  'runs.sweep': method<RunRecord[]>()(
    z
      .strictObject({
        experiment: z.unknown(),
        /** One knob: a field path such as `policy.params.hotThresholdMs` or `topology.components[1].memory.capacityGiB`. */
        knob: z.string().min(1).max(300).optional(),
        values: sweepValues.optional(),
        /** Several knobs: their cartesian grid (instead of knob + values). */
        grid: z
          .array(z.strictObject({ knob: z.string().min(1).max(300), values: sweepValues }))
          .min(1)
          .max(SWEEP_MAX_KNOBS)
          .optional(),
        /** Seeds per grid point (the experiment's seed, +1, +2, …); they form a group. */
        replicates: z.number().int().min(1).max(SWEEP_MAX_REPLICATES).optional(),
        /** Accept a sweep of more than SWEEP_CONFIRM_RUNS runs. */
        confirmed: z.boolean().optional(),
        tags: runTags.optional(),
      })
      .refine((v) => (v.grid === undefined) === (v.knob !== undefined && v.values !== undefined), {
        error: 'give either knob and values, or grid',
      }),
    'Queue one run per grid point and replicate, all tagged with one batch id.',
  ),
  'runs.sweeps': method<SweepInfo[]>()(
    noInput,
    'Sweeps (batches) newest first, with their knobs and run counts.',
  ),
  'runs.cancel': method<RunRecord>()(
    z.strictObject({ id: rowId }),
    'Cancel a queued or running run; resolves once it has stopped.',
  ),
  'runs.delete': method<{ deleted: number }>()(
    z.strictObject({ ids: z.array(rowId).min(1).max(100_000) }),
    'Delete runs with their series (live ones are cancelled first).',
  ),
  'runs.setTags': method<RunRecord>()(
    z.strictObject({ id: rowId, tags: runTags }),
    "Replace a run's tags.",
  ),
  'runs.setNotes': method<RunRecord>()(
    z.strictObject({ id: rowId, notes: z.string().max(20_000) }),
    "Replace a run's notes.",
  ),
  'runs.series': method<SeriesData[]>()(
    z.strictObject({ id: rowId, keys: z.array(z.string().min(1).max(200)).max(1000).optional() }),
    "A run's metric series (only `keys` when given).",
  ),
  'runs.heatmap': method<HeatmapData | null>()(
    z.strictObject({ id: rowId }),
    "A run's placement heatmap (hotness rank × time → tier), or null.",
  ),
  'runs.export': method<RunExport>()(
    z.strictObject({ ids: z.array(rowId).min(1).max(10_000) }),
    'Export runs as a tierlab.bundle/v1 JSON file with series and heatmaps.',
  ),
  'runs.import': method<RunImportResult>()(
    // Characters ≤ UTF-8 bytes; the handler checks the bytes against MAX_BUNDLE_BYTES.
    z.strictObject({ text: z.string().max(MAX_BUNDLE_BYTES) }),
    'Import a tierlab.bundle/v1 file; runs already in the database are reported, never overwritten.',
  ),
  'workload.list': method<SavedWorkloadSummary[]>()(noInput, "The user's saved workloads."),
  'workload.get': method<SavedWorkload>()(z.strictObject({ id: rowId }), 'One saved workload.'),
  'workload.save': method<SavedWorkload>()(
    z.strictObject({ id: rowId.optional(), workload: z.unknown() }),
    'Validate and save a workload (a new one, or replace `id`).',
  ),
  'workload.importTrace': method<TraceImport>()(
    z.strictObject({
      file: droppedFile,
      initiator: z.string().min(1).max(64).optional(),
      pageBytes: z
        .number()
        .int()
        .min(4096)
        .max(2 ** 30)
        .optional(),
      phases: z.number().int().min(1).max(64).optional(),
    }),
    'Read a memory trace (damo, perf script, Lackey, drmemtrace view) into a workload; nothing is saved.',
  ),
  'workload.delete': method<{ deleted: boolean }>()(
    z.strictObject({ id: rowId }),
    'Delete a saved workload.',
  ),
  'workload.presets': method<WorkloadPreset[]>()(
    noInput,
    'The workload presets shipped in resources/.',
  ),
  'workload.preview': method<WorkloadPreview>()(
    z.strictObject({
      workload: z.unknown().optional(),
      preset: z.string().min(1).max(100).optional(),
      /** A process id of the workload. */
      process: z.string().min(1).max(64),
      /** Phase index, 0-based. */
      phase: z.number().int().min(0),
      /** How many points of the curve, evenly spaced fractions from 0 to 1. */
      points: z.number().int().min(2).max(1001).optional(),
    }),
    "A phase's hotness curve: the share of accesses the hottest fraction of memory receives.",
  ),
  'studies.list': method<StudySummary[]>()(
    noInput,
    'The studies in resources/studies, each with the runs of its newest `tierlab study` here.',
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
  | { type: 'changed'; what: 'topologies' | 'workloads' | 'runs' | 'policies' }

/** The client side: what the renderer (or a test) calls, whatever the transport. */
export interface TierlabClient {
  call<M extends ApiMethod>(method: M, input: ApiInput<M>): Promise<ApiOutput<M>>
  /** Subscribe to events; returns the unsubscribe function. */
  onEvent(listener: (event: ApiEvent) => void): () => void
}
