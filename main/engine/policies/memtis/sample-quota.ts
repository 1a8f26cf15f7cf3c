/**
 * ksampled's CPU quota [MEMTIS] (linux/mm/htmm_sampler.c, `ksamplingd`): every cpucap_period
 * (15 s) the sampler compares its CPU use, in permil of one CPU, with ksampled_soft_cpu_quota
 * (30 = 3 %); above quota + 0.5 % it takes the next longer sample period, below quota − 0.5 %
 * the next shorter one, one step per check, on the ladder of `pebs_period_list`
 * (linux/include/linux/htmm.h, primes from 199 to 19997). The first measurement is smoothed
 * (0.8 · now + 0.2 · before), as the kernel does while its running value is still 0.
 */

/** `pebs_period_list` (htmm.h): the periods ksampled steps through. */
export const PEBS_PERIOD_LIST: readonly number[] = [
  199, 293, 401, 499, 599, 701, 797, 907, 997, 1201, 1399, 1601, 1801, 1999, 2503, 3001, 3499, 4001,
  4507, 4999, 6007, 7001, 7993, 9001, 10007, 12007, 13999, 16001, 17989, 19997,
]

/** ±5 permil around the quota: "to prevent frequent updates, allow for a slight variation". */
const HYSTERESIS = 0.005

export class SamplePeriodGovernor {
  /** The periods this run may use: the configured one, then the ladder's longer ones. */
  readonly ladder: number[]
  private step = 0
  private lastCheckS = 0
  private lastCpuS = 0
  /** Sampler CPU over the last check window, CPU s/s (one CPU = 1); 0 until the first check. */
  share = 0

  constructor(
    startPeriod: number,
    /** Allowed CPU share of one CPU (0.03 = 3 %); 0 turns the governor off. */
    private readonly quota: number,
    private readonly checkS: number,
  ) {
    this.ladder = [startPeriod, ...PEBS_PERIOD_LIST.filter((p) => p > startPeriod)]
  }

  get period(): number {
    return this.ladder[this.step]
  }

  /**
   * At simulated time `nowS`, with the sampler's CPU seconds so far: the period to use from now
   * (unchanged unless a check moved it).
   */
  update(nowS: number, samplerCpuS: number): number {
    if (this.quota <= 0 || nowS - this.lastCheckS < this.checkS) return this.period
    const now = (samplerCpuS - this.lastCpuS) / (nowS - this.lastCheckS)
    this.share = this.share === 0 ? 0.8 * now + 0.2 * this.share : now
    this.lastCheckS = nowS
    this.lastCpuS = samplerCpuS
    if (this.share > this.quota + HYSTERESIS && this.step < this.ladder.length - 1) this.step++
    else if (this.share < this.quota - HYSTERESIS && this.step > 0) this.step--
    return this.period
  }
}
