import { defineStore } from 'pinia'
import { computed, ref, shallowRef, watch } from 'vue'
import type { WorkloadPreset, WorkloadPreview } from '../../../../../shared/api/contract'
import { ApiError } from '../../../../../shared/api/errors'
import { parseDocument, type FieldIssue } from '../../../../../shared/formats/parse'
import type { Topology } from '../../../../../shared/formats/topology'
import type { Workload } from '../../../../../shared/formats/workload'
import type { SavedWorkloadSummary } from '../../../../../shared/library'
import { errorMessage } from '../../../api/replies'
import { useClient } from '../../../api/provide'
import type { DroppedFile } from '../../../lib/file-base64'
import { toPlain } from '../../../lib/plain'
import { blankWorkload, initiatorIssues, type WorkloadDraft } from './model/draft'
import { fieldMessage, issuesByPath } from './model/fieldIssues'
import { fittingPreset } from '../model/presetPairing'

/** Where the draft came from: a preset (sent as `{ preset }` while unchanged) or a saved one. */
export type WorkloadOrigin =
  | { kind: 'preset'; id: string }
  | { kind: 'saved'; id: number }
  | { kind: 'run'; id: number }
  | { kind: 'new' }

/** Points of the preview curve: every 2 % of memory is fine enough to read the knee. */
const PREVIEW_POINTS = 51

/**
 * The workload builder: the draft being edited, its per-field issues (from the shared zod schema,
 * plus initiators checked against the chosen topology), the phase preview from main, and the
 * library (presets and saved workloads).
 */
