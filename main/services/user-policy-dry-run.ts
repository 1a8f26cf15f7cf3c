import { policyInfo } from '../engine'
import type { PolicyInstance } from '../engine'
import { compileScriptPolicy } from '../engine'
import { runSimulation, type ResolvedExperiment } from '../engine'
import { topologySchema } from '../../shared/formats/topology'
import { workloadSchema } from '../../shared/formats/workload'
import type { PolicyInfo } from '../../shared/api'

/** What a script did in its dry run, for `tierlab check-policy`. */
export interface DryRunReport {
  policy: PolicyInfo
  subscriptions: unknown
  simulatedS: number
  /** Calls of each hook the script defined. */
  hookCalls: Record<string, number>
  /** The run's summary metrics (promotions, demotions, hint faults, samples, …). */
  summary: Record<string, number>
  /** Interrupt ticks the script used (its CPU, in the unit of its limits). */
  cpuTicks: number
  /** What it printed with console.log (at most 500 lines). */
  logs: string[]
}

const GiB = 1024 ** 3

/**
 * A small machine where every tiering mechanism has work: DRAM that holds a quarter of the
 * footprint, a CXL expander for the rest, and one process with a hot set that starts on both.
 */
export function dryRunExperiment(
  params: Record<string, unknown>,
  durationS = 1,
): ResolvedExperiment {
  const mem = (capacityGiB: number, latencyNs: number, bandwidthGBps: number) => ({
    capacityGiB,
    media: 'DDR5',
    readLatencyNs: latencyNs,
    writeLatencyNs: latencyNs,
    readBandwidthGBps: bandwidthGBps,
    writeBandwidthGBps: bandwidthGBps,
  })
  return {
    format: 'tierlab.experiment/v1',
    name: 'check-policy dry run',
    topology: topologySchema.parse({
      format: 'tierlab.topology/v1',
      name: '1S + CXL (dry run)',
      components: [
        { id: 's0', kind: 'socket', cores: 8, memory: mem(64 / 1024, 100, 100) },
        { id: 'c0', kind: 'cxl-memory', memory: mem(256 / 1024, 170, 30) },
      ],
      links: [{ a: 's0', b: 'c0', kind: 'cxl', bandwidthGBps: 32, latencyNs: 70 }],
    }),
    workload: workloadSchema.parse({
      format: 'tierlab.workload/v1',
      name: 'hot set (dry run)',
      regions: [
        { id: 'r0', sizeGiB: (128 * 1024 ** 2) / GiB, firstTouch: 'p0', allocation: 'start' },
      ],
      processes: [
        {
          id: 'p0',
          initiator: 's0',
          threads: 2,
          computeNsPerOp: 200,
          accessesPerOp: 1,
          mlp: 1,
          writeFraction: 0,
          phases: [
            {
              durationS,
              accesses: [
                {
                  region: 'r0',
                  share: 1,
                  pattern: { kind: 'hotset', hotFraction: 0.2, hotProbability: 0.95 },
                },
              ],
            },
          ],
        },
      ],
    }),
    policy: { script: 'dry-run', params },
    pageBytes: 4096,
    durationS,
    epochMs: 10,
    seed: 1,
    mode: 'fast',
    tags: [],
  }
}

function counted(inst: PolicyInstance, calls: Record<string, number>): PolicyInstance {
  const out: PolicyInstance = {}
  for (const [name, fn] of Object.entries(inst) as Array<[keyof PolicyInstance, unknown]>) {
    if (typeof fn !== 'function') continue
    calls[name] = 0
    ;(out as Record<string, unknown>)[name] = (...args: unknown[]) => {
      calls[name]++
      return (fn as (...a: unknown[]) => unknown)(...args)
    }
  }
  return out
}

/** Loads the script, runs it for one simulated second, and reports what it did. */
export async function dryRunPolicyScript(
  source: string,
  fileName: string,
  params: Record<string, unknown> = {},
): Promise<DryRunReport> {
  const script = await compileScriptPolicy(source, { fileName })
  try {
    const hookCalls: Record<string, number> = {}
    let subscriptions: unknown = null
    const def = {
      ...script.def,
      subscriptions: (k: Record<string, unknown>) => (subscriptions = script.def.subscriptions(k)),
      create: (...a: Parameters<typeof script.def.create>) =>
        counted(script.def.create(...a), hookCalls),
    }
    const exp = dryRunExperiment(params)
    const result = runSimulation(exp, def)
    return {
      policy: policyInfo(script.def),
      subscriptions,
      simulatedS: exp.durationS,
      hookCalls,
      summary: result.summary,
      cpuTicks: script.usage().ticks,
      logs: script.takeLogs(),
    }
  } finally {
    script.dispose()
  }
}
