import { deflateRawSync, inflateRawSync } from 'node:zlib'
import { z } from 'zod'
import { decodeFloats, encodeFloats, type BlobDtype } from '../../store'
import type { WorkerSimulationResult } from '../worker/messages'

/**
 * A job's result as it travels through Redis. A run's series and heatmap are ~200,000 numbers.
 * Every byte is paid several times: the worker's completion script stores the value in the job
 * and again in the event stream, the submitter reads it back, and on these machines loopback
 * Redis moves ~100 MB/s, so a 1.8 MB result held the worker ~55 ms per job before it could take
 * the next one (measured with bench/queue.ts; that is most of the queue's cost against the local
 * pool). So all numbers travel as one block: little-endian Float64 (series, exact) and Float32
 * (heatmap, which the store keeps as Float32 anyway), each series' time axis once when the
 * series share it (they do: one sample per epoch), raw-deflated at level 1 and base64'd into
 * the JSON. A simulation's series are mostly flat or slowly varying, so a 120 s run's 960 kB of
 * floats became 20 kB, at ~1 ms to compress and ~6 ms to inflate.
 *
 * Results from workers of an earlier build (one base64 string per array, no compression) still
 * decode: the engine version, not the wire format, decides which worker may run a job.
 */

/** What describes a series in both formats. */
const seriesMeta = {
  key: z.string(),
  label: z.string(),
  unit: z.string(),
  better: z.enum(['higher', 'lower', 'neutral']).optional(),
}
const common = {
  summary: z.record(z.string(), z.number()),
  processes: z.array(
    z.object({ id: z.string(), throughputOpsPerS: z.number(), meanLatencyNs: z.number() }),
  ),
  nodes: z.array(
    z.object({
      node: z.number().int(),
      component: z.string(),
      usedBytes: z.number(),
      accessShare: z.number(),
    }),
  ),
  /** The engine's warnings about the run; absent from workers older than engine 0.4. */
  warnings: z.array(z.string()).optional(),
  /** Wall-clock run time on the worker, ms. */
  wallMs: z.number().nonnegative(),
  /** `host:pid` of the worker. */
  worker: z.string(),
}
const count = z.number().int().nonnegative()

/** The packed form: metadata in JSON, every number in `floats` (encodeResult says in what order). */
const packedSchema = z.object({
  ...common,
  series: z.array(
    z.object({
      ...seriesMeta,
      points: count,
      /** False when the series' times are the first series' (then sent once). */
      ownT: z.boolean(),
    }),
  ),
  heatmap: z.object({ points: count, rankBins: count, tiers: z.array(z.number()) }).nullable(),
  /** base64 of the raw-deflated floats. */
  floats: z.string(),
})

/** The first wire format: each array its own base64 string, uncompressed. */
const perArraySchema = z.object({
  ...common,
  series: z.array(z.object({ ...seriesMeta, t: z.string(), values: z.string() })),
  heatmap: z
    .object({ t: z.string(), rankBins: count, tiers: z.array(z.number()), values: z.string() })
    .nullable(),
})

export const encodedResultSchema = z.union([packedSchema, perArraySchema])
export type EncodedResult = z.infer<typeof encodedResultSchema>
type Packed = z.infer<typeof packedSchema>

/** A result whose numbers cannot be unpacked: the message says what is wrong. */
export class ResultDecodeError extends Error {}

/** More would be a corrupt or hostile result, not a simulation's (a 1 TiB run sends ~2 MB). */
const MAX_FLOAT_BYTES = 256 * 2 ** 20

function sameValues(a: readonly number[], b: readonly number[]): boolean {
  if (a.length !== b.length) return false
  for (let i = 0; i < a.length; i++) if (!Object.is(a[i], b[i])) return false
  return true
}

/**
 * The floats, in order: for each series its times (when ownT: series 0 always, others only when
 * their times differ from series 0's) then its values, as Float64; the heatmap's times as Float64;
 * the heatmap's cells as Float32. All little-endian.
 */
