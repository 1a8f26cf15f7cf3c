import { describe, expect, it } from 'vitest'
import { DeferredMoves } from '../../../../../main/engine/sim/deferred-moves'

describe('deferred moves', () => {
  it('apply the bitmap flips and mass transfers the moves made, in their order, bit for bit', () => {
    const N = 3
    const frames = 200
    const weight = Float32Array.from({ length: frames }, (_, f) => 0.1 + ((f * 37) % 101) / 7)
    const refRate = Float64Array.from([3.3, 0.7])
    const node = new Int32Array(frames).map((_, f) => f % N)
    const bitsNow = new Uint32Array(((frames >>> 5) + 1) * N)
    for (let f = 0; f < frames; f++) bitsNow[(f >>> 5) * N + node[f]] |= 1 << (f & 31)
    const bitsLater = bitsNow.slice()
    const massNow = Float64Array.from([1, 2, 3, 4, 5, 6])
    const massLater = massNow.slice()
    const deferred = new DeferredMoves()
    // The same frame moves several times: the order matters for its bits.
    for (let i = 0; i < 500; i++) {
      const f = (i * 53) % frames
      const from = node[f]
      const to = (from + 1 + (i % 2)) % N
      const p = i % 5 === 0 ? -1 : i % 2
      bitsNow[(f >>> 5) * N + from] &= ~(1 << (f & 31))
      bitsNow[(f >>> 5) * N + to] |= 1 << (f & 31)
      if (p >= 0) {
        const pr = weight[f] / refRate[p]
        massNow[p * N + from] -= pr
        massNow[p * N + to] += pr
      }
      node[f] = to
      deferred.push(f, p, from, to)
    }
    expect(deferred.pending).toBe(500)
    deferred.apply(bitsLater, massLater, weight, refRate, N)
    expect(deferred.pending).toBe(0)
    expect(bitsLater).toEqual(bitsNow)
    expect(Array.from(massLater)).toEqual(Array.from(massNow))
  })
})
