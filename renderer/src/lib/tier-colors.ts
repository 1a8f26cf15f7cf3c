/**
 * One colour per memory tier, the same in every table, badge, graph and chart. Colours follow the
 * tier's rank in its machine (0 = top tier), the ordinal the placement heatmap uses
 * (shared/runs.ts HeatmapData), because kernel tier ids are sparse and can be large (a CXL node
 * with adistance 10715 is tier 83), so a palette keyed by id could not keep tiers apart. The top
 * tier takes lstopo's Package green (formats-and-ux.md §4.2); slower tiers warm up towards red.
 */
export interface TierColor {
  /** Background in the light theme. */
  light: string
  /** Background in the dark theme. */
  dark: string
  /** A saturated tone for lines, borders and chart series, readable on both themes. */
  strong: string
}

const BY_RANK: readonly TierColor[] = [
  { light: '#d2e7a4', dark: '#3d5526', strong: '#6a9b2e' },
  { light: '#f6e3a6', dark: '#5e4f1f', strong: '#c79a12' },
  { light: '#f8cfa4', dark: '#66401f', strong: '#d9761f' },
  { light: '#f4b8ad', dark: '#6b2f27', strong: '#cf4a36' },
  { light: '#e3c6ec', dark: '#553063', strong: '#a04bb8' },
  { light: '#c9d8f2', dark: '#2f4466', strong: '#4a78c2' },
  { light: '#c6e9e6', dark: '#265552', strong: '#2a9d94' },
]
const BEYOND: TierColor = { light: '#dcdcd6', dark: '#46464a', strong: '#85858c' }

/** The colour of the tier at `rank` (0 = top tier), e.g. for a heatmap's tier ordinal. */
export function tierColorAt(rank: number): TierColor {
  return BY_RANK[rank] ?? BEYOND
}

/** Rank of `tierId` among the machine's tiers (0 = smallest id = fastest), or -1 if absent. */
export function tierRank(tierId: number, tiers: ReadonlyArray<{ tier: number }>): number {
  const ids = [...new Set(tiers.map((t) => t.tier))].sort((a, b) => a - b)
  return ids.indexOf(tierId)
}

/** The colour of kernel tier `tierId` in a machine with these tiers (analysis.tiers). */
export function tierColor(tierId: number, tiers: ReadonlyArray<{ tier: number }>): TierColor {
  const rank = tierRank(tierId, tiers)
  return rank < 0 ? BEYOND : tierColorAt(rank)
}

/** CSS custom properties for an element coloured by its tier (see .tier in styles/theme.css). */
export function tierStyle(
  tierId: number,
  tiers: ReadonlyArray<{ tier: number }>,
): Record<string, string> {
  const c = tierColor(tierId, tiers)
  return { '--tier-light': c.light, '--tier-dark': c.dark, '--tier-strong': c.strong }
}