export function encodeResult(
  result: WorkerSimulationResult,
  wallMs: number,
  worker: string,
): Packed {
  const sharedT = result.series[0]?.t ?? []
  const series = result.series.map((s, i) => ({
    key: s.key,
    label: s.label,
    unit: s.unit,
    ...(s.better ? { better: s.better } : {}),
    points: s.values.length,
    ownT: i === 0 || !sameValues(s.t, sharedT),
  }))
  // Series 0 carries the shared axis; it is marked ownT so the decoder reads it in place.
  const f64: number[][] = []
  result.series.forEach((s, i) => {
    if (series[i].ownT) f64.push(s.t)
    f64.push(s.values)
  })
  const heatmap = result.heatmap
  if (heatmap) f64.push(heatmap.t)
  // Little-endian, as the store's BLOBs (blob-codec.ts).
  const blocks = f64.map((xs) => encodeFloats(xs, 'f64'))
  if (heatmap) blocks.push(encodeFloats(heatmap.values, 'f32'))
  const bytes = Buffer.concat(blocks)
  return {
    summary: result.summary,
    processes: result.processes,
    nodes: result.nodes,
    series,
    heatmap: heatmap && {
      points: heatmap.t.length,
      rankBins: heatmap.rankBins,
      tiers: heatmap.tiers,
    },
    floats: deflateRawSync(bytes, { level: 1 }).toString('base64'),
    warnings: result.warnings ?? [],
    wallMs,
    worker,
  }
}

/** `bytes` as floats of `dtype`; a length that is not whole values is a ResultDecodeError. */
function floats(bytes: Uint8Array, dtype: BlobDtype): number[] {
  try {
    return decodeFloats(bytes, dtype)
  } catch (err) {
    throw new ResultDecodeError((err as Error).message)
  }
}

function unpack(encoded: Packed) {
  const first = encoded.series[0]
  if (first && !first.ownT) throw new ResultDecodeError('its first series has no times')
  const cells = encoded.heatmap ? encoded.heatmap.points * encoded.heatmap.rankBins : 0
  const f64Count =
    encoded.series.reduce((n, s) => n + s.points * (s.ownT ? 2 : 1), 0) +
    (encoded.heatmap?.points ?? 0)
  const expected = f64Count * 8 + cells * 4
  if (expected > MAX_FLOAT_BYTES) {
    throw new ResultDecodeError(`it declares ${expected} bytes of numbers, more than any run sends`)
  }
  let bytes: Buffer
  try {
    bytes = inflateRawSync(Buffer.from(encoded.floats, 'base64'), {
      maxOutputLength: Math.max(1, expected),
    })
  } catch (err) {
    throw new ResultDecodeError(
      `its numbers do not inflate to the ${expected} bytes its series declare (${(err as Error).message})`,
    )
  }
  if (bytes.byteLength !== expected) {
    throw new ResultDecodeError(
      `its numbers are ${bytes.byteLength} bytes, but its series declare ${expected}`,
    )
  }
  let at = 0
  const take = (n: number, dtype: BlobDtype) => {
    const size = dtype === 'f64' ? 8 : 4
    const xs = floats(bytes.subarray(at, at + n * size), dtype)
    at += n * size
    return xs
  }
  let sharedT: number[] = []
  const series = encoded.series.map(({ points, ownT, ...meta }, i) => {
    if (!ownT && points !== first.points) {
      throw new ResultDecodeError(
        `series "${meta.key}" shares the first series' times but not its length`,
      )
    }
    const t = ownT ? take(points, 'f64') : sharedT
    if (i === 0) sharedT = t
    return { ...meta, t: ownT ? t : [...t], values: take(points, 'f64') }
  })
  const heatmap = encoded.heatmap && {
    t: take(encoded.heatmap.points, 'f64'),
    rankBins: encoded.heatmap.rankBins,
    tiers: encoded.heatmap.tiers,
    values: take(cells, 'f32'),
  }
  return { series, heatmap }
}

/** The first wire format's arrays (base64 of little-endian floats, one per array). */
const decodeArray = (text: string, dtype: BlobDtype) => floats(Buffer.from(text, 'base64'), dtype)

function unpackPerArray(encoded: z.infer<typeof perArraySchema>) {
  return {
    series: encoded.series.map((s) => ({
      ...s,
      t: decodeArray(s.t, 'f64'),
      values: decodeArray(s.values, 'f64'),
    })),
    heatmap: encoded.heatmap && {
      t: decodeArray(encoded.heatmap.t, 'f64'),
      rankBins: encoded.heatmap.rankBins,
      tiers: encoded.heatmap.tiers,
      values: decodeArray(encoded.heatmap.values, 'f32'),
    },
  }
}

/** The result as the store takes it; throws ResultDecodeError for numbers that do not unpack. */
export function decodeResult(encoded: EncodedResult) {
  const { series, heatmap } = 'floats' in encoded ? unpack(encoded) : unpackPerArray(encoded)
  return {
    summary: encoded.summary,
    processes: encoded.processes,
    nodes: encoded.nodes,
    series,
    heatmap,
    warnings: encoded.warnings ?? [],
    wallMs: encoded.wallMs,
  }
}
