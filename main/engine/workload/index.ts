export type {
  CompiledAccess,
  CompiledPhase,
  CompiledProcess,
  CompiledRegion,
  CompiledWorkload,
} from './types'
export {
  compileWorkload,
  checkWorkloadShape,
  phaseIndexAt,
  frameProbability,
  addFrameProbabilities,
  regionOfFrame,
  positionOfFrame,
  frameOfPosition,
  sampleFrame,
  MAX_FRAMES,
} from './compile'
export {
  rankProbability,
  cumulativeMass,
  sampleRank,
  windowFramesAt,
  windowShift,
} from './patterns'
export { hotnessCurve } from './hotness-curve'
export { harmonic, ZipfSampler, ZIPF_EXACT_MAX_TERMS } from './zipf'
