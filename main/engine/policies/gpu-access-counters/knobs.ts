import { z } from 'zod'
import { knob } from '../knob'

/**
 * NVIDIA UVM's access-counter defaults (open-gpu-kernel-modules, kernel-open/nvidia-uvm
 * [UVM-AC][UVM-TH]): a notification after 256 remote accesses to a 2 MiB granule, serviced in
 * batches of 256, and counter-driven migration enabled only where ATS exists (Grace Hopper).
 */
export const UVM_ACCESS_COUNTER_DEFAULTS = {
  /** uvm_perf_access_counter_threshold (1–65535) [UVM-AC]. */
  threshold: 256,
  /** uvm_perf_access_counter_granularity [UVM-AC]. */
  granularity: '2MiB',
  /** uvm_perf_access_counter_batch_count [UVM-AC]. */
  batchCount: 256,
  /** uvm_perf_access_counter_migration_enable = -1: on only with ATS [UVM-AC]. */
  migration: 'auto',
  /** uvm_perf_thrashing_threshold [UVM-TH]. */
  thrashingThreshold: 3,
} as const

/** The granularities the hardware offers [UVM-AC], in bytes. */
export const GRANULARITY_BYTES = {
  '64KiB': 64 * 1024,
  '2MiB': 2 * 1024 * 1024,
  '16MiB': 16 * 1024 * 1024,
  '16GiB': 16 * 1024 * 1024 * 1024,
} as const

export const gpuAccessCounterKnobs = z.strictObject({
  threshold: knob(
    z.number().int().min(1).max(65535).default(UVM_ACCESS_COUNTER_DEFAULTS.threshold),
    {
      label: 'Counter threshold',
      unit: 'accesses',
      description:
        "A GPU's remote accesses to one granule within an epoch that raise a notification (uvm_perf_access_counter_threshold).",
    },
  ),
  granularity: knob(
    z
      .enum(Object.keys(GRANULARITY_BYTES) as [keyof typeof GRANULARITY_BYTES])
      .default(UVM_ACCESS_COUNTER_DEFAULTS.granularity),
    {
      label: 'Counter granularity',
      unit: '',
      description:
        'Memory one access counter covers, and what one notification migrates (uvm_perf_access_counter_granularity).',
    },
  ),
  batchCount: knob(
    z.number().int().min(1).max(65536).default(UVM_ACCESS_COUNTER_DEFAULTS.batchCount),
    {
      label: 'Notification batch',
      unit: 'notifications',
      description:
        'Notifications the driver fetches and services at a time; each batch costs a servicing pass (uvm_perf_access_counter_batch_count).',
    },
  ),
  migration: knob(z.enum(['auto', 'on', 'off']).default(UVM_ACCESS_COUNTER_DEFAULTS.migration), {
    label: 'Counter-driven migration',
    unit: '',
    description:
      "'auto' migrates only into a coherent (ATS) GPU's memory, as UVM does by default; 'on' also into a non-coherent GPU's device-private memory; 'off' only counts (uvm_perf_access_counter_migration_enable).",
  }),
  eviction: knob(z.boolean().default(true), {
    label: 'Evict when full',
    unit: '',
    description:
      'When GPU memory has no room, evict the granules migrated in longest ago back to the memory they came from; off: migrations stop when it is full.',
  }),
  thrashingThreshold: knob(
    z.number().int().min(0).max(1000).default(UVM_ACCESS_COUNTER_DEFAULTS.thrashingThreshold),
    {
      label: 'Thrashing threshold',
      unit: 'evictions',
      description:
        'Evictions of a granule after which it is declared thrashing and stays in host memory, mapped remotely (uvm_perf_thrashing_threshold); 0 never.',
    },
  ),
  // Default 'none': on Grace Hopper NVIDIA's guidance is to bind memory or disable NUMA balancing
  // [HWLOC], and the kernel's tiering cannot see the GPU anyway (hint faults come from CPU page
  // tables only [FAIR]; HBM ranks below LPDDR5X by what the CPU sees [MT]). The composition is
  // there to measure the interaction: kswapd then demotes Grace's CPU-cold pages, GPU-hot ones
  // included, into the same HBM the driver fills, and hint faults pull CPU-hot pages out of it.
  cpuPolicy: knob(z.enum(['none', 'numa-balancing-tiering']).default('none'), {
    label: 'CPU-side policy',
    unit: '',
    description:
      "'none': CPU pages stay where they were allocated (NVIDIA's guidance disables NUMA balancing on Grace Hopper); 'numa-balancing-tiering': Linux tiers the CPU's pages as well, at its defaults.",
  }),
})

export type GpuAccessCounterKnobs = z.output<typeof gpuAccessCounterKnobs>
