import { defineStore } from 'pinia'
import { computed, ref, shallowRef } from 'vue'
import type {
  PolicyInfo,
  SavedTopologySummary,
  TopologyPreset,
} from '../../../../shared/api/contract'
import { ApiError } from '../../../../shared/api/errors'
import type { FieldIssue } from '../../../../shared/formats/parse'
import type { Topology } from '../../../../shared/formats/topology'
import type { RunRecord } from '../../../../shared/runs'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'
import { announceQueued } from '../../lib/queuedRuns'
import { useWorkloadsStore } from './workloads/workloadsStore'
import { planScriptRerun } from './model/scriptRerun'
import {
  DEFAULT_SETTINGS,
  groupTag,
  parseSweepValues,
  runStartInputs,
  settingsIssues,
  sweepInput,
  experimentDoc,
  type DocRef,
  type ExperimentBase,
  type PolicyChoice,
  type RunSettings,
} from './model/experimentPayload'
import {
  defaultFormValues,
  formValuesFromParams,
  knobToField,
  readKnobs,
  type KnobField,
  type KnobFormValues,
} from './model/knobFields'
import {
  policyTargets,
  settingTargets,
  topologyTargets,
  type SweepTarget,
} from './model/sweepTargets'

/** `preset:<id>`, `saved:<row id>` or `run:<run id>` (a run's inlined topology, for reruns). */
export type TopologyChoice = string

/**
 * The experiment builder: topology, workload (the workloads store's draft), policies with their
 * knob forms, run settings and a sweep; "Run" and "Sweep" queue runs through the API.
 */
