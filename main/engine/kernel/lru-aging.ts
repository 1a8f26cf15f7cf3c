import { runArray } from '../memory/run-arrays'

/**
 * Accessed-bit aging for reclaim/demotion (a CLOCK over frames, in the spirit of the kernel's
 * active/inactive LRU and MGLRU generations [VMS]): one byte of age per frame. A check reads and
 * clears the frame's accessed bit: set → age 0 (young), clear → age + 1 (saturating at 255).
 * Demotion takes the oldest of the checked frames first. Work is O(frames checked); frames that
 * are not candidates (another node) are skipped without a check or a charge.
 */

export const MAX_AGE = 255

export interface ColdScan {
  /** Candidates found, oldest first. */
  frames: number[]
  /** Accessed-bit checks done (the caller charges their cost). */
  checked: number
}

export class LruAging {
  readonly ages: Uint8Array
  private hand = 0

  constructor(readonly frameCount: number) {
    this.ages = runArray(Uint8Array, frameCount)
  }

  /** Check one frame's accessed bit and age it. Returns its new age. */
  check(frame: number, accessed: boolean): number {
    const a = accessed ? 0 : Math.min(MAX_AGE, this.ages[frame] + 1)
    this.ages[frame] = a
    return a
  }

  /** A freshly placed or migrated frame starts young. */
  reset(frame: number): void {
    this.ages[frame] = 0
  }

  /**
   * Walk the clock from where the last walk stopped, checking up to `maxChecks` candidate
   * frames, and return up to `want` frames whose age reached `minAge`, oldest first.
   * `wasAccessed(frame)` answers (and clears) the accessed bit since the frame's last check.
   * A frame whose age reaches minAge is taken on this walk; older frames are preferred when more
   * than `want` qualify (ties by clock order).
   */
  findCold(opts: {
    want: number
    maxChecks: number
    minAge?: number
    isCandidate: (frame: number) => boolean
    wasAccessed: (frame: number) => boolean
  }): ColdScan {
    const minAge = opts.minAge ?? 1
    const n = this.frameCount
    // Bucket by age (256 buckets) so "oldest first" costs O(checked + 256), not a sort.
    const buckets: number[][] = []
    let checked = 0
    let walked = 0
    let found = 0
    while (checked < opts.maxChecks && walked < n && found < opts.want * 4) {
      const f = this.hand
      this.hand = this.hand + 1 === n ? 0 : this.hand + 1
      walked++
      if (!opts.isCandidate(f)) continue
      checked++
      const age = this.check(f, opts.wasAccessed(f))
      if (age >= minAge) {
        ;(buckets[age] ??= []).push(f)
        found++
      }
    }
    const frames: number[] = []
    for (let age = MAX_AGE; age >= minAge && frames.length < opts.want; age--) {
      const b = buckets[age]
      if (!b) continue
      for (const f of b) {
        if (frames.length >= opts.want) break
        frames.push(f)
      }
    }
    return { frames, checked }
  }
}
