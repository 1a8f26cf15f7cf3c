import { ImportError } from './errors'

/**
 * Bandwidth–latency curves (formats-and-ux.md §1.8) as a memory's `loadedLatency`: utilisation of
 * the curve's peak bandwidth against latency over the lightest-load latency. Both are ratios, so
 * Mess curves in CPU cycles and MLC curves in ns give the same kind of curve.
 */
export interface BandwidthLatencyCurve {
  format: 'mlc' | 'mess'
  points: { utilisation: number; latencyFactor: number }[]
  peakBandwidthMBps: number
  /** MLC only: latency at the lightest load, ns (the nearest thing to idle latency it prints). */
  idleLatencyNs?: number
}

/** Intel MLC `--loaded_latency`: rows `Inject Delay  Latency (ns)  Bandwidth MB/sec`. */
export function looksLikeMlc(head: string): boolean {
  return /Memory Latency Checker/i.test(head) || /Inject\s+Latency\s+Bandwidth/.test(head)
}

/** Mess `bwlat_<read%>.txt`: two numeric columns, bandwidth MB/s and latency (cycles). */
export function looksLikeMess(head: string): boolean {
  const lines = head.split(/\r?\n/).filter((l) => l.trim() !== '')
  return lines.length >= 2 && lines.slice(0, 20).every((l) => /^\s*[\d.]+\s+[\d.]+\s*$/.test(l))
}

export function parseMlc(text: string, file: string): BandwidthLatencyCurve {
  const rows: Array<[number, number]> = []
  let inTable = false
  for (const line of text.split(/\r?\n/)) {
    // The table starts after its header ("Inject Latency Bandwidth" / "Delay (ns) MB/sec" / "===").
    if (/^\s*(Inject|Delay|=+\s*$)/.test(line)) {
      inTable = true
      continue
    }
    const m = /^\s*(\d+)\s+([\d.]+)\s+([\d.]+)\s*$/.exec(line)
    if (inTable && m) rows.push([Number(m[3]), Number(m[2])])
    else if (inTable && rows.length > 0 && line.trim() !== '') inTable = false
  }
  if (rows.length === 1)
    throw new ImportError(
      file,
      'has a loaded-latency table of one row (one inject delay, as -d gives); run `mlc --loaded_latency` without -d so the curve has its points',
    )
  if (rows.length < 2)
    throw new ImportError(
      file,
      'has no loaded-latency table (rows of inject delay, latency ns, bandwidth MB/s); run `mlc --loaded_latency` and give its output',
    )
  const curve = toCurve(rows, file, 'mlc')
  return { ...curve, idleLatencyNs: lightest(rows)[1] }
}

export function parseMess(text: string, file: string): BandwidthLatencyCurve {
  const rows: Array<[number, number]> = []
  for (const line of text.split(/\r?\n/)) {
    const m = /^\s*([\d.]+)\s+([\d.]+)\s*$/.exec(line)
    if (m) rows.push([Number(m[1]), Number(m[2])])
    else if (line.trim() !== '')
      throw new ImportError(
        file,
        `line "${line.trim().slice(0, 40)}" is not "bandwidth latency"; give a Mess bwlat_<read%>.txt curve`,
      )
  }
  return toCurve(rows, file, 'mess')
}

function lightest(rows: Array<[number, number]>): [number, number] {
  return rows.reduce((a, b) => (b[0] < a[0] ? b : a))
}

/**
 * Sorted by bandwidth; points past the knee (bandwidth falls while latency keeps rising, as the
 * heaviest MLC injections show) are dropped so the factor rises with utilisation.
 */
function toCurve(
  rows: Array<[number, number]>,
  file: string,
  format: 'mlc' | 'mess',
): BandwidthLatencyCurve {
  const sorted = rows.filter(([bw, lat]) => bw > 0 && lat > 0).sort((a, b) => a[0] - b[0])
  if (sorted.length < 2)
    throw new ImportError(file, 'needs at least two points with bandwidth and latency above 0')
  const peak = sorted[sorted.length - 1][0]
  const idle = sorted[0][1]
  const points: BandwidthLatencyCurve['points'] = []
  let lastFactor = 1
  for (const [bw, lat] of sorted) {
    const factor = Math.max(lastFactor, lat / idle)
    const utilisation = bw / peak
    if (points.length > 0 && utilisation - points[points.length - 1].utilisation < 1e-6) {
      points[points.length - 1] = { utilisation, latencyFactor: factor }
    } else points.push({ utilisation, latencyFactor: factor })
    lastFactor = factor
  }
  if (points.length < 2)
    throw new ImportError(
      file,
      'has a single distinct bandwidth; measure at several injection delays',
    )
  return { format, points, peakBandwidthMBps: peak }
}
