import { formatBytes } from '../../../../../shared/units'

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumSignificantDigits: 3 })

/** Axis tick labels in a series' unit: bytes binary (GiB), everything else compact (1.2M). */
export function axisLabel(unit: string): (value: number) => string {
  if (unit === 'B') return (v) => formatBytes(v)
  if (unit === 'B/s') return (v) => `${formatBytes(v)}/s`
  return (v) => compact.format(v)
}
