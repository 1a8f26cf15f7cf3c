import { describe, expect, it } from 'vitest'
import {
  compareVerdict,
  type VerdictRun,
} from '../../../../renderer/src/features/compare/model/verdict'

const GiB = 1024 ** 3
const firstTouch: VerdictRun = {
  id: 1,
  name: 'kv ft',
  policyId: 'first-touch',
  summary: { throughputOpsPerS: 1000, topTierHitRatio: 0.42, meanLatencyNs: 251, promotedBytes: 0 },
}
const tiering: VerdictRun = {
  id: 2,
  name: 'kv nbt',
  policyId: 'numa-balancing-tiering',
  summary: {
    throughputOpsPerS: 1230,
    topTierHitRatio: 0.914,
    meanLatencyNs: 180.4,
    promotedBytes: 1.2 * GiB,
  },
}

describe('compareVerdict', () => {
  it('names the winner, its gain over the baseline and the evidence', () => {
    // (1230 − 1000) ÷ 1000 = +23 %.
    expect(compareVerdict([firstTouch, tiering], 0)).toBe(
      'numa-balancing-tiering wins: +23 % throughput vs first-touch; hit ratio 0.91 vs 0.42; mean latency 180 vs 251 ns; 1.2 GiB promoted',
    )
  })

  it('compares a winning baseline with the runner-up', () => {
    const tpp: VerdictRun = {
      id: 3,
      name: 'kv tpp',
      policyId: 'tpp',
      summary: { throughputOpsPerS: 1100, pingPongs: 1 },
    }
    // Baseline tiering (1230) wins; runner-up tpp 1100: 130 ÷ 1100 = 11.8 % → +12 %.
    expect(compareVerdict([firstTouch, tiering, tpp], 1)).toBe(
      'numa-balancing-tiering wins: +12 % throughput vs tpp; 1.2 GiB promoted',
    )
  })

  it('names runs by name when they share a policy, and reports a tie', () => {
    const a: VerdictRun = {
      id: 4,
      name: 'seed 1',
      policyId: 'tpp',
      summary: { throughputOpsPerS: 1000 },
    }
    const b: VerdictRun = {
      id: 5,
      name: 'seed 2',
      policyId: 'tpp',
      summary: { throughputOpsPerS: 1003 },
    }
    // 3 ÷ 1000 = 0.3 % < 0.5 %: the same.
    expect(compareVerdict([a, b], 0)).toBe('seed 2 and seed 1: same throughput (within 0.5 %)')
  })

  it('asks for two finished runs otherwise', () => {
    const running: VerdictRun = { id: 6, name: 'r', policyId: 'tpp', summary: null }
    expect(compareVerdict([firstTouch, running], 0)).toBe(
      'Pick at least two finished runs to see which one wins.',
    )
    expect(compareVerdict([], 0)).toMatch(/at least two/)
  })

  it('measures against the runner-up when the baseline has no results', () => {
    const running: VerdictRun = { id: 6, name: 'r', policyId: 'tpp', summary: null }
    expect(compareVerdict([running, firstTouch, tiering], 0)).toMatch(
      /^numa-balancing-tiering wins: \+23 % throughput vs first-touch/,
    )
  })

  const oracle: VerdictRun = {
    id: 7,
    name: 'kv oracle',
    policyId: 'oracle',
    summary: { throughputOpsPerS: 1500, topTierHitRatio: 0.97, meanLatencyNs: 150 },
  }

  it('never crowns the oracle: the best real policy wins, the oracle is a bound', () => {
    // Oracle 1500 is fastest but a bound; tiering 1230 beats first-touch 1000 (+23 %) and reaches
    // 1230 ÷ 1500 = 82 % of the bound.
    expect(compareVerdict([oracle, firstTouch, tiering], 1)).toBe(
      'numa-balancing-tiering wins: +23 % throughput vs first-touch; hit ratio 0.91 vs 0.42; mean latency 180 vs 251 ns; 1.2 GiB promoted; oracle bound: numa-balancing-tiering reaches 82 % of its throughput',
    )
    // With the oracle as baseline the winner is still measured against a real policy.
    expect(compareVerdict([oracle, firstTouch, tiering], 0)).toMatch(
      /^numa-balancing-tiering wins: \+23 % throughput vs first-touch;/,
    )
  })

  it('with one real policy and the oracle, says how close it comes to the bound', () => {
    expect(compareVerdict([firstTouch, oracle], 0)).toBe(
      'first-touch is the only real policy here; oracle bound: first-touch reaches 67 % of its throughput',
    )
  })
})
