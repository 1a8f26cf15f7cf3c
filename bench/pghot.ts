import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { BUILTIN_POLICIES, type ResolvedExperiment } from '../main/engine'
import { runSimulationCore } from '../main/engine/run'

/**
 * The pghot reference run (issue 9): the bench's reference scenario under pghot fed by IBS
 * samples only, beside the NUMA-balancing reference. Target: its wall time ≤ 1.5× the NB
 * reference's. Three runs, the median counts (the machine is shared, as for the reference).
 */
export const PGHOT_TARGET_RATIO = 1.5

export function pghotReference(ref: ResolvedExperiment): ResolvedExperiment {
  return {
    ...ref,
    name: 'bench pghot (IBS)',
    policy: { id: 'pghot', params: { sources: ['ibs'] } },
  }
}

function timed<T>(f: () => T): { value: T; wallS: number; cpuS: number } {
  const t0 = process.hrtime.bigint()
  const c0 = process.cpuUsage()
  const value = f()
  const c = process.cpuUsage(c0)
  return {
    value,
    wallS: Number(process.hrtime.bigint() - t0) / 1e9,
    cpuS: (c.user + c.system) / 1e6,
  }
}

export function benchPghot(ref: ResolvedExperiment, nbWallS: number) {
  const exp = pghotReference(ref)
  let storeBytesPerFrame = 0
  const runs = [0, 1, 2].map(() => timed(() => runSimulationCore(exp, BUILTIN_POLICIES)))
  const mid = [...runs].sort((a, b) => a.wallS - b.wallS)[1]
  const s = mid.value.summary
  const store = mid.value.series.find((x) => x.key === 'policy.storeBytesPerFrame')?.values ?? []
  storeBytesPerFrame = store[store.length - 1] ?? 0
  const result = {
    wallS: Number(mid.wallS.toFixed(3)),
    runsWallS: runs.map((r) => Number(r.wallS.toFixed(3))),
    cpuS: Number(mid.cpuS.toFixed(3)),
    nbReferenceWallS: Number(nbWallS.toFixed(3)),
    ratioToNb: Number((mid.wallS / nbWallS).toFixed(3)),
    targetRatio: PGHOT_TARGET_RATIO,
    hintFaults: s.hintFaults,
    samples: s.samples,
    promotions: s.promotions,
    storeBytesPerFrame,
    summary: s,
  }
  console.log(
    `pghot (IBS): ${exp.durationS} s simulated in ${result.wallS} s wall (median of ${result.runsWallS.join(', ')} s; ${result.cpuS} s CPU), ${result.ratioToNb}× the NB reference's ${result.nbReferenceWallS} s (target ≤ ${PGHOT_TARGET_RATIO}×)`,
  )
  console.log(
    `  throughput ${s.throughputOpsPerS.toExponential(3)} ops/s, top-tier hit ratio ${s.topTierHitRatio.toFixed(3)}, hint faults ${s.hintFaults}, samples ${s.samples}, promotions ${s.promotions}, hotness store ${storeBytesPerFrame} B/frame`,
  )
  return result
}

/**
 * `BENCH_ONLY=pghot npm run bench`: only this case. The NB reference's wall time comes from the
 * last full bench's results.json when there is one (said so in the output), else from one run
 * now; the `pghot` entry of results.json is replaced and the rest kept.
 */
export function benchPghotOnly(ref: ResolvedExperiment, resultsFile: string): void {
  const previous = existsSync(resultsFile)
    ? (JSON.parse(readFileSync(resultsFile, 'utf8')) as Record<string, unknown>)
    : {}
  const prevRef = (previous.reference as { wallS?: number } | undefined)?.wallS
  let nbWallS: number
  if (typeof prevRef === 'number' && prevRef > 0) {
    nbWallS = prevRef
    console.log(`NB reference: ${nbWallS} s wall, from ${resultsFile} (the last full bench)`)
  } else {
    nbWallS = timed(() => runSimulationCore(ref, BUILTIN_POLICIES)).wallS
    console.log(`NB reference: ${nbWallS.toFixed(3)} s wall (one run; no earlier results)`)
  }
  const pghot = benchPghot(ref, nbWallS)
  console.log(pghot.ratioToNb <= PGHOT_TARGET_RATIO ? 'pghot target met' : 'TARGET MISSED')
  writeFileSync(resultsFile, JSON.stringify({ ...previous, pghot }, null, 2) + '\n')
}
