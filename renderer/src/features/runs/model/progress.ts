import type { ApiEvent } from '../../../../../shared/api/contract'

/** Live progress of a running run, from the host's `run-progress` events. */
export interface RunProgress {
  /** 0..1 of the simulated duration. */
  fraction: number
  simulatedS: number
  durationS: number
  etaS: number | null
}

/** The progress an event reports, clamped to 0..1 (a zero duration counts as done). */
export function progressFromEvent(event: Extract<ApiEvent, { type: 'run-progress' }>): RunProgress {
  const fraction =
    event.durationS > 0 ? Math.min(1, Math.max(0, event.simulatedS / event.durationS)) : 1
  return {
    fraction,
    simulatedS: event.simulatedS,
    durationS: event.durationS,
    etaS: event.etaS,
  }
}
