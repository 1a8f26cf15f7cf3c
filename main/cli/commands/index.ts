import { registerAnalyze } from './analyze'
import { registerList } from './list'
import { registerPolicies } from './policies'
import { registerPresets } from './presets'
import { registerServe } from './serve'
import { registerShow } from './show'
import type { RegisterCommand } from './types'

export type { RegisterCommand } from './types'

/** Every `tierlab` command, in the order `tierlab --help` lists them. Add new ones here. */
export const COMMANDS: RegisterCommand[] = [
  registerAnalyze,
  registerPresets,
  registerPolicies,
  registerList,
  registerShow,
  registerServe,
]
