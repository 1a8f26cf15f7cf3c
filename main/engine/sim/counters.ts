/** Per-epoch event counters of a run (and their totals); metrics read them each epoch. */
export interface EpochCounters {
  promotedBytes: number
  demotedBytes: number
  migratedBytes: number
  promotions: number
  demotions: number
  exchanges: number
  pingPongs: number
  failedMigrations: number
  hintFaults: number
  samples: number
  accessedBitChecks: number
  /** CPU seconds spent by policy mechanisms (faults, scans, samples, migrations, checks). */
  policyCpuS: number
  /** Asynchronous migrations queued, dropped (cold, moved meanwhile, target full) and done. */
  queuedMigrations: number
  droppedMigrations: number
  queueDrained: number
  /** Σ of the drained frames' time in the queue, s. */
  queueDelaySumS: number
}

export function emptyCounters(): EpochCounters {
  return {
    promotedBytes: 0,
    demotedBytes: 0,
    migratedBytes: 0,
    promotions: 0,
    demotions: 0,
    exchanges: 0,
    pingPongs: 0,
    failedMigrations: 0,
    hintFaults: 0,
    samples: 0,
    accessedBitChecks: 0,
    policyCpuS: 0,
    queuedMigrations: 0,
    droppedMigrations: 0,
    queueDrained: 0,
    queueDelaySumS: 0,
  }
}

export function addCounters(into: EpochCounters, from: EpochCounters): void {
  for (const k of Object.keys(into) as Array<keyof EpochCounters>) into[k] += from[k]
}
