/**
 * DAMOS quotas, quota goals and their tuners, and the region priority scores (mm/damon/core.c,
 * mm/damon/ops-common.c) [DAMON-C][DAMON-D][DAMON-TUNER].
 */

export type GoalMetric = 'node_mem_used_bp' | 'node_mem_free_bp' | 'none'
export type GoalTuner = 'consist' | 'temporal'

/** The goal's achievement in bp of the target: current ÷ target × 10000 (damos_quota_score). */
export function goalScore(currentBp: number, targetBp: number): number {
  // A zero target is met by a zero current value and exceeded (twice over) by anything else.
  if (targetBp <= 0) return currentBp > 0 ? 20000 : 10000
  return Math.floor((currentBp * 10000) / targetBp)
}

/**
 * damon_feed_loop_next_input: the next input of the feedback loop from the last one and the
 * score (10000 = goal met): it grows by the shortfall's share, shrinks by the excess's share, and
 * never goes below 10000; a score of twice the goal resets it to 10000.
 */
export function feedLoopNextInput(lastInput: number, score: number): number {
  const goal = 10000
  const minInput = 10000
  if (score === goal) return lastInput
  if (score >= goal * 2) return minInput
  const over = score > goal
  const diff = over ? score - goal : goal - score
  const compensation = Math.floor((lastInput * diff) / goal)
  if (over) return Math.max(lastInput - compensation, minInput)
  // The kernel's unsigned long saturates at ULONG_MAX: the input winds up that far at most.
  return Math.min(lastInput + compensation, ULONG_MAX)
}

const ULONG_MAX = 2 ** 64 - 1

/** One scheme's quota state: the size quota, the tuner's state, and this interval's charge. */
export class SchemeQuota {
  /** esz_bp of the consist tuner (bytes × 10000); 0 before the first interval, as in the kernel. */
  private eszBp = 0
  /** Effective size quota of the current reset interval, bytes. */
  esz = 0
  /** Bytes charged in the current reset interval. */
  charged = 0

  constructor(
    /** Size quota per reset interval, bytes. */
    readonly sizeBytes: number,
    readonly tuner: GoalTuner,
    readonly hasGoal: boolean,
  ) {}

  /**
   * damos_set_effective_quota at the start of a reset interval [DAMON-C], with the 2026 fix that an
   * esz of 0 stops the scheme [DAMON-ESZ0]. An esz below one page moves nothing: damos_apply_scheme
   * aligns what is left of the quota down to DAMON_MIN_REGION, and a scheme whose consist input
   * is ramping up from its floor (esz_bp 10000, 1 byte) stays idle until it passes one page. The
   * floor at the minimum region size proposed with [DAMON-COLDSTART] was withdrawn in review (the
   * under-achieving loop ramps out of the seed by itself, "ten-some ticks"), so it is not modelled.
   */
  startInterval(score: number): void {
    this.charged = 0
    if (!this.hasGoal) {
      this.esz = this.sizeBytes
      return
    }
    let esz: number
    if (this.tuner === 'temporal') {
      // Full quota until the goal is met, then nothing [DAMON-TUNER].
      esz = score >= 10000 ? 0 : this.sizeBytes
    } else {
      this.eszBp = feedLoopNextInput(Math.max(this.eszBp, 10000), score)
      esz = Math.floor(this.eszBp / 10000)
    }
    this.esz = Math.min(esz, this.sizeBytes)
  }

  /** Quota left in this interval, bytes (0: the scheme is skipped). */
  left(): number {
    return this.esz <= 0 ? 0 : Math.max(0, this.esz - this.charged)
  }
}

const MAX_SUBSCORE = 100
const MAX_AGE_IN_LOG = 20
/** DAMOS_MAX_SCORE. */
export const MAX_SCORE = 99

/**
 * damon_hot_score: frequency and log2 of the age in seconds (negative when never accessed),
 * weighted, scaled to 0..99. migrate_hot ranks regions by it, migrate_cold by 99 − it.
 */
export function hotScore(
  nrAccesses: number,
  maxNrAccesses: number,
  ageIntervals: number,
  aggregationS: number,
  weights: { nrAccesses: number; age: number },
): number {
  const freq = Math.floor((nrAccesses * MAX_SUBSCORE) / Math.max(1, maxNrAccesses))
  let ageS = Math.floor(ageIntervals * aggregationS)
  let ageLog = 0
  while (ageLog < MAX_AGE_IN_LOG && ageS > 0) {
    ageLog++
    ageS = Math.floor(ageS / 2)
  }
  if (freq === 0) ageLog = -ageLog
  ageLog += MAX_AGE_IN_LOG
  const ageSub = Math.floor((ageLog * MAX_SUBSCORE) / MAX_AGE_IN_LOG / 2)
  const w = weights.nrAccesses + weights.age
  let hot = weights.nrAccesses * freq + weights.age * ageSub
  if (w > 0) hot = Math.floor(hot / w)
  return Math.min(MAX_SCORE, Math.floor((hot * MAX_SCORE) / MAX_SUBSCORE))
}

/**
 * damos_adjust_quota's threshold: the lowest score such that the regions scoring at least it
 * add up to the effective quota (or score 0 when all of them fit).
 */
export function minScoreFor(histogram: Float64Array, maxScore: number, eszBytes: number): number {
  let cumulated = 0
  let score = maxScore
  for (; score > 0; score--) {
    cumulated += histogram[score]
    if (cumulated >= eszBytes) break
  }
  return score
}
