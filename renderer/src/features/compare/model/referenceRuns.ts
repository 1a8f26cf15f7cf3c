/**
 * Policies that are bounds, not mechanisms: the oracle reads true access rates no kernel has
 * (its policy description: "An upper bound, not a real mechanism"). Compare draws them as a
 * reference line and never crowns them, nor picks them as the default baseline.
 */
export const REFERENCE_POLICIES: ReadonlySet<string> = new Set(['oracle'])

export const isReferencePolicy = (policyId: string): boolean => REFERENCE_POLICIES.has(policyId)

/**
 * The baseline a comparison opens with: first-touch (the kernel's default placement, what a
 * tiering policy must beat) when present, else the first real policy, else the first run.
 */
export function defaultBaselineId(
  runs: ReadonlyArray<{ id: number; policyId: string }>,
): number | null {
  return (
    runs.find((r) => r.policyId === 'first-touch')?.id ??
    runs.find((r) => !isReferencePolicy(r.policyId))?.id ??
    runs[0]?.id ??
    null
  )
}
