import { ApiError, type ApiParsedInput } from '../../../shared/api'
import { MAX_BUNDLE_BYTES } from '../../../shared/api/contract'
import { summariseIssues } from '../../../shared/formats'
import type { RunRecord } from '../../../shared/runs'
import { runFingerprint, type Store } from '../../store'
import type { PresetSource } from '../experiments/catalog'
import { withEffectiveKnobs } from '../experiments/effective-knobs'
import { resolveExperiment } from '../experiments/resolve-experiment'
import { checkScriptPolicy } from '../experiments/script-policy'
import { inlineLibraryScript } from '../user-policies'
import type { ApiHandlers, ServiceEvents } from '../types'
import { bundleFileName, parseBundleText, toBundle, type ExportableRun } from './bundle'
import { createRunQueue, type RunQueueOptions, type RunQueue } from './run-queue'
import { planSweep, type SweepRequest } from './sweep-plan'

export type RunQueueMethod =
  | 'runs.start'
  | 'runs.sweep'
  | 'runs.cancel'
  | 'runs.delete'
  | 'runs.setTags'
  | 'runs.setNotes'
  | 'runs.series'
  | 'runs.heatmap'
  | 'runs.export'
  | 'runs.import'

export interface RunServiceOptions extends Pick<
  RunQueueOptions,
  'poolSize' | 'createWorker' | 'progressIntervalMs' | 'cancelGraceMs' | 'clockMs'
> {
  store: Store
  events: ServiceEvents
  presets: PresetSource
  appVersion: string
  /** Wall clock for `exportedAt`; tests pass a fixed one. */
  clock?: () => Date
  /** The largest bundle, UTF-8 bytes, export writes and import reads; MAX_BUNDLE_BYTES. */
  maxBundleBytes?: number
}

export interface RunService {
  handlers: Pick<ApiHandlers, RunQueueMethod>
  queue: RunQueue
  /** Terminates the workers; runs they held are marked interrupted. Call before closing the store. */
  close(): void
}

/** The API's one-knob or grid form as one grid. */
export function sweepRequestOf(input: ApiParsedInput<'runs.sweep'>): SweepRequest {
  const grid = input.grid ?? [{ knob: input.knob!, values: input.values! }]
  return {
    experiment: input.experiment,
    grid,
    replicates: input.replicates ?? 1,
    confirmed: input.confirmed ?? false,
  }
}

/** Runs: start, sweep, cancel, edit, series, export and import, on the queue and the store. */
export function createRunService(options: RunServiceOptions): RunService {
  const { store, events, presets, appVersion } = options
  const clock = options.clock ?? (() => new Date())
  const maxBundleBytes = options.maxBundleBytes ?? MAX_BUNDLE_BYTES
  const bundleLimit = `Tierlab imports bundles of at most ${maxBundleBytes / 2 ** 20} MiB`
  const queue = createRunQueue(options)

  const edited = (record: RunRecord) => {
    events.emit({ type: 'changed', what: 'runs' })
    return record
  }

  const handlers: Pick<ApiHandlers, RunQueueMethod> = {
    'runs.start': async ({ experiment, tags, batch, sweep }) => {
      const resolved = resolveExperiment(
        inlineLibraryScript(experiment, store),
        await presets.catalog(),
      )
      await checkScriptPolicy(resolved)
      return queue.enqueue({
        name: sweep?.name,
        experiment: withEffectiveKnobs(resolved),
        tags,
        batch,
        sweepPoint: sweep?.point,
        replicate: sweep?.replicate,
        jobId: sweep?.jobId,
      })
    },

    'runs.sweep': async (input) => {
      const request = sweepRequestOf({
        ...input,
        experiment: inlineLibraryScript(input.experiment, store),
      })
      // Every variant is checked before any is queued: a bad value queues nothing.
      const plan = planSweep(request, await presets.catalog())
      await checkScriptPolicy(plan.base)
      return plan.runs.map((run) =>
        queue.enqueue({
          name: run.name,
          experiment: run.experiment,
          tags: input.tags,
          batch: plan.batch,
          sweepPoint: run.point,
          replicate: run.replicate,
        }),
      )
    },

    'runs.cancel': ({ id }) => queue.cancel(id),

    'runs.delete': async ({ ids }) => ({ deleted: queue.delete(ids) }),

    'runs.setTags': async ({ id, tags }) => edited(store.runs.setTags(id, tags)),

    'runs.setNotes': async ({ id, notes }) => edited(store.runs.setNotes(id, notes)),

    'runs.series': async ({ id, keys }) => store.runs.series(id, keys),

    'runs.heatmap': async ({ id }) => store.runs.heatmap(id),

    'runs.export': async ({ ids }) => {
      const unique = [...new Set(ids)]
      const runs: ExportableRun[] = unique.map((id) => {
        const run = store.runs.get(id)
        if (!run) {
          throw new ApiError(
            'not-found',
            `There is no run with id ${id}; \`tierlab list\` shows which runs can be exported.`,
          )
        }
        return { run, series: store.runs.series(id), heatmap: store.runs.heatmap(id) }
      })
      const bundle = toBundle(runs, clock().toISOString(), appVersion)
      const text = JSON.stringify(bundle)
      const bytes = Buffer.byteLength(text)
      if (bytes > maxBundleBytes) {
        throw new ApiError(
          'invalid-input',
          `These ${unique.length} runs make a ${(bytes / 2 ** 20).toFixed(1)} MiB bundle; ${bundleLimit}, so export fewer runs at a time.`,
        )
      }
      return { fileName: bundleFileName(unique), text }
    },

    'runs.import': async ({ text }) => {
      const bytes = Buffer.byteLength(text)
      if (bytes > maxBundleBytes) {
        throw new ApiError(
          'invalid-input',
          `bundle: is ${(bytes / 2 ** 20).toFixed(1)} MiB; ${bundleLimit}; export the runs in smaller bundles.`,
        )
      }
      const parsed = parseBundleText(text)
      if (!parsed.ok) {
        throw new ApiError('invalid-input', summariseIssues('bundle', parsed.issues), parsed.issues)
      }
      // One transaction: a bundle is imported whole or not at all.
      const result = store.transaction(() => {
        const imported: number[] = []
        const duplicates: number[] = []
        for (const run of parsed.runs) {
          // A queue job's result merged from elsewhere (a Slurm task's export) lands once.
          const existing =
            store.runs.findDuplicate(runFingerprint(run)) ??
            (run.jobId && run.status === 'done' ? store.runs.findDoneJob(run.jobId) : null)
          if (existing !== null) duplicates.push(existing)
          else imported.push(store.runs.insertImported(run))
        }
        return { imported, duplicates }
      })
      if (result.imported.length > 0) events.emit({ type: 'changed', what: 'runs' })
      return result
    },
  }

  return { handlers, queue, close: () => queue.close() }
}
