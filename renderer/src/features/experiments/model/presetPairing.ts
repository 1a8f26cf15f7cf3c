import type { Topology } from '../../../../../shared/formats/topology'
import type { WorkloadDraft } from '../workloads/model/draft'
import { initiatorIssues } from '../workloads/model/draft'

/**
 * The workload preset each topology preset is shown with first: one whose initiators exist on the
 * machine and whose footprint exceeds its top tier, so the first experiment has something to tier
 * (test/unit/resources/pairings.test.ts checks both). kv-store does not exceed the two-socket
 * machines' DRAM (the other socket takes the rest), so those get the two tenants.
 */
export const PAIRED_WORKLOAD: Readonly<Record<string, string>> = {
  '1s-cxl': 'kv-store',
  '2s-cxl': 'two-tenants',
  '2s-cxl-switch': 'two-tenants',
  '4-tier': 'kv-store',
  'grace-hopper': 'gpu-embeddings',
}

const FALLBACK_WORKLOAD = 'kv-store'

/**
 * The workload preset to show for a topology: its pairing when it has one, else the current one
 * if it fits, else kv-store (the classic tiering case), else the first that fits (its processes
 * run on the machine's sockets and GPUs).
 * Null when none fits: the builder then shows the initiator problems to fix.
 */
export function fittingPreset(
  presets: ReadonlyArray<{ id: string; workload: unknown }>,
  topology: Topology,
  topologyPresetId: string | null,
  currentId: string | null,
): string | null {
  const fits = (id: string | null) => {
    const p = presets.find((x) => x.id === id)
    return !!p && initiatorIssues(p.workload as WorkloadDraft, topology).length === 0
  }
  const paired = topologyPresetId ? PAIRED_WORKLOAD[topologyPresetId] : undefined
  if (paired && fits(paired)) return paired
  if (fits(currentId)) return currentId
  if (fits(FALLBACK_WORKLOAD)) return FALLBACK_WORKLOAD
  return presets.find((p) => fits(p.id))?.id ?? null
}
