import { registerAnalyze } from './analyze'
import { registerCheckPolicy } from './check-policy'
import { registerExport } from './export'
import { registerCapture } from './capture'
import { registerImport } from './import'
import { registerImportMachine } from './import-machine'
import { registerImportTrace } from './import-trace'
import { registerList } from './list'
import { registerPolicies } from './policies'
import { registerPresets } from './presets'
import { registerRun } from './run'
import { registerServe } from './serve'
import { registerShow } from './show'
import { registerStudy } from './study'
import { registerSweep } from './sweep'
import { registerSweepTask } from './sweep-slurm'
import { registerWorker } from './worker'
import type { RegisterCommand } from './types'

export type { RegisterCommand } from './types'

/** Every `tierlab` command, in the order `tierlab --help` lists them. Add new ones here. */
export const COMMANDS: RegisterCommand[] = [
  registerAnalyze,
  registerPresets,
  registerPolicies,
  registerCheckPolicy,
  registerRun,
  registerSweep,
  registerStudy,
  registerWorker,
  registerSweepTask,
  registerList,
  registerShow,
  registerExport,
  registerImport,
  registerImportMachine,
  registerCapture,
  registerImportTrace,
  registerServe,
]
