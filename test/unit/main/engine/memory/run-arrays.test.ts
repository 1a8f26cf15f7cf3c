import { describe, expect, it } from 'vitest'
import {
  giveBackRunArray,
  pooledRunArrayBytes,
  releaseRunArrays,
  runArray,
  withRunArrays,
} from '../../../../../main/engine/memory/run-arrays'

const MiB = 1 << 20

describe('run arrays: one run hands its per-frame arrays to the next', () => {
  it('reuses the previous run’s buffer of the same size, zeroed', () => {
    releaseRunArrays()
    let first: Float32Array | null = null
    withRunArrays(() => {
      first = runArray(Float32Array, MiB)
      first.fill(7)
    })
    expect(pooledRunArrayBytes()).toBe(4 * MiB)
    withRunArrays(() => {
      // Same byte length, another element type: the buffer is the same, its contents zero.
      const again = runArray(Uint32Array, MiB)
      expect(again.buffer).toBe(first!.buffer)
      expect(again.every((x) => x === 0)).toBe(true)
      // A second array of that size finds no buffer left: a new one.
      const other = runArray(Uint32Array, MiB)
      expect(other.buffer).not.toBe(first!.buffer)
    })
    expect(pooledRunArrayBytes()).toBe(8 * MiB)
  })

  it('drops the previous run’s buffers a run did not take, and keeps those it gave back', () => {
    releaseRunArrays()
    withRunArrays(() => void runArray(Uint8Array, 3 * MiB))
    withRunArrays(() => {
      const scratch = runArray(Uint16Array, MiB)
      giveBackRunArray(scratch)
      // Free again within the run: the next take of its size gets it.
      expect(runArray(Uint8Array, 2 * MiB).buffer).toBe(scratch.buffer)
      giveBackRunArray(runArray(Float64Array, MiB))
    })
    // The 3 MiB buffer went unused: gone. The 2 MiB one (held) and the 8 MiB scratch stay.
    expect(pooledRunArrayBytes()).toBe(2 * MiB + 8 * MiB)
  })

  it('keeps the buffers of a run that throws, and nests scopes into the outer run', () => {
    releaseRunArrays()
    expect(() =>
      withRunArrays(() => {
        withRunArrays(() => void runArray(Int32Array, MiB))
        throw new Error('bad input')
      }),
    ).toThrow('bad input')
    expect(pooledRunArrayBytes()).toBe(4 * MiB)
  })

  it('fills a reused or new array with the value asked for, or leaves it as it was', () => {
    releaseRunArrays()
    let first: Uint8Array | null = null
    withRunArrays(() => {
      expect(runArray(Uint8Array, MiB, 255).every((x) => x === 255)).toBe(true)
      first = runArray(Uint8Array, 2 * MiB, 'any').fill(9)
    })
    withRunArrays(() => {
      const filled = runArray(Uint8Array, MiB, 7)
      expect(filled.every((x) => x === 7)).toBe(true)
      // 'any': the caller writes every element first, so the previous run's values stay.
      const kept = runArray(Uint8Array, 2 * MiB, 'any')
      expect(kept.buffer).toBe(first!.buffer)
      expect(kept[12345]).toBe(9)
    })
  })

  it('leaves small arrays and arrays made outside a run alone', () => {
    releaseRunArrays()
    const outside = runArray(Uint32Array, MiB)
    expect(outside.length).toBe(MiB)
    withRunArrays(() => void runArray(Uint8Array, 1000))
    expect(pooledRunArrayBytes()).toBe(0)
  })
})
