import { describe, expect, it } from 'vitest'
import {
  loadQuickJs,
  SandboxMemory,
  ScriptSandbox,
} from '../../../../../../main/engine/policies/script/sandbox'
import { scriptLimitsSchema } from '../../../../../../main/engine/policies/script/limits'
import { runScript, smallExperiment } from './helpers'

/**
 * A hint fault's fields reach the script through the prelude's array, which the host writes in
 * the sandbox's memory directly (sandbox.ts mapEventSlots), not through a host call per field.
 */
describe('hint-fault event slots shared with the sandbox', () => {
  it('are found in a fresh sandbox', async () => {
    const limits = scriptLimitsSchema.parse({})
    const memory = new SandboxMemory(limits.memoryMiB * 1024 * 1024)
    const sb = new ScriptSandbox(await loadQuickJs(memory), memory, 'probe.js', limits)
    try {
      const slots = sb.eventSlots()
      expect(slots).not.toBeNull()
      expect(slots!.length).toBeGreaterThanOrEqual(10)
    } finally {
      sb.dispose()
    }
  })

  it('carry the same faults after the script grew the sandbox memory (the view is remade)', async () => {
    const probe = (grow: boolean) => `export default {
      name: 'fault logger',
      knobs: {},
      subscriptions: () => ({ hintFaults: { mode: 'tiering', scanDelayMs: 0, scanPeriodMinMs: 100, scanPeriodMaxMs: 1000, scanSizeMB: 256 } }),
      create(knobs, ctx) {
        let seen = 0
        return {
          onHintFault(f) {
            // 24 MiB more than the sandbox starts with: WebAssembly memory grows, its buffer changes.
            if (${grow} && seen === 3) globalThis.ballast = new Float64Array(3 * 1024 * 1024)
            if (seen++ < 40) console.log([f.frame, f.node, f.process, f.cpuNode, f.faultTimeMs, f.scanTimeMs, f.thread, f.private].join(' '))
          },
        }
      },
    }`
    const plain = await runScript(smallExperiment(), probe(false))
    const grown = await runScript(smallExperiment(), probe(true))
    expect(plain.logs.length).toBe(40)
    expect(grown.logs).toEqual(plain.logs)
    expect(grown.summary).toEqual(plain.summary)
  })
})
