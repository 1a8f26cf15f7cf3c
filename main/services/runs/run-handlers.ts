import { randomUUID } from 'node:crypto'
import { ApiError } from '../../../shared/api'
import { summariseIssues } from '../../../shared/formats'
import type { RunRecord } from '../../../shared/runs'
import { runFingerprint, type Store } from '../../store'
import type { PresetSource } from '../experiments/catalog'
import { setKnob, type KnobValue } from '../experiments/knob-path'
import { checkExperiment, resolveExperiment } from '../experiments/resolve-experiment'
import type { ApiHandlers, ServiceEvents } from '../types'
import { bundleFileName, parseBundleText, toBundle, type ExportableRun } from './bundle'
import { createRunQueue, type RunQueueOptions, type RunQueue } from './run-queue'

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
}

export interface RunService {
  handlers: Pick<ApiHandlers, RunQueueMethod>
  queue: RunQueue
  /** Terminates the workers; runs they held are marked interrupted. Call before closing the store. */
  close(): void
}

const describeValue = (v: KnobValue) => (typeof v === 'string' ? v : JSON.stringify(v))

/** Runs: start, sweep, cancel, edit, series, export and import, on the queue and the store. */
export function createRunService(options: RunServiceOptions): RunService {
  const { store, events, presets, appVersion } = options
  const clock = options.clock ?? (() => new Date())
  const queue = createRunQueue(options)

  const edited = (record: RunRecord) => {
    events.emit({ type: 'changed', what: 'runs' })
    return record
  }

  const handlers: Pick<ApiHandlers, RunQueueMethod> = {
    'runs.start': async ({ experiment, tags, batch }) => {
      const resolved = resolveExperiment(experiment, await presets.catalog())
      return queue.enqueue({ experiment: resolved, tags, batch })
    },

    'runs.sweep': async ({ experiment, knob, values, tags }) => {
      const catalog = await presets.catalog()
      const base = resolveExperiment(experiment, catalog)
      // Every variant is checked before any is queued: a bad value queues nothing.
      const variants = values.map((value) => {
        const res = checkExperiment(setKnob(base, knob, value), catalog)
        if (!res.ok) {
          throw new ApiError(
            'invalid-input',
            summariseIssues(`${knob}=${describeValue(value)}`, res.issues),
            res.issues,
          )
        }
        return { value, experiment: res.experiment }
      })
      const batch = `sweep-${randomUUID().slice(0, 8)}`
      return variants.map(({ value, experiment: exp }) =>
        queue.enqueue({
          name: `${base.name} [${knob}=${describeValue(value)}]`,
          experiment: exp,
          tags,
          batch,
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
      return { fileName: bundleFileName(unique), text: JSON.stringify(bundle) }
    },

    'runs.import': async ({ text }) => {
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
