import type { CompiledAccess } from '../workload'
import { frameMass, rankProbability } from '../workload'
import type { SimCore } from './core'
import { UNALLOCATED } from './frames'

/**
 * Every process's mass per node (its access probability on the node's frames) and, with
 * `withWeights`, every frame's access weight at reference rates, from the phase's accesses: the
 * O(frames) pass of a rebuild (SimCore.rebuild, rebuildMasses, rebuildPlaced).
 */
export function accumulateMasses(core: SimCore, withWeights: boolean): void {
  const fr = core.frames
  const N = core.N
  core.mass.fill(0)
  if (withWeights) {
    fr.weight.fill(0)
    if (!fr.cpuWeightShared) fr.cpuWeight.fill(0)
  }
  for (let p = 0; p < core.P; p++) {
    if (core.refRate[p] <= 0) core.refRate[p] = 1
    const ref = core.rate[p] > 0 ? core.rate[p] : core.refRate[p]
    core.refRate[p] = ref
    const isCpu = core.procIsCpu[p] === 1 && !fr.cpuWeightShared
    const phase = core.w.processes[p].phases[core.procPhase[p]]
    for (const a of phase.accesses) {
      // Frames of one base page take the pattern at their rank; larger ones sum their base pages.
      if (core.w.regions[a.region].pagesPerFrame === 1)
        addBasePageFrames(core, a, p * N, ref, isCpu, withWeights)
      else addFrames(core, a, p * N, ref, isCpu, withWeights)
    }
  }
  core.splits?.massesRebuilt()
}

/**
 * accumulateMasses() for an access on a region of one base page per frame: address offsets
 * walked by cluster block, each block's ranks consecutive from its rank block (baseRankOf without
 * a call and a division per frame), then the tail past the last whole block at its own address.
 */
function addBasePageFrames(
  core: SimCore,
  a: CompiledAccess,
  massBase: number,
  ref: number,
  isCpu: boolean,
  withWeights: boolean,
): void {
  const fr = core.frames
  const weight = fr.weight
  const cpuWeight = fr.cpuWeight
  const nodeOf = fr.node
  const mass = core.mass
  const region = core.w.regions[a.region]
  const rankOfBlock = core.w.rankOfBlock
  const n = region.basePages
  const tS = core.nowS
  const share = a.share
  const zipf = a.pattern.kind === 'zipf' ? a.pattern.s : -1
  // zipf: p(pos) = (pos+1)^-s / H(n, s); the first call fills the access's cached H.
  const zipfScale = zipf >= 0 ? share * rankProbability(a, 0, n, tS) : 0
  // Address order: sequential writes (the rank permutation would make every write a miss).
  const L = region.clusterPages
  const blocks = a.order === 'rank' ? region.fullBlocks : 0
  const start = region.frameStart
  const count = region.frameCount
  for (let b = 0; b <= blocks; b++) {
    const a0 = b * L
    const a1 = b < blocks ? a0 + L : count
    const rankMinusOffset = (b < blocks ? rankOfBlock[region.blockStart + b] * L : a0) - a0
    for (let off = a0; off < a1; off++) {
      const pos = rankMinusOffset + off
      const pr =
        zipf >= 0
          ? zipfScale * Math.exp(-zipf * Math.log(pos + 1))
          : share * rankProbability(a, pos, n, tS)
      const f = start + off
      if (withWeights) {
        const wgt = pr * ref
        weight[f] += wgt
        if (isCpu) cpuWeight[f] += wgt
      }
      const node = nodeOf[f]
      if (node !== UNALLOCATED) mass[massBase + node] += pr
    }
  }
}

/** accumulateMasses() for an access on a region of several base pages per frame (their sum). */
function addFrames(
  core: SimCore,
  a: CompiledAccess,
  massBase: number,
  ref: number,
  isCpu: boolean,
  withWeights: boolean,
): void {
  const fr = core.frames
  const region = core.w.regions[a.region]
  const end = region.frameStart + region.frameCount
  for (let f = region.frameStart; f < end; f++) {
    const pr = a.share * frameMass(core.w, a, f, core.nowS)
    if (withWeights) {
      const wgt = pr * ref
      fr.weight[f] += wgt
      if (isCpu) fr.cpuWeight[f] += wgt
    }
    const node = fr.node[f]
    if (node !== UNALLOCATED) core.mass[massBase + node] += pr
  }
}
