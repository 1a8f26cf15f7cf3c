import { describe, expect, it } from 'vitest'
import { decodeFloats, encodeFloats } from '../../../../main/store/runs/blob-codec'

describe('float BLOB codec', () => {
  it('writes little-endian IEEE-754 bytes', () => {
    // 1.0 as f64 is 0x3FF0000000000000; little-endian puts the 0x3F byte last.
    expect([...encodeFloats([1], 'f64')]).toEqual([0, 0, 0, 0, 0, 0, 0xf0, 0x3f])
    // 1.0 as f32 is 0x3F800000.
    expect([...encodeFloats([1], 'f32')]).toEqual([0, 0, 0x80, 0x3f])
  })

  it('decodes from a buffer that starts at an unaligned offset', () => {
    const bytes = encodeFloats([0.1, -7.25, 1e308], 'f64')
    const padded = Buffer.concat([Buffer.from([9]), bytes]).subarray(1) // byteOffset 1
    expect(padded.byteOffset % 8).not.toBe(0)
    expect(decodeFloats(padded, 'f64')).toEqual([0.1, -7.25, 1e308])
  })

  it('rounds to Float32 only when asked', () => {
    expect(decodeFloats(encodeFloats([0.1], 'f32'), 'f32')).toEqual([Math.fround(0.1)])
    expect(decodeFloats(encodeFloats([0.1], 'f64'), 'f64')).toEqual([0.1])
  })

  it('refuses a BLOB that is not a whole number of values', () => {
    expect(() => decodeFloats(Buffer.alloc(12), 'f64')).toThrow(/12 bytes is not a whole number/)
  })
})
