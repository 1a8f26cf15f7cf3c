import { formatBytes } from '../../../shared/units'

export { formatBytes }

const integer = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 })
const oneDecimal = new Intl.NumberFormat('en-US', { maximumFractionDigits: 1 })

/** Latency in ns as an integer, the way sysfs prints it. */
export function formatNs(latencyNs: number): string {
  return integer.format(latencyNs)
}

/** MB/s (decimal, as HMAT reports it) shown as GB/s, one decimal. */
export function formatMBpsAsGBps(bandwidthMBps: number): string {
  return oneDecimal.format(bandwidthMBps / 1000)
}

/** MB/s as the integer sysfs shows in access0/access1 (read_bandwidth). */
export function formatMBps(bandwidthMBps: number): string {
  return integer.format(bandwidthMBps)
}

/** A run's wall time in ms as seconds, or a dash when it has none yet. */
export function formatWallMs(wallMs: number | null): string {
  return wallMs === null ? '—' : `${oneDecimal.format(wallMs / 1000)} s`
}

/** ISO time as `YYYY-MM-DD HH:MM` UTC: short, unambiguous and the same for every user. */
export function formatIsoMinute(iso: string | null): string {
  if (!iso) return '—'
  return iso.replace('T', ' ').slice(0, 16)
}
