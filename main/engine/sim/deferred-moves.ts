/**
 * What a move changes in the per-node bitmaps and masses, applied later in one tight loop.
 *
 * A move flips the frame's bit in two nodes' bitmaps and, when one process reads the frame's
 * region, moves that process's mass by the frame's weight over its reference rate. On a 4 Mi-frame
 * table the bitmap word and the weight are cache (and TLB) misses, and in the middle of a
 * promotion the CPU waits for each in turn (~190 ms of the bench reference's ~3 s). Queued and
 * applied together, the loads are independent and their misses overlap. Everything is applied in
 * the order the moves made it, so the masses are the same doubles bit for bit and the bits the
 * same bits. The owner applies them before anything reads the bitmaps or reads or writes the
 * masses, and before any weight or reference rate changes.
 */
export class DeferredMoves {
  /** (frame, process or -1 when the mass moved at once, from, to) per pending move. */
  private moves = new Int32Array(4 * 1024)
  private count = 0
  /** Keeps the look-ahead loads from being optimised away. */
  private sink = 0

  get pending(): number {
    return this.count
  }

  push(f: number, p: number, from: number, to: number): void {
    const i = 4 * this.count
    if (i === this.moves.length) {
      const m = new Int32Array(this.moves.length * 2)
      m.set(this.moves)
      this.moves = m
    }
    const mv = this.moves
    mv[i] = f
    mv[i + 1] = p
    mv[i + 2] = from
    mv[i + 3] = to
    this.count++
  }

  /**
   * For every pending move, in order: the frame's bit from node `from` to `to` in `bits` (word w
   * of node n at w·N + n), and with a process p, mass[p·N + n] -= / += weight[f] / refRate[p].
   */
  apply(
    bits: Uint32Array,
    mass: Float64Array,
    weight: Float32Array,
    refRate: Float64Array,
    N: number,
  ): void {
    const n = this.count
    this.count = 0
    const mv = this.moves
    const BATCH = 64
    let touched = 0
    for (let i0 = 0; i0 < n; i0 += BATCH) {
      const i1 = i0 + BATCH < n ? i0 + BATCH : n
      for (let i = i0; i < i1; i++) {
        const f = mv[4 * i]
        touched += weight[f] + bits[(f >>> 5) * N]
      }
      for (let i = i0; i < i1; i++) {
        const k = 4 * i
        const f = mv[k]
        const from = mv[k + 2]
        const to = mv[k + 3]
        const word = (f >>> 5) * N
        const bit = 1 << (f & 31)
        bits[word + from] &= ~bit
        bits[word + to] |= bit
        const p = mv[k + 1]
        if (p < 0) continue
        const pr = weight[f] / refRate[p]
        mass[p * N + from] -= pr
        mass[p * N + to] += pr
      }
    }
    this.sink = touched
  }
}

/**
 * A move's change to its heat bin's tier sum, added later (`addTo`): the frame's heat bin is one
 * more cache miss per move (a 4 MiB array at 4 Mi frames), and the sums are read once per epoch.
 * They are sums of whole tier ordinals, exact in any order.
 */
export class DeferredHeatMoves {
  /** (frame, tier delta) per pending move. */
  private moves = new Int32Array(4096)
  private count = 0

  push(f: number, tierDelta: number): void {
    const i = 2 * this.count
    if (i === this.moves.length) {
      const m = new Int32Array(this.moves.length * 2)
      m.set(this.moves)
      this.moves = m
    }
    this.moves[i] = f
    this.moves[i + 1] = tierDelta
    this.count++
  }

  /** Adds every pending change to binTierSum at its frame's heat bin. */
  addTo(binTierSum: Float64Array, heatBin: Uint8Array): void {
    const n = this.count
    // One short loop: its heat-bin loads are independent, so their misses overlap.
    const m = this.moves
    for (let i = 0; i < n; i++) binTierSum[heatBin[m[2 * i]]] += m[2 * i + 1]
    this.count = 0
  }

  /** Drops the pending changes (the sums were just recomputed from every frame's node). */
  clear(): void {
    this.count = 0
  }
}
