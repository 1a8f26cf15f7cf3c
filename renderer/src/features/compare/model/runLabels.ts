export interface LabelledRun {
  id: number
  name: string
  policyId: string
}

/**
 * Short names for runs side by side: the policy when it tells them apart (the usual comparison),
 * else the run name, else name and id.
 */
export function runLabels(runs: readonly LabelledRun[]): string[] {
  const policies = new Set(runs.map((r) => r.policyId))
  if (policies.size === runs.length) return runs.map((r) => r.policyId)
  const names = new Set(runs.map((r) => r.name))
  if (names.size === runs.length) return runs.map((r) => r.name)
  return runs.map((r) => `${r.name} (#${r.id})`)
}
