import { runSimulationCore } from '../main/engine/run'
import { BUILTIN_POLICIES } from '../main/engine'
import { referenceExperiment } from './scenarios'

/**
 * The reference scenario for fewer simulated seconds (argv[2], default 10), argv[3] times in one
 * process (default 1; later runs are warm, as the bench's median), for profiling:
 * `node --cpu-prof --cpu-prof-dir=/tmp/prof --import tsx bench/profile-reference.ts 10`
 * tsx compiles each module to one line, so a profile says which function, not which line. For
 * ticks per line, bundle it unminified first and profile the bundle:
 * `npx esbuild bench/profile-reference.ts --bundle --platform=node --format=esm
 *  --packages=external --outfile=bench/.ref.mjs && node --cpu-prof bench/.ref.mjs 60 2`
 * (each profile node's positionTicks then name lines of bench/.ref.mjs).
 */
const durationS = Number(process.argv[2] ?? 10)
const times = Number(process.argv[3] ?? 1)
for (let i = 0; i < times; i++) {
  const c0 = process.cpuUsage()
  const t0 = process.hrtime.bigint()
  const r = runSimulationCore({ ...referenceExperiment(), durationS }, BUILTIN_POLICIES)
  const c = process.cpuUsage(c0)
  console.log(
    `${durationS} s simulated: wall ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(2)} s, cpu ${((c.user + c.system) / 1e6).toFixed(2)} s (user ${(c.user / 1e6).toFixed(2)} s), rss ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB, faults ${r.summary.hintFaults}`,
  )
}