export const useExperimentsStore = defineStore('experiments', () => {
  const client = useClient()

  const policies = ref<PolicyInfo[]>([])
  const topologyPresets = ref<TopologyPreset[]>([])
  const savedTopologies = ref<SavedTopologySummary[]>([])
  const loaded = ref(false)
  const loadError = ref<string | null>(null)

  const topologyChoice = ref<TopologyChoice>('')
  const topology = shallowRef<Topology | null>(null)
  const topologyError = ref<string | null>(null)

  const selectedPolicies = ref<string[]>([])
  const knobValues = ref<Record<string, KnobFormValues>>({})
  const settings = ref<RunSettings>({ ...DEFAULT_SETTINGS })

  const sweepPath = ref('')
  const sweepText = ref('')

  const submitting = ref(false)
  /** The API's refusal, with its text and per-field issues when it sent them. */
  const submitError = ref<{ message: string; issues: FieldIssue[] } | null>(null)
  const lastQueued = ref<RunRecord[]>([])
  const prefilledFrom = ref<number | null>(null)

  const fieldsByPolicy = computed<Record<string, KnobField[]>>(() =>
    Object.fromEntries(policies.value.map((p) => [p.id, p.knobs.map(knobToField)])),
  )

  function knobErrors(policyId: string): Record<string, string> {
    const res = readKnobs(fieldsByPolicy.value[policyId] ?? [], knobValues.value[policyId] ?? {})
    return res.ok ? {} : res.errors
  }

  const topologyRef = computed<DocRef<Topology> | null>(() => {
    if (topologyChoice.value.startsWith('preset:')) return { preset: topologyChoice.value.slice(7) }
    return topology.value
  })

  const settingsProblems = computed(() =>
    settingsIssues({
      settings: settings.value,
      topology: { preset: 'x' },
      workload: { preset: 'x' },
    }),
  )
  const settingsMessage = (path: string): string | null =>
    settingsProblems.value.find((i) => i.path === path)?.message ?? null

  /** Why Run is disabled, in words; null when it may run. */
  const blocker = computed<string | null>(() => {
    const workloads = useWorkloadsStore()
    if (!topologyRef.value) return 'Choose a topology.'
    if (!workloads.valid) return 'Fix the workload fields marked in red.'
    if (selectedPolicies.value.length === 0) return 'Choose at least one policy.'
    for (const id of selectedPolicies.value)
      if (Object.keys(knobErrors(id)).length) return `Fix the knobs of ${id}.`
    if (settingsProblems.value.length) return 'Fix the run settings marked in red.'
    return null
  })

  const sweepTargets = computed<SweepTarget[]>(() => [
    ...policyTargets(policies.value.filter((p) => selectedPolicies.value.includes(p.id))),
    ...topologyTargets(topology.value),
    ...settingTargets(),
  ])
  const sweepTarget = computed(
    () => sweepTargets.value.find((t) => t.path === sweepPath.value) ?? null,
  )
  const sweepValues = computed(() => {
    const t = sweepTarget.value
    if (!t) return null
    return parseSweepValues(sweepText.value, t.kind, t.options)
  })

  async function load(): Promise<void> {
    const workloads = useWorkloadsStore()
    try {
      const [p, tp, st] = await Promise.all([
        client.call('policies.list', {}),
        client.call('topology.presets', {}),
        client.call('topology.list', {}),
        workloads.loaded ? Promise.resolve() : workloads.load(),
      ])
      policies.value = p
      topologyPresets.value = tp
      savedTopologies.value = st
      for (const policy of p)
        knobValues.value[policy.id] ??= defaultFormValues(policy.knobs.map(knobToField))
      loadError.value = null
      if (!topologyChoice.value && tp.length > 0) await chooseTopology(`preset:${tp[0].id}`)
    } catch (e) {
      loadError.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }

  let chooseSeq = 0
  async function chooseTopology(choice: TopologyChoice, doc?: Topology): Promise<void> {
    const seq = ++chooseSeq
    topologyChoice.value = choice
    topologyError.value = null
    try {
      let next: Topology | null = doc ?? null
      if (!next && choice.startsWith('preset:')) {
        const id = choice.slice(7)
        next = topologyPresets.value.find((p) => p.id === id)?.topology ?? null
        if (!next) throw new ApiError('not-found', `There is no topology preset "${id}".`)
      } else if (!next && choice.startsWith('saved:')) {
        next = (await client.call('topology.get', { id: Number(choice.slice(6)) })).topology
      }
      if (seq !== chooseSeq) return
      topology.value = next
      if (next)
        useWorkloadsStore().fitTo(next, choice.startsWith('preset:') ? choice.slice(7) : null)
      else useWorkloadsStore().topology = null
    } catch (e) {
      if (seq === chooseSeq) topologyError.value = errorMessage(e)
    }
  }

  function togglePolicy(id: string): void {
    const i = selectedPolicies.value.indexOf(id)
    if (i >= 0) selectedPolicies.value.splice(i, 1)
    else selectedPolicies.value.push(id)
  }

  function resetKnobs(id: string): void {
    knobValues.value[id] = defaultFormValues(fieldsByPolicy.value[id] ?? [])
  }

  function base(): ExperimentBase | null {
    const workload = useWorkloadsStore().experimentWorkload
    if (!topologyRef.value || !workload) return null
    return { settings: settings.value, topology: topologyRef.value, workload }
  }

  function choices(): PolicyChoice[] {
    return selectedPolicies.value.map((id) => {
      const res = readKnobs(fieldsByPolicy.value[id] ?? [], knobValues.value[id] ?? {})
      if (!res.ok) throw new ApiError('invalid-input', `Fix the knobs of ${id} first.`)
      return { id, params: res.params }
    })
  }

  async function submit(work: () => Promise<RunRecord[]>): Promise<RunRecord[]> {
    submitting.value = true
    submitError.value = null
    try {
      const runs = await work()
      lastQueued.value = runs
      announceQueued(runs)
      return runs
    } catch (e) {
      submitError.value = {
        message: errorMessage(e),
        issues: e instanceof ApiError ? (e.issues ?? []) : [],
      }
      return []
    } finally {
      submitting.value = false
    }
  }

  /** Queues one run per selected policy, tagged as one set. */
  function run(now: Date = new Date()): Promise<RunRecord[]> {
    return submit(async () => {
      const b = base()
      if (blocker.value || !b) throw new Error(blocker.value ?? 'The experiment is incomplete.')
      const inputs = runStartInputs(b, choices(), groupTag(settings.value.name, now))
      const out: RunRecord[] = []
      // One at a time: the queue keeps the order the user sees, and a refusal stops the rest.
      for (const input of inputs) out.push(await client.call('runs.start', input))
      return out
    })
  }

  /**
   * What "Queue sweep" will queue, in words, so no ticked policy is silently left out: a policy
   * knob sweeps that policy and runs each other ticked policy once beside it, for reference.
   */
  const sweepPlan = computed<string | null>(() => {
    const target = sweepTarget.value
    const values = sweepValues.value
    if (!target || !values?.ok) return null
    const n = values.values.length
    if (target.policyId === null) {
      const ids = selectedPolicies.value
      return `${n * ids.length} runs: ${n} values × ${ids.length} ticked ${ids.length === 1 ? 'policy' : 'policies'} (${ids.join(', ')}).`
    }
    const others = selectedPolicies.value.filter((id) => id !== target.policyId)
    const swept = `${n} runs of ${target.policyId}, one per value`
    return others.length === 0
      ? `${swept}.`
      : `${swept}, and 1 run each of ${others.join(', ')} at ${others.length === 1 ? 'its' : 'their'} current knobs for reference, all tagged together.`
  })

  /**
   * Queues a sweep: a policy knob sweeps that policy (and runs every other ticked policy once, for
   * reference); a topology number or a setting sweeps every selected policy (one batch each, as
   * runs.sweep makes one batch per call).
   */
  function sweep(now: Date = new Date()): Promise<RunRecord[]> {
    return submit(async () => {
      const b = base()
      const target = sweepTarget.value
      const values = sweepValues.value
      if (blocker.value || !b) throw new Error(blocker.value ?? 'The experiment is incomplete.')
      if (!target) throw new Error('Choose what to sweep.')
      if (!values || !values.ok) throw new Error(`Sweep values: ${values?.message ?? 'missing'}`)
      const all = choices()
      const selected = all.filter((c) => target.policyId === null || c.id === target.policyId)
      const references = all.filter((c) => !selected.includes(c))
      const tag = groupTag(settings.value.name, now)
      const out: RunRecord[] = []
      for (const c of selected) {
        const doc = experimentDoc(b, c, all.length > 1)
        out.push(
          ...(await client.call('runs.sweep', sweepInput(doc, target.path, values.values, tag))),
        )
      }
      for (const input of runStartInputs(b, references, tag))
        out.push(await client.call('runs.start', input))
      return out
    })
  }

  /**
   * The builder's id of a run's script policy: `library:NAME` as it is, or for a script file the
   * archived source saved in the library (planScriptRerun picks the name), then the policy list
   * is reloaded so its knobs are known.
   */
  async function libraryIdForScript(
    runId: number,
    policy: { script?: string; source?: string; sourceSha256?: string },
  ): Promise<string> {
    const script = policy.script ?? ''
    if (script.startsWith('library:') || fieldsByPolicy.value[script]) return script
    if (policy.source === undefined)
      throw new ApiError('not-found', `Run #${runId} did not archive the source of ${script}.`)
    const saved = await client.call('policies.user.list', {})
    const plan = planScriptRerun(script, policy.sourceSha256, runId, saved)
    if (!plan.reuse)
      await client.call('policies.user.save', { name: plan.name, source: policy.source })
    await load()
    return `library:${plan.name}`
  }

  /** "Rerun with changes": the builder takes a run's experiment as it was run. */
  async function prefillFromRun(runId: number): Promise<void> {
    const workloads = useWorkloadsStore()
    try {
      if (!loaded.value) await load()
      const detail = await client.call('runs.get', { id: runId })
      const exp = detail.experiment
      await chooseTopology(`run:${runId}`, exp.topology as Topology)
      workloads.useFromRun(runId, exp.workload as never)
      const policyId = exp.policy.id ?? (await libraryIdForScript(runId, exp.policy))
      const fields = fieldsByPolicy.value[policyId]
      if (!fields) throw new ApiError('not-found', `This build has no policy "${policyId}".`)
      selectedPolicies.value = [policyId]
      knobValues.value[policyId] = formValuesFromParams(fields, exp.policy.params)
      settings.value = {
        name: exp.name,
        seed: exp.seed,
        durationS: exp.durationS,
        epochMs: exp.epochMs,
        pageBytes: exp.pageBytes,
      }
      prefilledFrom.value = runId
      loadError.value = null
    } catch (e) {
      loadError.value = `Could not load run #${runId}: ${errorMessage(e)}`
    }
  }

  return {
    policies,
    topologyPresets,
    savedTopologies,
    loaded,
    loadError,
    topologyChoice,
    topology,
    topologyError,
    selectedPolicies,
    knobValues,
    settings,
    sweepPath,
    sweepText,
    submitting,
    submitError,
    lastQueued,
    prefilledFrom,
    fieldsByPolicy,
    settingsProblems,
    blocker,
    sweepTargets,
    sweepTarget,
    sweepValues,
    knobErrors,
    settingsMessage,
    load,
    chooseTopology,
    togglePolicy,
    resetKnobs,
    run,
    sweep,
    sweepPlan,
    prefillFromRun,
  }
})
