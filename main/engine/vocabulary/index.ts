/**
 * The policy vocabulary: what a policy receives and may do (DESIGN.md §5). The simulation speaks
 * only this; a definition's knobs and registry live in policies/.
 */
export type * from './context'
export type * from './instance'
export type * from './telemetry'
