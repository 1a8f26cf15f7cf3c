import type { SimCore } from './core'
import { F_HOT, NODE_MASK, NODE_SHIFT } from './frames'

/**
 * Allocation's bookkeeping on SimCore: a frame's node in its state word and node array, the
 * node's occupancy, bounds and bitmap (word w of node n at w·N + n), the hot count and the heat
 * bins' tier sums, and (when asked) the masses of the processes on the frame's region.
 */
/** Places an unallocated frame on a node (allocation). */
export function placeFrame(
  core: SimCore,
  f: number,
  node: number,
  region: number,
  withMass: boolean,
): void {
  const fr = core.frames
  fr.node[f] = node
  const s = fr.state[f]
  fr.state[f] = (s & ~NODE_MASK) | (node << NODE_SHIFT)
  core.usedFrames[node]++
  widenNodeBounds(core, node, f)
  if (s & F_HOT) core.hotOnNode[node]++
  const bin = fr.heatBin[f]
  core.binTierSum[bin] += core.tierOrdinal[node]
  core.binCount[bin]++
  if (withMass) {
    const procs = core.procsOfRegion[region]
    for (let i = 0; i < procs.length; i++) {
      const p = procs[i]
      core.mass[p * core.N + node] += core.prob(p, f, region)
    }
  }
}

/**
 * place() for the `count` unallocated frames from f0, all onto one node without masses (the
 * start's default allocation): the same state, with the node array filled and the node's bits
 * set by words.
 */
export function placeFrameRun(core: SimCore, f0: number, count: number, node: number): void {
  if (count <= 0) return
  const fr = core.frames
  const end = f0 + count
  fr.node.fill(node, f0, end)
  const state = fr.state
  const heatBin = fr.heatBin
  const tier = core.tierOrdinal[node]
  const nodeField = node << NODE_SHIFT
  let hot = 0
  for (let f = f0; f < end; f++) {
    const s = state[f]
    state[f] = (s & ~NODE_MASK) | nodeField
    if (s & F_HOT) hot++
    const bin = heatBin[f]
    core.binTierSum[bin] += tier
    core.binCount[bin]++
  }
  core.hotOnNode[node] += hot
  core.usedFrames[node] += count
  if (f0 < core.nodeFrameLo[node]) core.nodeFrameLo[node] = f0
  if (end - 1 > core.nodeFrameHi[node]) core.nodeFrameHi[node] = end - 1
  const bits = core.nodeBits
  // Word w of node n is at w·N + n (nodeBits).
  const N = core.N
  let f = f0
  for (; f < end && f & 31; f++) bits[(f >>> 5) * N + node] |= 1 << (f & 31)
  for (; f + 32 <= end; f += 32) bits[(f >>> 5) * N + node] = -1
  for (; f < end; f++) bits[(f >>> 5) * N + node] |= 1 << (f & 31)
}

function widenNodeBounds(core: SimCore, node: number, f: number): void {
  if (f < core.nodeFrameLo[node]) core.nodeFrameLo[node] = f
  if (f > core.nodeFrameHi[node]) core.nodeFrameHi[node] = f
  core.nodeBits[(f >>> 5) * core.N + node] |= 1 << (f & 31)
}
