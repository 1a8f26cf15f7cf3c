import { z } from 'zod'
import {
  runSimulation,
  type ResolvedExperiment,
  type SimulationResult,
} from '../../../../../main/engine'
import {
  definePolicy,
  type AccessSample,
  type CxlHotRecord,
  type GpuCounterNotification,
  type PolicyContext,
  type Subscriptions,
} from '../../../../../main/engine/policies/api'

/** Everything a probe policy saw, with the page table as it was at delivery. */
export interface ProbeLog {
  samples: Array<AccessSample & { epoch: number; frameNodeNow: number }>
  cxl: Array<{ epoch: number; node: number; records: CxlHotRecord[]; frameNodes: number[] }>
  gpu: Array<{ epoch: number; notes: GpuCounterNotification[]; frameNodes: number[] }>
  /** Calls of hooks the probe did not subscribe to would show up here too (they must not). */
  hookCalls: { samples: number; cxl: number; gpu: number; hintFaults: number }
  initiators: string[][]
}

let nextId = 0

/**
 * Runs `exp` under a policy that subscribes to `subs`, records every delivery, and optionally
 * acts each epoch (`onEpoch`). Placement is the engine's default (first touch, local first).
 */
export function runProbe(
  exp: ResolvedExperiment,
  subs: Subscriptions,
  onEpoch?: (ctx: PolicyContext) => void,
): { result: SimulationResult; log: ProbeLog } {
  const log: ProbeLog = {
    samples: [],
    cxl: [],
    gpu: [],
    hookCalls: { samples: 0, cxl: 0, gpu: 0, hintFaults: 0 },
    initiators: [],
  }
  const id = `test-probe-${nextId++}`
  const probe = definePolicy({
    id,
    name: id,
    description: 'telemetry probe (tests only)',
    knobs: z.strictObject({}),
    subscriptions: () => subs,
    reclaim: () => ({ demotionEnabled: false, balanceTo: 'high' }),
    create: (_k, ctx) => ({
      onSamples: (batch) => {
        log.hookCalls.samples++
        for (const s of batch)
          log.samples.push({ ...s, epoch: ctx.epoch, frameNodeNow: ctx.frameNode(s.frame) })
      },
      onCxlHotRecords: (node, records) => {
        log.hookCalls.cxl++
        log.cxl.push({
          epoch: ctx.epoch,
          node,
          records: [...records],
          frameNodes: records.map((r) => ctx.frameNode(r.frame)),
        })
      },
      onGpuCounter: (notes) => {
        log.hookCalls.gpu++
        log.gpu.push({
          epoch: ctx.epoch,
          notes: [...notes],
          frameNodes: notes.map((n) => ctx.frameNode(n.frame)),
        })
      },
      onHintFault: () => {
        log.hookCalls.hintFaults++
      },
      onEpoch: (c) => {
        onEpoch?.(c)
        log.initiators.push(c.processes.map((p) => p.initiator))
      },
    }),
  })
  // The definition itself is the run's policy: no registry, no module mocking.
  const result = runSimulation({ ...exp, policy: { id, params: {} } }, probe)
  return { result, log }
}
