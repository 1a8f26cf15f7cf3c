/**
 * One colour per compared run, by its position in the comparison, the same in every chart and
 * table; distinct from the tier colours (lib/tier-colors.ts), which mean memory tiers. Tableau's
 * ten, then three dark or strong ones, so the policy library's set (13 policies on a CPU-only
 * machine, resources/examples/policy-library-kv-store.json) shows without a repeated colour.
 */
const RUN_PALETTE = [
  '#1f77b4',
  '#d62728',
  '#2ca02c',
  '#9467bd',
  '#ff7f0e',
  '#17becf',
  '#8c564b',
  '#e377c2',
  '#7f7f7f',
  '#bcbd22',
  '#000000',
  '#393b79',
  '#e6ab02',
] as const

export function runColor(index: number): string {
  return RUN_PALETTE[((index % RUN_PALETTE.length) + RUN_PALETTE.length) % RUN_PALETTE.length]
}

/** Line styles that tell several series of one run apart. */
export const LINE_TYPES = ['solid', 'dashed', 'dotted'] as const
