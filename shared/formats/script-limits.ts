import { z } from 'zod'

/**
 * Per-run limits of a policy script's sandbox. CPU is counted in QuickJS interrupt ticks: the
 * interpreter calls its interrupt handler after a fixed number of bytecode steps, so a tick is a
 * deterministic amount of work (about 2 ms of interpreter time, ~5,000 iterations of a small loop,
 * on the machine the defaults were measured on) and a limit stops a script at the same place on
 * every machine and every rerun, never by wall clock.
 */
export const scriptLimitsSchema = z.strictObject({
  /** The sandbox's whole WebAssembly memory (QuickJS, its stack and the script's heap), MiB; at
   * least the 16 MiB QuickJS needs to start. */
  memoryMiB: z.number().int().min(16).max(1024).default(64),
  /** Ticks one hook call may use (an infinite loop ends after about a second). */
  cpuTicksPerHookCall: z.number().int().min(1).max(1_000_000).default(500),
  /** Ticks all hook calls of one simulated second may use together. */
  cpuTicksPerSimulatedS: z.number().int().min(1).max(10_000_000).default(5_000),
  /** Interpreter stack, KiB: deep recursion ends with a clear error and its line. Above 256 KiB
   * the WebAssembly frames can exhaust the host stack before QuickJS notices. */
  stackKiB: z.number().int().min(64).max(256).default(256),
})
export type ScriptLimits = z.output<typeof scriptLimitsSchema>
