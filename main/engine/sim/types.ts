import type { Experiment } from '../../../shared/formats/experiment'
import type { Topology } from '../../../shared/formats/topology'
import type { Workload } from '../../../shared/formats/workload'
import type { MigrationCostTable } from '../kernel'
import type { MigrationQueueOptions } from './migration-queue'

/** An experiment whose presets the caller has already inlined. */
export interface ResolvedExperimentInput extends Omit<Experiment, 'topology' | 'workload'> {
  topology: Topology
  workload: Workload
}

/** Engine knobs that are not a policy's (defaults documented where used). */
export interface EngineOptions {
  /** A frame that returns to the node it left within this window counts as a ping-pong, s. */
  pingPongWindowS?: number
  /** CPU ns per migrated frame, single and batched (kernel/migration-cost.ts has the defaults). */
  migrationCostNs?: Partial<MigrationCostTable>
  /** Asynchronous migration's kernel threads (sim/migration-queue.ts has the defaults). */
  migration?: Partial<MigrationQueueOptions>
}