export const useWorkloadsStore = defineStore('workloads', () => {
  const client = useClient()

  const presets = ref<WorkloadPreset[]>([])
  const saved = ref<SavedWorkloadSummary[]>([])
  const loaded = ref(false)
  const loadError = ref<string | null>(null)

  const draft = ref<WorkloadDraft>(blankWorkload('s0'))
  const origin = ref<WorkloadOrigin>({ kind: 'new' })
  /** JSON of the draft when it was loaded: unchanged presets are sent by reference. */
  const pristineJson = ref(JSON.stringify(draft.value))
  /** The topology the initiators are checked against (the experiment's). */
  const topology = shallowRef<Topology | null>(null)

  const schemaIssues = computed<FieldIssue[]>(() => {
    const parsed = parseDocument('workload', draft.value)
    return parsed.ok ? [] : parsed.issues
  })
  const issues = computed<FieldIssue[]>(() => [
    ...schemaIssues.value,
    ...initiatorIssues(draft.value, topology.value),
  ])
  const issueMap = computed(() => issuesByPath(issues.value))
  const valid = computed(() => issues.value.length === 0)
  /** The message the field at `path` shows, or null. */
  const message = (path: string): string | null => fieldMessage(issueMap.value, path)
  const dirty = computed(() => JSON.stringify(draft.value) !== pristineJson.value)
  /** The validated workload (defaults filled in), or null while the draft has issues. */
  const parsed = computed<Workload | null>(() => {
    const res = parseDocument('workload', draft.value)
    return res.ok ? res.value : null
  })

  const saving = ref(false)
  const saveError = ref<string | null>(null)

  function replaceDraft(w: Workload, from: WorkloadOrigin): void {
    draft.value = toPlain(w)
    origin.value = from
    pristineJson.value = JSON.stringify(draft.value)
  }

  async function load(): Promise<void> {
    try {
      const [p, s] = await Promise.all([client.call('workload.presets', {}), listSaved()])
      presets.value = p
      saved.value = s
      loadError.value = null
      if (origin.value.kind === 'new' && !dirty.value && presets.value.length > 0)
        replaceDraft(presets.value[0].workload, { kind: 'preset', id: presets.value[0].id })
      if (fitting) fitTo(fitting.topology, fitting.presetId)
    } catch (e) {
      loadError.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }

  /** The machine the draft should fit, remembered so presets loaded later are fitted too. */
  let fitting: { topology: Topology; presetId: string | null } | null = null

  /**
   * Shows a workload preset that fits a newly chosen machine (its pairing, for a preset machine)
   * unless the user has edited the draft or opened a saved one: "Use in an experiment" must not
   * land on a workload whose processes run on sockets the machine lacks.
   */
  function fitTo(next: Topology, topologyPresetId: string | null): void {
    fitting = { topology: next, presetId: topologyPresetId }
    topology.value = next
    const replaceable = origin.value.kind === 'new' || origin.value.kind === 'preset'
    if (!replaceable || dirty.value || presets.value.length === 0) return
    const currentId = origin.value.kind === 'preset' ? origin.value.id : null
    const id = fittingPreset(presets.value, next, topologyPresetId, currentId)
    if (id && id !== currentId) usePreset(id)
  }

  async function listSaved(): Promise<SavedWorkloadSummary[]> {
    return client.call('workload.list', {})
  }

  function usePreset(id: string): void {
    const preset = presets.value.find((p) => p.id === id)
    if (!preset) throw new ApiError('not-found', `There is no workload preset "${id}".`)
    replaceDraft(preset.workload, { kind: 'preset', id })
  }

  async function useSaved(id: number): Promise<void> {
    const entry = await client.call('workload.get', { id })
    replaceDraft(entry.workload, { kind: 'saved', id })
  }

  /** What the last dropped trace became, and what the import assumed; null until one is dropped. */
  const traceImport = ref<{ file: string; warnings: string[]; error: string | null } | null>(null)
  const importingTrace = ref(false)

  /** A dropped trace becomes the draft (unsaved): the user reviews it and saves it as usual. */
  async function importTrace(file: DroppedFile): Promise<void> {
    importingTrace.value = true
    try {
      const r = await client.call('workload.importTrace', {
        file,
        initiator: topology.value?.components.find((c) => c.kind === 'socket')?.id,
      })
      replaceDraft(r.workload, { kind: 'new' })
      traceImport.value = { file: file.name, warnings: r.warnings, error: null }
    } catch (e) {
      traceImport.value = { file: file.name, warnings: [], error: errorMessage(e) }
    } finally {
      importingTrace.value = false
    }
  }

  function useFromRun(runId: number, w: Workload): void {
    replaceDraft(w, { kind: 'run', id: runId })
  }

  /** Saves the draft to the library (replacing the saved entry it was opened from). */
  async function save(): Promise<boolean> {
    if (!valid.value) {
      saveError.value = 'Fix the fields marked in red before saving.'
      return false
    }
    saving.value = true
    try {
      const id = origin.value.kind === 'saved' ? origin.value.id : undefined
      const entry = await client.call('workload.save', { id, workload: toPlain(draft.value) })
      replaceDraft(entry.workload, { kind: 'saved', id: entry.id })
      saved.value = await listSaved()
      saveError.value = null
      return true
    } catch (e) {
      saveError.value = errorMessage(e)
      return false
    } finally {
      saving.value = false
    }
  }

  /**
   * The workload as an experiment names it: `{ preset }` while a preset is unchanged (the run then
   * records where it came from), else the full document. Null while the draft is invalid.
   */
  const experimentWorkload = computed<Workload | { preset: string } | null>(() => {
    if (!valid.value || !parsed.value) return null
    if (origin.value.kind === 'preset' && !dirty.value) return { preset: origin.value.id }
    return parsed.value
  })

  // Preview: one curve per (process, phase), asked of main when the draft settles.
  const preview = ref<Record<string, WorkloadPreview>>({})
  const previewError = ref<string | null>(null)
  let previewSeq = 0

  async function refreshPreview(): Promise<void> {
    const seq = ++previewSeq
    const w = parsed.value
    if (!w || schemaIssues.value.length > 0) return
    try {
      const pairs = w.processes.flatMap((p) => p.phases.map((_, phase) => ({ p: p.id, phase })))
      const curves = await Promise.all(
        pairs.map(({ p, phase }) =>
          client.call('workload.preview', {
            workload: toPlain(w),
            process: p,
            phase,
            points: PREVIEW_POINTS,
          }),
        ),
      )
      if (seq !== previewSeq) return
      preview.value = Object.fromEntries(curves.map((c) => [previewKey(c.process, c.phase), c]))
      previewError.value = null
    } catch (e) {
      if (seq === previewSeq) previewError.value = errorMessage(e)
    }
  }

  // Typing fires many edits; ask main once the user pauses.
  let previewTimer: ReturnType<typeof setTimeout> | undefined
  watch(
    draft,
    () => {
      clearTimeout(previewTimer)
      previewTimer = setTimeout(() => void refreshPreview(), 250)
    },
    { deep: true },
  )

  client.onEvent((event) => {
    if (event.type === 'changed' && event.what === 'workloads')
      listSaved()
        .then((list) => (saved.value = list))
        .catch((e: unknown) => (loadError.value = errorMessage(e)))
  })

  return {
    fitTo,
    presets,
    saved,
    loaded,
    loadError,
    draft,
    origin,
    pristineJson,
    topology,
    issues,
    issueMap,
    message,
    valid,
    dirty,
    saving,
    saveError,
    experimentWorkload,
    preview,
    previewError,
    load,
    usePreset,
    useSaved,
    useFromRun,
    replaceDraft,
    save,
    refreshPreview,
    traceImport,
    importingTrace,
    importTrace,
  }
})

export function previewKey(process: string, phase: number): string {
  return `${process}#${phase}`
}
