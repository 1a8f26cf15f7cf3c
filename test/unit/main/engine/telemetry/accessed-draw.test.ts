import { describe, expect, it } from 'vitest'
import { drawAccessed } from '../../../../../main/engine/sim/telemetry/accessed-bits'
import { Rng } from '../../../../../main/engine/rng'

/** The formula drawAccessed stands for (fast-mode accessed bit: P = 1 − e^(−x)). */
const direct = (u: number, x: number) => u < x && u < 1 - Math.exp(-x)
const TWO_POW_32 = 2 ** 32

describe('drawAccessed (the accessed-bit draw without most exps)', () => {
  it('gives the same boolean as u < 1 − e^(−x) for random draws over every range of x', () => {
    const rng = new Rng(7)
    let hits = 0
    const wrong: string[] = []
    for (let i = 0; i < 400_000; i++) {
      const u = rng.next()
      // x spread over decades (1e-6 … 1e2), the table's span and beyond.
      const x = 10 ** (rng.next() * 8 - 6)
      const want = direct(u, x)
      if (want) hits++
      if (drawAccessed(u, x) !== want) wrong.push(`u=${u} x=${x}`)
    }
    expect(wrong).toEqual([])
    expect(hits).toBeGreaterThan(100_000)
  })

  it('agrees at draws right at the threshold, around table points and at the extremes of u', () => {
    const xs: number[] = [Number.MIN_VALUE, 1e-300, 1e-9, 23.999999, 24, 24.000001, 1e9, Infinity]
    for (let k = 0; k <= 24 * 32; k++)
      for (const d of [-1e-9, -Number.EPSILON, 0, Number.EPSILON, 1e-9]) xs.push(k / 32 + d)
    for (const x of xs) {
      if (!(x > 0)) continue
      const t = 1 - Math.exp(-x)
      // Draws on the 2^-32 grid around the threshold, and the smallest and largest draws.
      const base = Math.floor(t * TWO_POW_32)
      for (const m of [0, 1, base - 1, base, base + 1, base + 2, TWO_POW_32 - 1]) {
        if (m < 0 || m >= TWO_POW_32) continue
        const u = m / TWO_POW_32
        expect(drawAccessed(u, x), `u=${u} x=${x}`).toBe(direct(u, x))
      }
    }
  })
})
