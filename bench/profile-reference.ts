import { runSimulationCore } from '../main/engine/run'
import { BUILTIN_POLICIES } from '../main/engine'
import { referenceExperiment } from './scenarios'

/**
 * The reference scenario for fewer simulated seconds (argv[2], default 10), for profiling:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-reference.ts 10`
 */
const durationS = Number(process.argv[2] ?? 10)
const c0 = process.cpuUsage()
const t0 = process.hrtime.bigint()
const r = runSimulationCore({ ...referenceExperiment(), durationS }, BUILTIN_POLICIES)
const c = process.cpuUsage(c0)
console.log(`user ${(c.user / 1e6).toFixed(2)} s, system ${(c.system / 1e6).toFixed(2)} s`)
console.log(
  `${durationS} s simulated: wall ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)} s, cpu ${((c.user + c.system) / 1e6).toFixed(2)} s, rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB, faults ${r.summary.hintFaults}`,
)
