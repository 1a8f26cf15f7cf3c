import { defineStore } from 'pinia'
import { markRaw, ref, shallowRef } from 'vue'
import type { ApiEvent } from '../../../../shared/api/contract'
import { errorMessage } from '../../api/replies'
import { useClient } from '../../api/provide'
import { onQueued } from '../../lib/queuedRuns'
import { createFrameScheduler } from './model/frameScheduler'
import {
  applyEvent,
  createQueueState,
  queueRows,
  upsertRecord,
  ACTIVE,
  type LiveRun,
} from './model/queueState'

/** Events held back while no frame comes (a hidden tab) before they are applied anyway. */
const MAX_PENDING_EVENTS = 2000

/**
 * The live-runs queue. Events are only collected when they arrive; once per animation frame they
 * are applied to a plain (non-reactive) state and the rows and a chart tick are published, so a
 * burst of progress events costs one render, not one per event.
 */
export const useQueueStore = defineStore('queue', () => {
  const client = useClient()
  const state = markRaw(createQueueState())
  const rows = shallowRef<LiveRun[]>([])
  /** Bumped once per frame that changed a series; charts recompute their options from it. */
  const tick = ref(0)
  const loaded = ref(false)
  const error = ref<string | null>(null)
  const cancelling = ref<number[]>([])
  /** The run whose live charts are shown; null follows the first running run. */
  const chosenRunId = ref<number | null>(null)

  let pending: ApiEvent[] = []
  let unknownSeen = false

  function publish(): void {
    // New row objects so the table re-renders; the series buffers are shared, not copied.
    rows.value = queueRows(state).map((r) => ({ ...r }))
    tick.value++
  }

  /** Applies the events collected since the last frame. */
  function flush(): void {
    if (pending.length === 0) return
    const events = pending
    pending = []
    for (const e of events) if (applyEvent(state, e) !== null) unknownSeen = true
    if (unknownSeen) {
      unknownSeen = false
      void load()
    }
    publish()
  }
  const frames = createFrameScheduler(flush)

  async function load(): Promise<void> {
    try {
      const [running, queued] = await Promise.all([
        client.call('runs.list', { status: 'running' }),
        client.call('runs.list', { status: 'queued' }),
      ])
      const listed = [...running, ...queued]
      for (const r of listed) upsertRecord(state, r)
      // A run this window still shows as live but the host no longer lists as live has ended
      // while its status event was missed (a dropped event stream): ask for its record.
      const listedIds = new Set(listed.map((r) => r.id))
      const stale = [...state.runs.values()].filter(
        (r) => ACTIVE.has(r.status) && !listedIds.has(r.id),
      )
      const records = await Promise.all(
        stale.map((r) => client.call('runs.get', { id: r.id }).catch(() => null)),
      )
      for (const r of records) if (r) upsertRecord(state, r)
      error.value = null
      publish()
    } catch (e) {
      error.value = errorMessage(e)
    } finally {
      loaded.value = true
    }
  }

  /** Runs just queued by this window show at once, before the host's events arrive. */
  function track(records: Parameters<typeof upsertRecord>[1][]): void {
    for (const r of records) upsertRecord(state, r)
    publish()
  }

  async function cancel(id: number): Promise<void> {
    cancelling.value = [...cancelling.value, id]
    try {
      const record = await client.call('runs.cancel', { id })
      upsertRecord(state, record)
      error.value = null
      publish()
    } catch (e) {
      error.value = `Could not cancel run #${id}: ${errorMessage(e)}`
    } finally {
      cancelling.value = cancelling.value.filter((x) => x !== id)
    }
  }

  function shownRun(): LiveRun | null {
    if (chosenRunId.value !== null) return state.runs.get(chosenRunId.value) ?? null
    return rows.value.find((r) => r.status === 'running') ?? rows.value[0] ?? null
  }

  onQueued((records) => track([...records]))

  client.onEvent((event) => {
    if (event.type === 'changed') {
      if (event.what === 'runs' && loaded.value) void load()
      return
    }
    pending.push(event)
    if (pending.length >= MAX_PENDING_EVENTS) flush()
    else frames.request()
  })

  const activeCount = (): number => rows.value.filter((r) => ACTIVE.has(r.status)).length

  return {
    rows,
    tick,
    loaded,
    error,
    cancelling,
    chosenRunId,
    load,
    flush,
    track,
    cancel,
    shownRun,
    activeCount,
  }
})
