export { createSimWorker } from './create-sim-worker'
export type { RunJobMessage, WorkerMessage, WorkerSimulationResult } from './messages'
