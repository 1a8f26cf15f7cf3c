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
  sampleFrame,
  MAX_FRAMES,
  MAX_BLOCKS,
} from './compile'
export {
  BASE_PAGE_BYTES,
  DEFAULT_CLUSTER_PAGES,
  baseRankOf,
  basePageOfRank,
  frameMass,
  frameBaseMasses,
  sampleBasePage,
  frameOfBasePage,
  frameAtWalk,
} from './base-pages'
export {
  rankProbability,
  rangeMass,
  cumulativeMass,
  sampleRank,
  windowFramesAt,
  windowShift,
} from './patterns'
export { hotnessCurve } from './hotness-curve'
export { harmonic, zipfRangeSum, ZipfSampler, ZIPF_EXACT_MAX_TERMS } from './zipf'
