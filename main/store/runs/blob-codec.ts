/**
 * Series and heatmaps are stored as the raw bytes of typed arrays, little-endian (what x86 and Arm
 * use natively, so encoding is a copy there). Float64 keeps values exact; Float32 halves the size
 * where 7 significant digits are plenty.
 */
export type BlobDtype = 'f64' | 'f32'

const BYTES_PER_VALUE: Record<BlobDtype, number> = { f64: 8, f32: 4 }
const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

export function encodeFloats(values: ArrayLike<number>, dtype: BlobDtype): Buffer {
  const typed = dtype === 'f64' ? Float64Array.from(values) : Float32Array.from(values)
  if (littleEndianHost) return Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)
  const out = Buffer.alloc(typed.length * BYTES_PER_VALUE[dtype])
  for (let i = 0; i < typed.length; i++) {
    if (dtype === 'f64') out.writeDoubleLE(typed[i], i * 8)
    else out.writeFloatLE(typed[i], i * 4)
  }
  return out
}

export function decodeFloats(bytes: Uint8Array, dtype: BlobDtype): number[] {
  const size = BYTES_PER_VALUE[dtype]
  if (bytes.byteLength % size !== 0) {
    throw new RangeError(
      `a ${dtype} BLOB of ${bytes.byteLength} bytes is not a whole number of values`,
    )
  }
  const count = bytes.byteLength / size
  if (littleEndianHost) {
    // Copy first: SQLite's Buffer may start at an offset that is not a multiple of 8.
    const aligned = new Uint8Array(bytes).buffer
    const typed = dtype === 'f64' ? new Float64Array(aligned) : new Float32Array(aligned)
    // A plain loop: Array.from walks a typed array through its iterator, ~4x slower here.
    const out = new Array<number>(count)
    for (let i = 0; i < count; i++) out[i] = typed[i]
    return out
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  const out = new Array<number>(count)
  for (let i = 0; i < count; i++) {
    out[i] = dtype === 'f64' ? view.getFloat64(i * 8, true) : view.getFloat32(i * 4, true)
  }
  return out
}
