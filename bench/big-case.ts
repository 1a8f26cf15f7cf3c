import { BUILTIN_POLICIES } from '../main/engine'
import { runSimulationCore, type SimulationSetup } from '../main/engine/run'
import { referenceExperiment, referenceTopology, referenceWorkload } from './scenarios'

/**
 * One large run in its own process (bench/run.ts spawns it), so its peak RSS is its own: the
 * reference machine and workload scaled to `totalGiB` (two stores of half each, DRAM a quarter of
 * a store per socket) in frames of `pageBytes` (default 4 KiB), for `durationS` simulated seconds.
 * Prints one JSON line.
 */
const totalGiB = Number(process.argv[2] ?? 256)
const durationS = Number(process.argv[3] ?? 5)
const pageBytes = Number(process.argv[4] ?? 4096) as 4096 | 2097152
const each = totalGiB / 2
const exp = {
  ...referenceExperiment(),
  name: `bench ${totalGiB} GiB`,
  topology: referenceTopology(each / 2, each * 2),
  workload: referenceWorkload(each),
  pageBytes,
  durationS,
}
exp.workload.processes.forEach((p) => (p.phases[0].durationS = durationS))
let setup: SimulationSetup | null = null
const t0 = process.hrtime.bigint()
const c0 = process.cpuUsage()
const r = runSimulationCore(exp, BUILTIN_POLICIES, {}, {}, (s) => (setup = s))
// Measured after the run: arrays allocated on first use (accessed-bit stamps) count too.
const { frames, bytesPerFrame, frameArrayBytes } = measure(setup)
const wallS = Number(process.hrtime.bigint() - t0) / 1e9
const cpu = process.cpuUsage(c0)
const peakRssMiB = process.resourceUsage().maxRSS / 1024
console.log(
  JSON.stringify({
    totalGiB,
    pageBytes,
    frames,
    durationS,
    wallS: Number(wallS.toFixed(2)),
    /** This process's CPU time: on a shared machine it shows the engine's own cost. */
    cpuS: Number(((cpu.user + cpu.system) / 1e6).toFixed(2)),
    peakRssMiB: Number(peakRssMiB.toFixed(1)),
    bytesPerFrame: Number(bytesPerFrame.toFixed(2)),
    /** Bytes per frame of each per-frame array (their sum is bytesPerFrame). */
    frameArrayBytes,
    /** Peak RSS over the frames (arrays never written, e.g. zero-filled, are not resident). */
    rssBytesPerFrame: Number(((peakRssMiB * 2 ** 20) / frames).toFixed(2)),
    throughputOpsPerS: r.summary.throughputOpsPerS,
    warnings: r.warnings,
  }),
)

function measure(s: SimulationSetup | null) {
  if (!s) throw new Error('the run never reached its set-up')
  const parts = s.frameArrayBytes()
  return {
    frames: s.core.frames.count,
    bytesPerFrame: s.bytesPerFrame(),
    frameArrayBytes: Object.fromEntries(
      Object.entries(parts).map(([k, v]) => [k, Number(v.toFixed(3))]),
    ),
  }
}
