import { defineStore } from 'pinia'
import { computed, ref } from 'vue'
import type { RunRecord } from '../../../../shared/runs'
import type {
  PolicyTemplate,
  ScriptCheckResult,
  UserPolicySummary,
} from '../../../../shared/user-policies'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'

const TERMINAL = new Set(['done', 'failed', 'cancelled', 'interrupted'])
/** Wait this long after the last keystroke before loading the script in the sandbox, ms. */
const CHECK_DELAY_MS = 400

export interface TryState {
  scriptRunId: number
  baselineRunId: number
  script: RunRecord | null
  baseline: RunRecord | null
}

/**
 * The Policies view: the script being edited, its problems (checked in the sandbox as you type),
 * the saved library, templates, and a "try" that queues a short run of the script beside
 * first-touch for Compare.
 */
export const usePoliciesStore = defineStore('policies', () => {
  const client = useClient()
  const saved = ref<UserPolicySummary[]>([])
  const templates = ref<PolicyTemplate[]>([])
  const name = ref('my-policy.js')
  const source = ref('')
  const checked = ref<ScriptCheckResult | null>(null)
  const checking = ref(false)
  const error = ref<string | null>(null)
  const notice = ref<string | null>(null)
  const trying = ref<TryState | null>(null)
  let timer: ReturnType<typeof setTimeout> | null = null
  let checkSeq = 0
  /** True once the user named the script: the starting template must not overwrite that name. */
  let renamed = false

  const diagnostics = computed(() => checked.value?.diagnostics ?? [])
  const nameError = computed(() =>
    /^[A-Za-z0-9][A-Za-z0-9._-]*\.(js|ts)$/.test(name.value) && name.value.length >= 4
      ? null
      : 'Name the policy like a file: my-policy.js or my-policy.ts.',
  )

  async function load(): Promise<void> {
    try {
      ;[saved.value, templates.value] = await Promise.all([
        client.call('policies.user.list', {}),
        client.call('policies.templates', {}),
      ])
      if (!source.value) {
        // The editor is usable before the templates arrive; a name typed meanwhile stays.
        const start = templates.value.find((t) => t.name === 'promote-sampled.js')
        if (start) startFrom(start, { keepName: renamed })
      }
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function check(): Promise<void> {
    if (nameError.value) return
    const seq = ++checkSeq
    checking.value = true
    try {
      const result = await client.call('policies.check', { name: name.value, source: source.value })
      if (seq === checkSeq) checked.value = result
    } catch (err) {
      if (seq === checkSeq) error.value = errorMessage(err)
    } finally {
      if (seq === checkSeq) checking.value = false
    }
  }

  function edit(text: string): void {
    source.value = text
    if (timer) clearTimeout(timer)
    timer = setTimeout(() => void check(), CHECK_DELAY_MS)
  }

  function rename(text: string): void {
    renamed = true
    name.value = text.trim()
    edit(source.value)
  }

  function startFrom(t: PolicyTemplate, opts: { keepName?: boolean } = {}): void {
    if (!opts.keepName) name.value = t.name.replace(/\.(js|ts)$/, '-copy.$1')
    source.value = t.source
    notice.value = null
    void check()
  }

  async function open(policyName: string): Promise<void> {
    try {
      const p = await client.call('policies.user.get', { name: policyName })
      name.value = p.name
      source.value = p.source
      notice.value = null
      await check()
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function save(): Promise<void> {
    error.value = null
    try {
      const p = await client.call('policies.user.save', { name: name.value, source: source.value })
      saved.value = await client.call('policies.user.list', {})
      notice.value = `Saved ${p.name}, version ${p.version}.`
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  async function remove(policyName: string): Promise<void> {
    try {
      await client.call('policies.user.delete', { name: policyName })
      saved.value = await client.call('policies.user.list', {})
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  /** Queues the try runs and follows them until both ended (the runs are archived). */
  async function tryIt(): Promise<void> {
    error.value = null
    try {
      const ids = await client.call('policies.try', {
        name: name.value,
        source: source.value,
        params: {},
      })
      trying.value = { ...ids, script: null, baseline: null }
      for (;;) {
        const [script, baseline] = await Promise.all([
          client.call('runs.get', { id: ids.scriptRunId }),
          client.call('runs.get', { id: ids.baselineRunId }),
        ])
        // Another try started meanwhile: it owns the panel now.
        if (trying.value?.scriptRunId !== ids.scriptRunId) return
        trying.value = { ...ids, script, baseline }
        if (TERMINAL.has(script.status) && TERMINAL.has(baseline.status)) return
        await new Promise((r) => setTimeout(r, 500))
      }
    } catch (err) {
      error.value = errorMessage(err)
    }
  }

  return {
    saved,
    templates,
    name,
    source,
    checked,
    checking,
    diagnostics,
    nameError,
    error,
    notice,
    trying,
    load,
    check,
    edit,
    rename,
    startFrom,
    open,
    save,
    remove,
    tryIt,
  }
})
