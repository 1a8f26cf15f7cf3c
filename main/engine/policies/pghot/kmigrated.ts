import { DEFAULT_MIGRATION_COST, migrationNsPerFrame, NR_MAX_BATCHED_MIGRATION } from '../../kernel'

/**
 * kmigrated's view of one lower-tier node [PGHOT-v7]: the frames whose ready bit is set, with
 * when each became ready and the accesses its records have stood for since (what the cost-aware
 * gate estimates the access rate and the hot time from). The kernel finds them by walking the
 * node's PFNs for the ready bit; the walk's cost is charged per PFN (KMIGRATED_WALK_NS_PER_FRAME),
 * while the simulation keeps the list so it does not walk millions of frames every 100 ms.
 */

/** CPU to look at one PFN's record in kmigrated's walk, ns; an assumption (a byte per PFN). */
export const KMIGRATED_WALK_NS_PER_FRAME = 1
/** CPU to record one access into the store (pghot_record_access), s; an assumption. */
export const PGHOT_RECORD_CPU_S = 5e-8

export interface Candidate {
  /** Simulated time the frame became ready, ms. */
  sinceMs: number
  /** Accesses its records stood for since then (a sample stands for a sample period's). */
  accesses: number
}

export class ReadyFrames {
  readonly byFrame = new Map<number, Candidate>()

  add(f: number, nowMs: number, accesses: number): void {
    this.byFrame.set(f, { sinceMs: nowMs, accesses })
  }

  /** Ready frames in PFN order, as the kernel's walk meets them. */
  inPfnOrder(): number[] {
    return [...this.byFrame.keys()].sort((a, b) => a - b)
  }

  get size(): number {
    return this.byFrame.size
  }
}

/**
 * The queue moves frames in batches of the engine's NR_MAX_BATCHED_MIGRATION; a smaller
 * `batchFrames` costs more per frame [MIGOFF]: the difference, ns per frame, charged on top.
 */
export function smallBatchExtraNs(pageBytes: number, batchFrames: number): number {
  if (batchFrames >= NR_MAX_BATCHED_MIGRATION) return 0
  return (
    migrationNsPerFrame(DEFAULT_MIGRATION_COST, pageBytes, batchFrames) -
    migrationNsPerFrame(DEFAULT_MIGRATION_COST, pageBytes, NR_MAX_BATCHED_MIGRATION)
  )
}

/** Frames one wake may promote under the rate limit (MB = 2^20 bytes, as the kernel's MB_TO_PAGES). */
export function framesPerWake(rateLimitMBps: number, sleepMs: number, pageBytes: number): number {
  return Math.floor((rateLimitMBps * 1024 * 1024 * (sleepMs / 1000)) / pageBytes)
}
