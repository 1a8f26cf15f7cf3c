import { z } from 'zod'
import type { WorkerSimulationResult } from '../worker/messages'

/**
 * A job's result as it travels through Redis. A run's series and heatmap are ~200,000 numbers;
 * as JSON text that is ~4 MB per job, stringified, stored, streamed to the submitter with the
 * completion event and parsed again. As base64 of little-endian Float64 (series, exact) and
 * Float32 (heatmap, which the store keeps as Float32 anyway) it is ~1.6 MB and decodes by copy.
 */

const b64 = z.string()

export const encodedResultSchema = z.object({
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
  series: z.array(
    z.object({
      key: z.string(),
      label: z.string(),
      unit: z.string(),
      better: z.enum(['higher', 'lower', 'neutral']).optional(),
      t: b64,
      values: b64,
    }),
  ),
  heatmap: z
    .object({
      t: b64,
      rankBins: z.number().int().nonnegative(),
      tiers: z.array(z.number()),
      values: b64,
    })
    .nullable(),
  /** The engine's warnings about the run; absent from workers older than engine 0.4. */
  warnings: z.array(z.string()).optional(),
  /** Wall-clock run time on the worker, ms. */
  wallMs: z.number().nonnegative(),
  /** `host:pid` of the worker. */
  worker: z.string(),
})
export type EncodedResult = z.infer<typeof encodedResultSchema>

const littleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1

/** Big-endian hosts swap each value's bytes (little-endian on the wire, as the store's BLOBs). */
function swapToHost(bytes: Buffer, f32: boolean): void {
  if (f32) bytes.swap32()
  else bytes.swap64()
}

function encode(values: readonly number[], f32 = false): string {
  const typed = f32 ? Float32Array.from(values) : Float64Array.from(values)
  const bytes = Buffer.from(typed.buffer, typed.byteOffset, typed.byteLength)
  if (!littleEndian) swapToHost(bytes, f32)
  return bytes.toString('base64')
}

function decode(text: string, f32 = false): number[] {
  const bytes = Buffer.from(text, 'base64')
  const size = f32 ? 4 : 8
  if (bytes.byteLength % size !== 0)
    throw new RangeError('a series is not a whole number of values')
  if (!littleEndian) swapToHost(bytes, f32)
  const aligned = new Uint8Array(bytes).buffer
  return Array.from(f32 ? new Float32Array(aligned) : new Float64Array(aligned))
}

export function encodeResult(
  result: WorkerSimulationResult,
  wallMs: number,
  worker: string,
): EncodedResult {
  return {
    summary: result.summary,
    processes: result.processes,
    nodes: result.nodes,
    series: result.series.map((s) => ({ ...s, t: encode(s.t), values: encode(s.values) })),
    heatmap: result.heatmap && {
      t: encode(result.heatmap.t),
      rankBins: result.heatmap.rankBins,
      tiers: result.heatmap.tiers,
      values: encode(result.heatmap.values, true),
    },
    warnings: result.warnings ?? [],
    wallMs,
    worker,
  }
}

export function decodeResult(encoded: EncodedResult) {
  return {
    summary: encoded.summary,
    processes: encoded.processes,
    nodes: encoded.nodes,
    series: encoded.series.map((s) => ({ ...s, t: decode(s.t), values: decode(s.values) })),
    heatmap: encoded.heatmap && {
      t: decode(encoded.heatmap.t),
      rankBins: encoded.heatmap.rankBins,
      tiers: encoded.heatmap.tiers,
      values: decode(encoded.heatmap.values, true),
    },
    warnings: encoded.warnings ?? [],
    wallMs: encoded.wallMs,
  }
}
