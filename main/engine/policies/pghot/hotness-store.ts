/**
 * pghot's per-frame hotness record [PGHOT-v6-3][PGHOT-v7], in its two layouts:
 * - compact, 1 byte per frame: 2-bit frequency (0–3), 5-bit time bucket and the migrate-ready bit.
 *   The bucket is the access time in 128 ms steps modulo 32, so it covers 4096 ms ("about 4 s at
 *   HZ=1000"); a record older than that aliases onto a recent bucket, as in the kernel. The
 *   promotion target is not stored: it is the fixed target node.
 * - precise, 4 bytes per frame: a 14-bit time in ms (covers 16384 ms, "about 16 s"), a 4-bit
 *   frequency, the ready bit and a 10-bit accessing node (1023 = unknown).
 * The store keeps one record per simulated frame; `bytesPerFrame` is what each costs.
 */

export type PghotMode = 'compact' | 'precise'

/** Time one compact bucket covers, ms: 32 buckets ≈ 4 s at HZ=1000 [PGHOT-v6-3]. */
export const COMPACT_BUCKET_MS = 128
const COMPACT_BUCKETS = 32
/** Time a compact record can tell apart, ms. */
export const COMPACT_SPAN_MS = COMPACT_BUCKET_MS * COMPACT_BUCKETS
/** Time a precise record can tell apart: 14 bits of ms [PGHOT-v6-3]. */
export const PRECISE_SPAN_MS = 1 << 14
/** Highest frequency each layout counts to (2 bits, 4 bits). */
export const MAX_FREQ: Record<PghotMode, number> = { compact: 3, precise: 15 }
export const RECORD_BYTES: Record<PghotMode, number> = { compact: 1, precise: 4 }
/** The precise record's "no accessing node" (NUMA_NO_NODE in 10 bits). */
export const NO_NODE = 1023

// compact: bits 0-1 freq, 2-6 bucket, 7 ready
// precise: bits 0-13 time ms, 14-17 freq, 18 ready, 19-28 node
const P_FREQ_SHIFT = 14
const P_READY = 1 << 18
const P_NODE_SHIFT = 19

export class HotnessStore {
  private readonly compact: Uint8Array | null
  private readonly precise: Uint32Array | null
  readonly maxFreq: number

  constructor(
    readonly mode: PghotMode,
    readonly frames: number,
    private readonly freqThreshold: number,
    private readonly windowMs: number,
  ) {
    this.compact = mode === 'compact' ? new Uint8Array(frames) : null
    this.precise = mode === 'precise' ? new Uint32Array(frames) : null
    this.maxFreq = MAX_FREQ[mode]
  }

  get bytesPerFrame(): number {
    return RECORD_BYTES[this.mode]
  }

  get bytes(): number {
    return this.bytesPerFrame * this.frames
  }

  /** ms since the record's last access as the record can tell (aliased past its span). */
  ageMs(f: number, nowMs: number): number {
    if (this.compact) {
      const nowBucket = Math.floor(nowMs / COMPACT_BUCKET_MS) % COMPACT_BUCKETS
      const b = (this.compact[f] >>> 2) & 31
      return ((nowBucket - b + COMPACT_BUCKETS) % COMPACT_BUCKETS) * COMPACT_BUCKET_MS
    }
    const now = Math.floor(nowMs) % PRECISE_SPAN_MS
    const t = this.precise![f] & (PRECISE_SPAN_MS - 1)
    return (now - t + PRECISE_SPAN_MS) % PRECISE_SPAN_MS
  }

  freq(f: number): number {
    return this.compact ? this.compact[f] & 3 : (this.precise![f] >>> P_FREQ_SHIFT) & 15
  }

  ready(f: number): boolean {
    return this.compact ? (this.compact[f] & 0x80) !== 0 : (this.precise![f] & P_READY) !== 0
  }

  /** The accessing node of the last access, or -1 (compact mode, or a source without one). */
  node(f: number): number {
    if (!this.precise || this.freq(f) === 0) return -1
    const n = this.precise[f] >>> P_NODE_SHIFT
    return n === NO_NODE ? -1 : n
  }

  /**
   * pghot_record_access(pfn, nid, src, now): a count within the window adds one (saturating),
   * one after it starts again at 1; the time and (precise) the node are updated; reaching the
   * threshold sets the ready bit. True when this access made the frame ready.
   */
  record(f: number, nodeOrMinus1: number, nowMs: number): boolean {
    const fresh = this.freq(f) > 0 && this.ageMs(f, nowMs) <= this.windowMs
    const freq = fresh ? Math.min(this.maxFreq, this.freq(f) + 1) : 1
    const wasReady = this.ready(f)
    const ready = wasReady || freq >= this.freqThreshold
    if (this.compact) {
      const bucket = Math.floor(nowMs / COMPACT_BUCKET_MS) % COMPACT_BUCKETS
      this.compact[f] = freq | (bucket << 2) | (ready ? 0x80 : 0)
    } else {
      // A source without the node (A-bit scan, CHMU) leaves the last known one in place.
      const node =
        nodeOrMinus1 >= 0 && nodeOrMinus1 < NO_NODE
          ? nodeOrMinus1
          : this.precise![f] === 0
            ? NO_NODE
            : this.precise![f] >>> P_NODE_SHIFT
      this.precise![f] =
        (Math.floor(nowMs) % PRECISE_SPAN_MS) |
        (freq << P_FREQ_SHIFT) |
        (ready ? P_READY : 0) |
        (node << P_NODE_SHIFT)
    }
    return ready && !wasReady
  }

  /** Clears the ready bit and keeps the rest (a rejected or postponed candidate). */
  clearReady(f: number): void {
    if (this.compact) this.compact[f] &= 0x7f
    else this.precise![f] &= ~P_READY
  }

  /** After a migration or when the frame went cold: the record starts over. */
  reset(f: number): void {
    if (this.compact) this.compact[f] = 0
    else this.precise![f] = NO_NODE << P_NODE_SHIFT
  }
}
