import type { ApiEvent } from '../../../../../shared/api'
import { createServiceEvents, resolveResourcesDir } from '../../../../../main/services'
import { createPresetSource } from '../../../../../main/services/experiments'
import { createRunService, type RunServiceOptions } from '../../../../../main/services/runs'
import { openStore, type Store } from '../../../../../main/store'
import { topologyDoc, workloadDoc } from '../fixtures'

/** A valid experiment on the fixture machine; `name` steers the fake worker. */
export function experimentDoc(name: string): Record<string, unknown> {
  return {
    format: 'tierlab.experiment/v1',
    name,
    topology: topologyDoc(),
    workload: workloadDoc(),
    policy: { id: 'numa-balancing-tiering', params: { hotThresholdMs: 1000 } },
    pageBytes: 2097152,
    durationS: 1,
  }
}

export const presets = createPresetSource(resolveResourcesDir())

/** The run service on its own database file, recording every event it emits. */
export function runService(
  dbPath: string,
  options: Partial<Omit<RunServiceOptions, 'store' | 'events' | 'presets'>> = {},
): {
  store: Store
  events: ApiEvent[]
  service: ReturnType<typeof createRunService>
  close(): void
} {
  const store = openStore(dbPath)
  const events = createServiceEvents()
  const seen: ApiEvent[] = []
  events.on((e) => seen.push(e))
  const service = createRunService({ store, events, presets, appVersion: '0.0.0-test', ...options })
  return {
    store,
    events: seen,
    service,
    close() {
      service.close()
      store.close()
    },
  }
}
